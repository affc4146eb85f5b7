"""Draw the social preview image (content/assets/images/kkbc-og.png).

WhatsApp and other apps show a link card only with a raster image (PNG or
JPEG, not SVG). This writes one with the standard library alone (zlib and
struct, a 5x7 bitmap font), so nobody needs Pillow, a font file or the
network to change it. Run ``python scripts/og_image.py`` and commit the PNG.
"""
from __future__ import annotations

import struct
import zlib
from pathlib import Path

WIDTH, HEIGHT = 1200, 630
OUT = Path(__file__).resolve().parent.parent / "content/assets/images/kkbc-og.png"

GREEN = (27, 94, 32)      # dark green: white text on it is about 9:1
LIGHT = (200, 230, 201)   # pale green for the second line and the band
WHITE = (255, 255, 255)

# 5x7 capitals, one string of five bits per row.
FONT = {
    "A": "01110 10001 10001 11111 10001 10001 10001",
    "B": "11110 10001 10001 11110 10001 10001 11110",
    "C": "01110 10001 10000 10000 10000 10001 01110",
    "D": "11110 10001 10001 10001 10001 10001 11110",
    "E": "11111 10000 10000 11110 10000 10000 11111",
    "G": "01110 10001 10000 10111 10001 10001 01111",
    "H": "10001 10001 10001 11111 10001 10001 10001",
    "I": "01110 00100 00100 00100 00100 00100 01110",
    "J": "00111 00010 00010 00010 00010 10010 01100",
    "K": "10001 10010 10100 11000 10100 10010 10001",
    "L": "10000 10000 10000 10000 10000 10000 11111",
    "M": "10001 11011 10101 10101 10001 10001 10001",
    "N": "10001 11001 10101 10011 10001 10001 10001",
    "O": "01110 10001 10001 10001 10001 10001 01110",
    "P": "11110 10001 10001 11110 10000 10000 10000",
    "R": "11110 10001 10001 11110 10100 10010 10001",
    "S": "01111 10000 10000 01110 00001 00001 11110",
    "T": "11111 00100 00100 00100 00100 00100 00100",
    "U": "10001 10001 10001 10001 10001 10001 01110",
    " ": "00000 00000 00000 00000 00000 00000 00000",
}


def blank(color):
    return [bytearray(bytes(color) * WIDTH) for _ in range(HEIGHT)]


def fill(rows, x0, y0, x1, y1, color):
    """Paint the rectangle [x0, x1) x [y0, y1)."""
    run = bytes(color) * (x1 - x0)
    for y in range(y0, y1):
        rows[y][3 * x0:3 * x1] = run


def text(rows, x, y, words, scale, color):
    """Write capitals with the bitmap font; one glyph cell is 6 x 8 pixels."""
    for i, char in enumerate(words):
        for r, bits in enumerate(FONT[char].split()):
            for c, bit in enumerate(bits):
                if bit == "1":
                    gx = x + (6 * i + c) * scale
                    fill(rows, gx, y + r * scale, gx + scale, y + (r + 1) * scale, color)


def centred(rows, y, words, scale, color):
    text(rows, (WIDTH - (6 * len(words) - 1) * scale) // 2, y, words, scale, color)


def png(rows) -> bytes:
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + bytes(row) for row in rows)
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def draw() -> bytes:
    rows = blank(GREEN)
    fill(rows, 0, HEIGHT - 90, WIDTH, HEIGHT, LIGHT)
    centred(rows, 120, "KERJA KERAS", 16, WHITE)
    centred(rows, 280, "BEBAS CEMAS", 16, LIGHT)
    centred(rows, HEIGHT - 59, "PERLINDUNGAN UNTUK ANGGOTA KOPERASI NTT", 4, GREEN)
    return png(rows)


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(draw())
    print(f"{OUT} ({OUT.stat().st_size} bytes)")
