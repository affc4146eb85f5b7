"""Logging in and out, one's own password, and (campaign team) staff accounts."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import accounts, choices
from ..extensions import db, limiter
from ..models import User
from . import access, bp
from .forms import AccountForm, ConfirmForm, LoginForm, OwnPasswordForm, SetPasswordForm

FAILED = "Nama pengguna atau kata sandi salah."


def _account_key() -> str:
    """Rate-limit key for the account name tried, however it is capitalised."""
    name = (request.form.get("nama_pengguna") or "").strip().lower()[:40]
    return f"akun:{name}"


def _failed(response) -> bool:
    # Only failed attempts count against the limits; a successful login redirects.
    return response.status_code != 303


@bp.route("/masuk", methods=["GET", "POST"])
@access.public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"], deduct_when=_failed)
@limiter.limit(lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"], methods=["POST"],
               key_func=_account_key, deduct_when=_failed)
def login():
    """Log in; one message for an unknown name and a wrong password."""
    form = LoginForm(lanjut=request.args.get("lanjut", ""))
    if form.validate_on_submit():
        user = accounts.authenticate(form.nama_pengguna.data, form.kata_sandi.data)
        if user is not None:
            target = form.next_page() or url_for(".dashboard")
            access.start_session(user)
            access.record("masuk")
            db.session.commit()
            return redirect(target, 303)
        access.record("gagal_masuk", actor=form.nama_pengguna.data.lower()[:40])
        db.session.commit()
        return render_template("admin/masuk.html", form=form, failed=True), 400
    status = 400 if form.is_submitted() else 200
    return render_template("admin/masuk.html", form=form), status


@bp.post("/keluar")
def logout():
    """Log out (a POST with the CSRF token, so no other site can log anyone out)."""
    form = ConfirmForm()
    if form.validate_on_submit():
        access.record("keluar")
        db.session.commit()
        access.end_session()
        flash("Anda sudah keluar.")
    return redirect(url_for(".login"), 303)


@bp.route("/sandi", methods=["GET", "POST"])
def own_password():
    """Change one's own password; other sessions of the account end."""
    form = OwnPasswordForm(username_hint=current_user.username)
    if form.validate_on_submit():
        if not accounts.check_password(current_user, form.sandi_lama.data):
            form.sandi_lama.errors.append("Kata sandi sekarang salah")
        else:
            accounts.set_password(current_user, form.sandi_baru.data)
            access.record("sandi_diganti", detail={"akun": current_user.username})
            db.session.commit()
            access.start_session(current_user)
            flash("Kata sandi Anda sudah diganti.")
            return redirect(url_for(".dashboard"), 303)
    status = 400 if form.errors else 200
    return render_template("admin/sandi.html", form=form, user=current_user, own=True), status


@bp.get("/akun/")
@access.role_required(accounts.CAMPAIGN)
def accounts_list():
    """Every staff account, with buttons to disable, enable and reset a password."""
    users = db.session.scalars(db.select(User).order_by(User.role, User.cooperative, User.username)).all()
    return render_template("admin/akun.html", users=users, roles=accounts.ROLES, form=ConfirmForm(),
                           label=choices.cooperative_label)


@bp.route("/akun/baru", methods=["GET", "POST"])
@access.role_required(accounts.CAMPAIGN)
def account_new():
    """Create an account for cooperative staff or the campaign team."""
    form = AccountForm()
    if form.validate_on_submit():
        try:
            user = accounts.create(form.nama_pengguna.data, form.sandi_baru.data, form.peran.data,
                                   form.koperasi.data or None)
        except accounts.AccountError as exc:
            form.nama_pengguna.errors.append(str(exc))
        else:
            access.record("akun_dibuat", cooperative=user.cooperative,
                          detail={"akun": user.username, "peran": user.role})
            db.session.commit()
            flash(f"Akun {user.username} sudah dibuat. Berikan kata sandinya secara langsung, "
                  "bukan lewat grup.")
            return redirect(url_for(".accounts_list"), 303)
    status = 400 if form.errors else 200
    return render_template("admin/akun_baru.html", form=form), status


@bp.route("/akun/<int:user_id>/sandi", methods=["GET", "POST"])
@access.role_required(accounts.CAMPAIGN)
def account_password(user_id):
    """Set a new password for someone who forgot theirs; their sessions end."""
    user = db.get_or_404(User, user_id)
    form = SetPasswordForm(username_hint=user.username)
    if form.validate_on_submit():
        accounts.set_password(user, form.sandi_baru.data)
        access.record("sandi_diganti", cooperative=user.cooperative, detail={"akun": user.username})
        db.session.commit()
        if user.id == current_user.id:
            access.start_session(user)
        flash(f"Kata sandi {user.username} sudah diganti.")
        return redirect(url_for(".accounts_list"), 303)
    status = 400 if form.errors else 200
    return render_template("admin/sandi.html", form=form, user=user, own=False), status


@bp.post("/akun/<int:user_id>/<any(nonaktifkan, aktifkan):action>")
@access.role_required(accounts.CAMPAIGN)
def account_active(user_id, action):
    """Disable or enable an account (not one's own: someone must stay able to log in)."""
    user = db.get_or_404(User, user_id)
    form = ConfirmForm()
    if form.validate_on_submit() and user.id != current_user.id:
        active = action == "aktifkan"
        accounts.set_active(user, active)
        access.record("akun_diaktifkan" if active else "akun_dinonaktifkan", cooperative=user.cooperative,
                      detail={"akun": user.username})
        db.session.commit()
        flash(f"Akun {user.username} sudah {'diaktifkan' if active else 'dinonaktifkan'}.")
    return redirect(url_for(".accounts_list"), 303)
