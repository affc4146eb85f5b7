"""gunicorn's own error pages (a request line or headers too long to parse,
a malformed request) in Indonesian, as small as the answer allows.

gunicorn answers these before the app sees the request, with an English page
that echoes what was sent; every worker writes them through
``gunicorn.util.write_error``, which ``install`` replaces (in the master,
before the workers fork)."""
from __future__ import annotations

import html

from gunicorn import util

from ..errors import MESSAGES

PAGES = {**MESSAGES,
         431: ("Permintaan terlalu besar", "Data yang dikirim browser terlalu besar. Hapus cookie situs ini, "
                                           "lalu coba lagi."),
         501: MESSAGES[400]}
PAGE = ('<!doctype html><html lang="id"><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<title>{title}</title><h1>{title}</h1><p>{message}</p><p><a href="/">Ke halaman depan</a></p></html>')


def write_error(sock, status_int, reason, mesg) -> None:
    """gunicorn's write_error with an Indonesian page; what was sent is not echoed."""
    title, message = PAGES.get(status_int, PAGES[500])
    body = PAGE.format(title=html.escape(title), message=html.escape(message)).encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
            f"Content-Type: text/html; charset=utf-8\r\nContent-Length: {len(body)}\r\n"
            "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\r\n").encode("latin1")
    util.write_nonblock(sock, head + body)


def install() -> None:
    """Make every worker answer gunicorn's own errors with these pages."""
    util.write_error = write_error
