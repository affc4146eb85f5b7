"""Limits on what a request's URL may hold, answered with the Indonesian error
pages: ids that fit the database's integers, and URLs of a sensible length."""
from __future__ import annotations

from flask import abort, request
from werkzeug.routing import IntegerConverter

# Every id column is an INTEGER: 32 bits on PostgreSQL, 64 on SQLite. A larger
# number in a URL would reach the database and fail there ("integer out of
# range", or the driver's OverflowError past 64 bits: a 500) instead of a 404.
MAX_ID = 2**31 - 1
# No link of the portal comes near this; gunicorn (limit_request_line) cuts
# off at 8190 bytes with its own page, and the app answers everything between.
MAX_URL = 2048


class BoundedInt(IntegerConverter):
    """``<int:...>`` that matches only numbers a database id can hold (at most
    10 digits, so a longer one does not match at all, whatever the method)."""

    regex = r"\d{1,10}"

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def _url_length() -> None:
    if len(request.environ.get("RAW_URI") or request.full_path) > MAX_URL:
        abort(414)


def init_app(app) -> None:
    """Install the converter (before blueprints register their routes) and the length check."""
    app.url_map.converters["int"] = BoundedInt
    app.before_request_funcs.setdefault(None, []).insert(0, _url_length)
