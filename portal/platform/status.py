"""/healthz: is the process up and can it reach its database?"""
from __future__ import annotations

import threading

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from ..extensions import db, limiter

bp = Blueprint("status", __name__)
# A platform's health check gives up after a few seconds: answer well before.
CHECK_SECONDS = 1.5


def _database_answers(engine, result: dict) -> None:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        result["ok"] = True
    except Exception as exc:  # any driver error means "not healthy"
        result["error"] = exc


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """200 with the database reachable, 503 without; JSON either way, within two
    seconds even when the database accepts connections and never answers."""
    result: dict = {}
    check = threading.Thread(target=_database_answers, args=(db.engine, result), daemon=True)
    check.start()
    check.join(CHECK_SECONDS)
    ok = result.get("ok", False)
    if not ok:
        current_app.logger.warning("healthz: database unavailable: %s", result.get("error", "no answer in time"))
    return jsonify(status="ok" if ok else "error", database="ok" if ok else "unavailable"), 200 if ok else 503
