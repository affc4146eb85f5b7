"""Uploaded documents (the signed berita acara): what they really are, by content.

The file's name and the browser's declared type are ignored: a PDF must start
like one and end with an end-of-file marker; an image must be fully decoded
by Pillow as the format its first bytes claim.
"""
from __future__ import annotations

import hashlib
import io

from PIL import Image, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MIME = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}
# Decoding a small file into a huge bitmap is a known attack ("decompression bomb").
Image.MAX_IMAGE_PIXELS = 60_000_000


def sniff(content: bytes) -> str | None:
    """"pdf", "jpeg" or "png" when the bytes really are one, else None."""
    if content.startswith(b"%PDF-"):
        return "pdf" if b"%%EOF" in content[-2048:] else None
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        expected = "PNG"
    elif content.startswith(b"\xff\xd8\xff"):
        expected = "JPEG"
    else:
        return None
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format != expected:
                return None
            image.load()  # decode every pixel: a truncated or fake body fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    return expected.lower()


def problem(content: bytes) -> str | None:
    """Why a scan is refused, in words for staff; None when it is accepted."""
    if not content:
        return "Pilih berkas scan atau foto berita acara"
    if len(content) > MAX_BYTES:
        return f"Berkas terlalu besar. Paling besar {MAX_BYTES // (1024 * 1024)} MB"
    if sniff(content) is None:
        return "Berkas harus PDF, JPEG atau PNG yang utuh. Berkas ini bukan salah satunya, atau rusak"
    return None


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
