"""The member's cover: a printable "kartu perlindungan", and a month the
member paid themselves, told to the cooperative."""
from __future__ import annotations

from flask import flash, redirect, render_template

from ...outreach import links
from ...bpjs import cover, journey, registration
from ...extensions import db
from .. import bp
from .cover_forms import OwnPaymentForm
from ..views import _context, _private_url, _submission_or_404

TOLD = ("Terima kasih. Koperasi mencatat bahwa Anda sudah membayar {month} sendiri. Bulan itu dihitung "
        "setelah koperasi mencocokkannya dengan data BPJS Ketenagakerjaan.")


@bp.get("/kelola/<code>/<sig>/kartu")
def kartu(code, sig):
    """The cover on one printable card, with a QR code to the private page."""
    submission = _submission_or_404(code, sig)
    standing = journey.standing(submission)
    if standing.until is None:
        return redirect(_private_url(".kelola", submission), 303)
    found = registration.get(submission)
    url = links.base_url() + _private_url(".kelola", submission)
    return render_template("public/bpjs/kartu.html", standing=standing, kpj=found.kpj if found else None,
                           qr=links.qr_svg(url, scale=4), shown=[cover.show(p) for p in standing.periods],
                           **_context(submission))


@bp.route("/kelola/<code>/<sig>/bayar-sendiri", methods=["GET", "POST"])
def bayar_sendiri(code, sig):
    """The member tells the cooperative they paid a month themselves."""
    submission = _submission_or_404(code, sig)
    if not registration.may_register(submission):
        return redirect(_private_url(".kelola", submission), 303)
    form = OwnPaymentForm()
    if form.validate_on_submit():
        cover.report_own(submission, form.bulan.parsed, form.nomor_bukti.data)
        db.session.commit()
        flash(TOLD.format(month=form.bulan.parsed.label()))
        return redirect(_private_url(".kelola", submission), 303)
    return render_template("public/bpjs/bayar_sendiri.html", form=form, **_context(submission)), \
        400 if form.errors else 200
