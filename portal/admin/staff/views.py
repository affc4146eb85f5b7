"""Logging in and out, one's own password, and (campaign team) staff accounts."""
from __future__ import annotations

import math

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from kkbc import choices

from ...staff import accounts, throttle
from ...platform import local_time
from ...extensions import db
from ...staff import access
from .. import bp
from ...forms import ConfirmForm
from ..forms import AccountForm, LoginForm, OwnPasswordForm, SetPasswordForm

def _wait_text(refusal) -> str:
    """When to try again, in words a person acts on."""
    minutes = math.ceil(refusal.seconds / 60)
    at = local_time(refusal.until).strftime("%H:%M")
    who = ("dari perangkat atau jaringan ini" if refusal.reason == "alamat"
           else "untuk nama pengguna ini")
    return (f"Terlalu banyak percobaan masuk yang salah {who}. Coba lagi pukul {at} WITA "
            f"(sekitar {minutes} menit lagi). Kalau lupa kata sandi, minta tim kampanye membuat yang baru.")


@bp.route("/masuk", methods=["GET", "POST"])
@access.public
def login():
    """Log in; one message for an unknown name and a wrong password."""
    form = LoginForm(lanjut=request.args.get("lanjut", ""))
    if form.validate_on_submit():
        attempt, refusal = throttle.begin(request.remote_addr, form.nama_pengguna.data)
        found = accounts.credentials(form.nama_pengguna.data) if refusal is None else None
        # Commit before hashing: other workers count this attempt, and SQLite's write lock never waits for a hash.
        db.session.commit()
        if refusal is not None:
            response = make_response(render_template("admin/staff/masuk.html", form=form,
                                                     wait=_wait_text(refusal)), 429)
            response.headers["Retry-After"] = str(refusal.seconds)
            return response
        user = accounts.authenticate(found, form.kata_sandi.data)
        throttle.finish(attempt, user is not None)
        if user is None:
            access.record("gagal_masuk", actor=form.nama_pengguna.data.lower()[:40])
            db.session.commit()
            return render_template("admin/staff/masuk.html", form=form, failed=True), 400
        target = form.next_page() or url_for(".dashboard")
        access.start_session(user)
        access.record("masuk")
        db.session.commit()
        return redirect(target, 303)
    status = 400 if form.is_submitted() else 200
    return render_template("admin/staff/masuk.html", form=form), status


@bp.post("/keluar")
def logout():
    """Log out everywhere: the account's session token changes, so this cookie
    and any copy of it (a shared office or warnet PC) stop working at once.
    A POST with the CSRF token, so no other site can log anyone out."""
    form = ConfirmForm()
    if form.validate_on_submit():
        access.record("keluar")
        accounts.end_sessions(current_user)
        db.session.commit()
        access.end_session()
        flash("Anda sudah keluar dari semua perangkat.")
    return redirect(url_for(".login"), 303)


@bp.post("/keluar-perangkat-lain")
def logout_others():
    """End every other session of this account and stay signed in here."""
    form = ConfirmForm()
    if form.validate_on_submit():
        access.record("keluar_perangkat_lain")
        accounts.end_sessions(current_user)
        db.session.commit()
        access.start_session(current_user)
        flash("Semua perangkat lain sudah keluar. Anda tetap masuk di perangkat ini.")
    return redirect(url_for(".own_password"), 303)


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
    return render_template("admin/staff/sandi.html", form=form, user=current_user, own=True), status


def _account_or_404(user_id: int):
    user = accounts.get(user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/akun/")
@access.role_required(accounts.CAMPAIGN)
def accounts_list():
    """Every staff account, with buttons to disable, enable and reset a password."""
    return render_template("admin/staff/akun.html", users=accounts.every_account(), roles=accounts.ROLES,
                           form=ConfirmForm(), label=choices.cooperative_label)


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
    return render_template("admin/staff/akun_baru.html", form=form), status


@bp.route("/akun/<int:user_id>/sandi", methods=["GET", "POST"])
@access.role_required(accounts.CAMPAIGN)
def account_password(user_id):
    """Set a new password for someone who forgot theirs; their sessions end."""
    user = _account_or_404(user_id)
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
    return render_template("admin/staff/sandi.html", form=form, user=user, own=False), status


@bp.post("/akun/<int:user_id>/<any(nonaktifkan, aktifkan):action>")
@access.role_required(accounts.CAMPAIGN)
def account_active(user_id, action):
    """Disable or enable an account (not one's own: someone must stay able to log in)."""
    user = _account_or_404(user_id)
    form = ConfirmForm()
    if form.validate_on_submit() and user.id != current_user.id:
        active = action == "aktifkan"
        accounts.set_active(user, active)
        access.record("akun_diaktifkan" if active else "akun_dinonaktifkan", cooperative=user.cooperative,
                      detail={"akun": user.username})
        db.session.commit()
        flash(f"Akun {user.username} sudah {'diaktifkan' if active else 'dinonaktifkan'}.")
    return redirect(url_for(".accounts_list"), 303)
