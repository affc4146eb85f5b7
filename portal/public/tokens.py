"""The signed token each rendering of the form carries.

It holds the idempotency key (so a double tap or a retry after a dropped
connection stores one record), the time the form was shown (bots submit in
under a second; people don't), and where the member came from (cooperative
link, campaign code, utm_* parameters), so none of it can be forged.
"""
from __future__ import annotations

import secrets
import time

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")
MAX_AGE = 7 * 24 * 3600


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="formulir")


def utm_from_request() -> dict:
    """utm_* parameters of the current URL, trimmed to sane sizes."""
    return {k: request.args[k][:80] for k in UTM_KEYS if request.args.get(k)}


def issue(source: dict) -> str:
    """A new signed token for one rendering of the form."""
    payload = {"k": secrets.token_urlsafe(18), "s": source}
    return _serializer().dumps(payload)


def read(token: str | None) -> tuple[dict, float] | None:
    """(payload, seconds since the form was shown), or None if forged or stale."""
    if not token or len(token) > 2000:
        return None
    try:
        payload, issued = _serializer().loads(token, max_age=MAX_AGE, return_timestamp=True)
    except BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("k"), str):
        return None
    return payload, time.time() - issued.timestamp()
