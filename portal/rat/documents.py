"""The signed berita acara: size limit, type by content, how it is served.

What a file is comes from ``uploads.sniff_document`` (its bytes), never from
its name or the type the browser declares.
"""
from __future__ import annotations

import hashlib

from ..platform import uploads

MAX_BYTES = 5 * 1024 * 1024
MIME = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}
TOO_BIG = uploads.too_big(MAX_BYTES)


def problem(content: bytes) -> str | None:
    """Why a scan is refused, in words for staff; None when it is accepted."""
    if not content:
        return "Pilih berkas scan atau foto berita acara"
    if len(content) > MAX_BYTES:
        return TOO_BIG
    if uploads.sniff_document(content) is None:
        return "Berkas harus PDF, JPEG atau PNG yang utuh. Berkas ini bukan salah satunya, atau rusak"
    return None


def sha256(content: bytes) -> str:
    """The file's SHA-256, in hex: what the audit log keeps of an upload."""
    return hashlib.sha256(content).hexdigest()
