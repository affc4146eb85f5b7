"""Print a page to PDF in Chromium as staff would, rasterise it, read its QR codes."""
from __future__ import annotations

import pypdfium2
import zxingcpp

A4 = (595.3, 841.9)  # points
A5 = (419.5, 595.3)


def print_pdf(page) -> bytes:
    """The page as Chromium prints it, at the paper size its CSS asks for."""
    page.emulate_media(media="print")
    try:
        return page.pdf(prefer_css_page_size=True, print_background=True)
    finally:
        page.emulate_media(media="screen")


def pages(pdf: bytes, dpi: int = 200):
    """[(width, height) in points, PIL image)] for every page."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [(tuple(p.get_size()), p.render(scale=dpi / 72).to_pil().convert("L")) for p in document]
    finally:
        document.close()


def qr_codes(image) -> list[str]:
    """The text of every QR code zxing-cpp finds on the image."""
    return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def is_size(size, paper) -> bool:
    return all(abs(a - b) < 2 for a, b in zip(size, paper))


def inked_fraction(image) -> float:
    """How far down the page the lowest ink reaches (0 top, 1 bottom)."""
    box = image.point(lambda v: 255 if v < 200 else 0).getbbox()
    return box[3] / image.height if box else 0.0
