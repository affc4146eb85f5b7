"""Logs that never hold a member's private link.

The secret half of /kelola/<code>/<sig> and /daftar/selesai/<code>/<sig> is a
bearer credential: whoever reads it can withdraw or erase that member's
consent. gunicorn's access log (path, request line, Referer) and the app's own
log lines go through ``redact``.
"""
from __future__ import annotations

import re
from urllib.parse import unquote

from gunicorn import glogging

SECRET_PATH = re.compile(r"(/(?:kelola|daftar/selesai)/[A-Za-z0-9]{1,16}/)[^/\s?\"']+")


def redact(text: str) -> str:
    """The text with every private link's secret cut out, also when the path
    was percent-encoded (/%6Belola/... reaches the same page)."""
    if "%" in text:
        text = unquote(text)
    return SECRET_PATH.sub(r"\1[rahasia]", text)


class RedactingLogger(glogging.Logger):
    """gunicorn's logger, with private links cut out of every access-log field."""

    def atoms(self, resp, req, environ, request_time):
        """gunicorn's access log fields, private links redacted."""
        return {k: redact(v) if isinstance(v, str) else v
                for k, v in super().atoms(resp, req, environ, request_time).items()}
