"""Assisted entry: an officer signs a member up, at a branch, at the RAT or on a visit.

The form is the public one (same questions, validation, messages) plus where
and how consent was given; the member gets a receipt slip and a message the
officer can send to the member's own number. Nothing of the member is kept on
the device: no autosave, no autocomplete, a fresh form after each member.
"""
from __future__ import annotations

from urllib.parse import quote

from flask import abort, redirect, render_template, url_for
from flask_login import current_user

from kkbc import data

from ...outreach import assisted, links, paper
from ... import consent, rat
from ...consent import intake
from ...extensions import db
from ...public import tokens
from ...staff import access
from .. import bp
from ..forms import AssistedForm


def _source(slug: str) -> dict:
    return {"jalur": "petugas", "koperasi": slug}


def _render(form, slug, status=200, notice=None):
    return render_template("admin/outreach/daftar_bantu.html", form=form, coop=data.cooperatives()[slug],
                           notice=notice, privacy=data.privacy(), rat_notice=rat.notice(slug)), status


@bp.get("/daftar-bantu/")
def assisted_index():
    """Cooperative staff go straight to their form; the campaign team picks a cooperative."""
    return access.pick_cooperative("admin.assisted_entry", "admin/outreach/daftar_bantu_index.html")


@bp.route("/daftar-bantu/<slug>", methods=["GET", "POST"])
def assisted_entry(slug):
    """The member's answers, typed or ticked by the officer beside them."""
    slug = access.partner(slug)
    form = AssistedForm(cooperative=slug)
    if not form.is_submitted():
        form.formulir.data = tokens.issue(_source(slug))
        return _render(form, slug)
    token = tokens.read(form.formulir.data)
    if token is None:
        form.formulir.data = tokens.issue(_source(slug))
        form.validate()
        return _render(form, slug, 400, intake.STALE_MESSAGE)
    if not form.validate():
        return _render(form, slug, 400)
    values = form.values()
    submission = assisted.register(
        key=consent.idempotency_key(token[0]["k"], values), values=values, source=_source(slug),
        actor=current_user.username, channel=form.saluran.data, method=form.cara.data,
        form_number=form.nomor_formulir.data or None)
    entered_now = (submission.name, submission.phone) == (values["name"], values["phone"])
    if entered_now:
        access.record("daftar_bantu", cooperative=slug, submission_id=submission.id,
                      detail={"saluran": form.saluran.data, "cara": form.cara.data})
    db.session.commit()
    if not entered_now:
        # Another officer entered the same paper form a moment earlier.
        form.nomor_formulir.errors = [paper.USED]
        return _render(form, slug, 400)
    return redirect(url_for("admin.assisted_receipt", slug=slug, submission_id=submission.id), 303)


def message(submission) -> str:
    """What the officer sends to the member's own number. Not the private link:
    the sent message stays in the officer's chat history, on a shared device."""
    return (f"Terima kasih, minat Anda untuk BPJS Ketenagakerjaan sudah dicatat oleh "
            f"{data.cooperatives()[submission.cooperative].short_name}. Kode tanda terima: "
            f"{consent.format_receipt_code(submission.receipt_code)}. Untuk melihat, mengubah atau "
            f"menarik persetujuan: buka {links.base_url()}/kelola/ lalu tulis kode ini dan nomor HP Anda.")


@bp.get("/daftar-bantu/<slug>/<int:submission_id>")
def assisted_receipt(slug, submission_id):
    """The receipt slip to print or show, and a message to send to the member's own number."""
    slug = access.partner(slug)
    submission = access.of_cooperative(access.submission_or_404(submission_id), slug, "tanda terima koperasi lain",
                                       submission_id=submission_id)
    collected = submission.events[0].collection or {}
    if not collected.get("entered_by"):
        abort(404)  # a slip is for members an officer signed up
    access.record("lihat_data", cooperative=slug, submission_id=submission.id, detail={"halaman": "tanda terima"})
    db.session.commit()
    text = quote(message(submission))
    number = (submission.phone or "").lstrip("+")
    return render_template(
        "admin/outreach/tanda_terima.html", coop=data.cooperatives()[slug], collected=collected,
        channel=assisted.CHANNELS.get(collected.get("channel"), collected.get("channel")),
        method=assisted.METHODS.get(collected.get("method"), collected.get("method")),
        form_number=paper.display(collected["form_number"]) if collected.get("form_number") else None,
        whatsapp=f"https://wa.me/{number}?text={text}" if number else None,
        sms=f"sms:+{number}?body={text}" if number else None,
        base_url=links.base_url(), submission=submission, r=consent.present(submission),
        rat_notice=rat.notice(slug))
