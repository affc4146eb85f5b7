"""The member's registration data for BPJS Ketenagakerjaan, on their private page."""
from __future__ import annotations

from flask import flash, redirect, render_template, request

from ...bpjs import registration
from ...consent import rules
from ...extensions import db
from ...forms import ConfirmForm
from .. import bp
from .forms import RegistrationForm
from ..views import _context, _private_url, _submission_or_404

SAVED = "Data pendaftaran BPJS Anda sudah disimpan. Koperasi menyerahkannya ke BPJS Ketenagakerjaan bersama daftar berikutnya."
WITHDRAWN = "Data pendaftaran BPJS Anda sudah dihapus. Koperasi tidak akan menyerahkannya ke BPJS Ketenagakerjaan."


@bp.route("/kelola/<code>/<sig>/bpjs", methods=["GET", "POST"])
def kelola_bpjs(code, sig):
    """The member gives or corrects the data BPJS needs, with its own consent."""
    submission = _submission_or_404(code, sig)
    if not registration.may_register(submission):
        return redirect(_private_url(".kelola", submission), 303)
    found = registration.get(submission)
    form = RegistrationForm.for_member(submission, found) if request.method == "GET" else RegistrationForm()
    if form.validate_on_submit():
        registration.save(submission, form.values(), actor=rules.MEMBER)
        db.session.commit()
        flash(SAVED)
        return redirect(_private_url(".kelola", submission), 303)
    return render_template("public/bpjs/kelola_bpjs.html", form=form, found=found, **_context(submission)), \
        400 if form.errors else 200


@bp.route("/kelola/<code>/<sig>/bpjs/tarik", methods=["GET", "POST"])
def kelola_bpjs_tarik(code, sig):
    """The member withdraws their registration data; a handover already made is flagged on the next list."""
    submission = _submission_or_404(code, sig)
    if registration.get(submission) is None:
        return redirect(_private_url(".kelola", submission), 303)
    form = ConfirmForm()
    if form.validate_on_submit():
        registration.withdraw(submission)
        db.session.commit()
        flash(WITHDRAWN)
        return redirect(_private_url(".kelola", submission), 303)
    return render_template("public/kelola_aksi.html", form=form, title="Hapus data pendaftaran BPJS",
                           explanation="NIK dan data pendaftaran Anda dihapus. Kalau koperasi sudah "
                           "menyerahkannya ke BPJS Ketenagakerjaan, daftar berikutnya memberi tahu BPJS "
                           "bahwa Anda menarik diri.", action="bpjs", **_context(submission))
