"""Who may reach what in the back office, in one place.

- ``login_required`` runs before every request of the admin blueprint, so a
  new view cannot forget it; only views marked ``public`` (the login page) skip it.
- ``role_required`` narrows a view to one role; others get 403.
- ``scope`` is how views get at submissions: for cooperative staff it is always
  their own cooperative, whatever the URL or parameters ask for.
Every refusal goes to the application log and the audit log.
"""
from __future__ import annotations

import functools
import hmac
import time

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from kkbc import choices, data

from . import accounts, audit
from ..extensions import db, login_manager
from ..platform import blueprint_hooks
from ..models import Submission, User
from ..followup import queries

def init_app(app) -> None:
    """Bind staff sessions to the app, read only under /admin."""
    # Staff sessions live under /admin only: the site, the public form and
    # /healthz need not read the session for Flask-Login.
    login_manager.init_app(app, add_context_processor=False)
    blueprint_hooks.confine(app, login_manager, ("admin",))


@login_manager.user_loader
def load_user(identity: str) -> User | None:
    """The account behind a session, if it is still active and its token current."""
    user_id, _, token = identity.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or not hmac.compare_digest(user.session_token, token):
        return None
    return user


def public(view):
    """Mark a view that needs no login (the login page itself)."""
    view.admin_public = True
    return view


def start_session(user: User) -> None:
    """A fresh session for a fresh login: nothing from before it survives
    (protection against session fixation)."""
    session.clear()
    login_user(user)
    session["admin_since"] = session["admin_seen"] = time.time()


def end_session() -> None:
    """Log out and forget everything in the session."""
    logout_user()
    session.clear()


def login_required():
    """Before every back-office request: a live session, or the login page."""
    view = current_app.view_functions.get(request.endpoint)
    if view is None or getattr(view, "admin_public", False):
        return None
    back = request.full_path.rstrip("?") if request.method == "GET" else None
    if not current_user.is_authenticated:
        return redirect(url_for("admin.login", lanjut=back), 303)
    now, config = time.time(), current_app.config
    idle = now - session.get("admin_seen", 0) > config["ADMIN_IDLE_MINUTES"] * 60
    old = now - session.get("admin_since", 0) > config["ADMIN_SESSION_HOURS"] * 3600
    if idle or old:
        end_session()
        flash("Sesi Anda sudah berakhir karena lama tidak dipakai. Silakan masuk lagi.")
        return redirect(url_for("admin.login", lanjut=back), 303)
    session["admin_seen"] = now
    return None


def record(action: str, **fields) -> None:
    """Write an audit entry for the signed-in account (the caller commits)."""
    user = current_user if current_user.is_authenticated else None
    actor = fields.pop("actor", "anonim")
    if user is not None:
        actor = user.username
    audit.record(action, actor=actor, user_id=user.id if user else None,
                 address=request.remote_addr, **fields)


def deny(reason: str, status: int = 404, **detail) -> None:
    """Refuse, and leave a trace of who tried what.

    This ends the request, so it makes the request's one commit: nothing the
    view had begun is kept, only the refusal."""
    current_app.logger.warning("back office: %s refused (%s) on %s %s %s",
                               getattr(current_user, "username", "anonim"), reason,
                               request.method, request.full_path, detail)
    db.session.rollback()
    record(audit.DENIED, cooperative=getattr(current_user, "cooperative", None),
           submission_id=detail.pop("submission_id", None),
           detail={"alasan": reason, "alamat": request.path[:200], **detail})
    db.session.commit()
    abort(status)


def role_required(role: str):
    """Only accounts with this role; others get 403 (and the attempt is logged)."""
    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if current_user.role != role:
                deny(f"halaman khusus peran {role}", 403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


def scope(requested: str | None = None) -> queries.Scope:
    """The scope for this request. Cooperative staff always get their own
    cooperative; asking for another one is refused with 404 and logged."""
    requested = requested or None
    if current_user.role == accounts.COOPERATIVE:
        if requested is not None and requested != current_user.cooperative:
            deny("data koperasi lain", koperasi=str(requested)[:40])
        return queries.Scope(current_user.cooperative)
    if requested is not None and requested not in allowed_cooperatives():
        abort(404)
    return queries.Scope(requested)


def partner(slug: str) -> str:
    """A partner cooperative the user may work for; others are refused (404, logged)."""
    cooperative = scope(slug).cooperative
    if cooperative not in data.cooperatives():
        abort(404)
    return cooperative


def pick_cooperative(endpoint: str, template: str):
    """An index page: cooperative staff go straight to ``endpoint`` for their own
    cooperative; the campaign team picks a partner from ``template``'s list."""
    if not current_user.is_campaign:
        return redirect(url_for(endpoint, slug=current_user.cooperative), 303)
    return render_template(template, cooperatives=data.cooperatives(), endpoint=endpoint)


def allowed_cooperatives() -> list[str]:
    """Cooperatives the campaign team can pick: the partners and "other"."""
    return [*data.cooperatives(), choices.OTHER_COOPERATIVE]


def submission_or_404(submission_id: int) -> Submission:
    """One submission, only if it is in the user's scope; a record of another
    cooperative answers exactly like one that does not exist, and is logged."""
    found = db.session.scalar(select(Submission).where(
        Submission.id == submission_id, scope().clause()))
    if found is None:
        if db.session.get(Submission, submission_id) is not None:
            deny("data koperasi lain", submission_id=submission_id)
        abort(404)
    return found


def of_cooperative(found, slug: str, reason: str, **detail):
    """``found`` if it belongs to cooperative ``slug`` (already in the user's
    scope); a missing one is 404, another cooperative's the same 404, logged."""
    if found is None:
        abort(404)
    if found.cooperative != slug:
        deny(reason, **detail)
    return found


def no_store(response):
    """Back-office pages hold personal data: never keep them in a cache or an index."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response
