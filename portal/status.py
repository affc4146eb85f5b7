"""/healthz: is the process up and can it reach its database?"""
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from .extensions import db, limiter

bp = Blueprint("status", __name__)


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """200 with the database reachable, 503 without; JSON either way."""
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception as exc:  # any driver error means "not healthy"
        current_app.logger.warning("healthz: database unreachable: %s", exc)
        database = "unavailable"
    finally:
        db.session.remove()
    ok = database == "ok"
    return jsonify(status="ok" if ok else "error", database=database), 200 if ok else 503
