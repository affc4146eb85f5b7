"""Public pages: the form, its receipt, and managing one's consent."""
from __future__ import annotations

from urllib.parse import quote

from flask import abort, current_app, flash, redirect, render_template, request, url_for

from .. import choices, consent, data, links, phone, rat
from ..extensions import csrf, limiter
from . import bp, tokens
from .forms import ConfirmForm, InterestForm, LookupForm

STALE_MESSAGE = ("Halaman ini sudah terlalu lama terbuka, jadi kami perlu memeriksa ulang. "
                 "Isian Anda masih ada. Periksa lalu tekan Kirim sekali lagi.")
TOO_FAST_MESSAGE = "Formulir terkirim terlalu cepat. Periksa isian Anda, lalu tekan Kirim lagi."
SPAM_MESSAGE = "Formulir tidak bisa dikirim. Kosongkan kolom yang bertanda “Jangan isi kolom ini”."

ACTIONS = {
    "tarik-shu": ("Tarik persetujuan SHU", "SHU Anda tidak akan dipakai untuk iuran. Persetujuan lain tetap berlaku.",
                  consent.withdraw_shu, "Persetujuan SHU Anda sudah ditarik."),
    "tarik-semua": ("Tarik semua persetujuan", "Kami berhenti mengolah data Anda dan tidak akan menghubungi Anda. Koperasi dan BPJS Ketenagakerjaan NTT melihat bahwa persetujuan Anda sudah ditarik, lalu data pribadi Anda dihapus.",
                    consent.withdraw_all, "Semua persetujuan Anda sudah ditarik."),
    "hapus": ("Hapus data saya", "Nama, nomor HP, dan nomor anggota Anda dihapus untuk selamanya. Yang tersisa hanya catatan tanpa nama bahwa ada persetujuan yang dihapus.",
              consent.erase, "Data pribadi Anda sudah dihapus."),
}


def available_actions(submission) -> list[str]:
    """Only what still means something in the submission's current state."""
    if submission.state == consent.ERASED:
        return []
    actions = ["hapus"]
    if submission.state in (consent.ACTIVE, consent.SHU_WITHDRAWN):
        actions.insert(0, "tarik-semua")
    if submission.state == consent.ACTIVE and submission.choices.get("shu") == "setuju":
        actions.insert(0, "tarik-shu")
    return actions


def _source(cooperative: str | None, campaign: str | None) -> dict:
    source = {"jalur": "tautan" if cooperative else "formulir"}
    if cooperative:
        source["koperasi"] = cooperative
    if campaign:
        source["kampanye"] = campaign
    utm = tokens.utm_from_request()
    if utm:
        source["utm"] = utm
    return source


def _render_form(form, status=200, notice=None):
    return render_template("public/daftar.html", form=form, notice=notice, privacy=data.privacy(),
                           rat_notice=rat.notice(form.koperasi.data)), status


def _new_form(cooperative: str | None = None, campaign: str | None = None):
    form = InterestForm(formdata=None)
    if cooperative:
        form.koperasi.data = cooperative
    form.formulir.data = tokens.issue(_source(cooperative, campaign))
    return form


@bp.get("/daftar/")
def daftar():
    """The form; ?koperasi=<slug> preselects a partner cooperative."""
    slug = request.args.get("koperasi")
    return _render_form(_new_form(slug if slug in data.cooperatives() else None))


@bp.get("/k/<slug>")
@bp.get("/k/<slug>/<campaign>")
def cooperative_link(slug, campaign=None):
    """Newsletter and poster links: the form itself, with no redirect hop."""
    if slug not in data.cooperatives():
        return render_template("public/tautan_salah.html"), 404
    if campaign is not None:
        code = links.find(slug, campaign) if len(campaign) <= links.CODE_MAX else None
        if code is None:
            return render_template("public/tautan_salah.html", cooperative=data.cooperatives()[slug]), 404
        campaign = code.code
    return _render_form(_new_form(slug, campaign))


@bp.post("/daftar/")
@csrf.exempt  # the form checks its own token so an expired one can keep the values
@limiter.limit(lambda: current_app.config["FORM_RATE_LIMIT"])
def daftar_post():
    form = InterestForm()
    token = tokens.read(form.formulir.data)
    valid = form.validate()
    notice = None
    if form.situs_web.data:
        notice = SPAM_MESSAGE
    elif token is None or "csrf_token" in form.errors:
        notice = STALE_MESSAGE
        if token is None:
            form.formulir.data = tokens.issue(_source(None, None))
    elif token[1] < current_app.config["FORM_MIN_SECONDS"]:
        notice = TOO_FAST_MESSAGE
    elif valid:
        payload = token[0]
        values = dict(name=form.nama.data, phone=form.phone_e164, member_number=form.nomor_anggota.data,
                      other_cooperative=form.koperasi_lain.data, chosen=form.choices_record())
        submission = consent.submit(key=consent.idempotency_key(payload["k"], values),
                                    source=payload.get("s", {}), **values)
        return redirect(url_for(".selesai", code=submission.receipt_code,
                                sig=consent.link_signature(submission.receipt_code)), 303)
    form.errors.pop("csrf_token", None)
    return _render_form(form, 400, notice)


def _submission_or_404(code, sig):
    if not consent.check_signature(code, sig):
        abort(404)
    submission = consent.find(code)
    if submission is None:
        abort(404)
    return submission


def _whatsapp_link(submission) -> str:
    if submission.cooperative in data.cooperatives():
        url = links.link(submission.cooperative)
    else:
        url = links.base_url() + "/daftar/"
    text = ("Saya sudah daftar minat perlindungan BPJS Ketenagakerjaan lewat koperasi. "
            f"Iurannya bisa dibayar dari SHU. Lihat dan daftar di sini: {url}")
    return "https://wa.me/?text=" + quote(text)


def _summary(submission) -> dict:
    return {
        "submission": submission,
        "code": consent.format_receipt_code(submission.receipt_code),
        "sig": consent.link_signature(submission.receipt_code),
        "when": consent.local_time(submission.updated_at),
        "phone": phone.display(submission.phone),
        "cooperative": choices.cooperative_label(submission.cooperative, submission.cooperative_other),
        "kabupaten": data.kabupaten().get(submission.kabupaten or "", ""),
        "c": submission.choices,
        "labels": choices,
        "state_label": consent.STATE_LABELS[submission.state],
        "privacy_version": submission.notice_version,
        "rat_notice": rat.notice(submission.cooperative),
    }


@bp.get("/daftar/selesai/<code>/<sig>")
def selesai(code, sig):
    """The receipt: what was agreed, what happens next, the private link."""
    submission = _submission_or_404(code, sig)
    return render_template("public/selesai.html", whatsapp=_whatsapp_link(submission),
                           **_summary(submission))


@bp.get("/daftar/selesai/<code>/<sig>/cetak")
def cetak(code, sig):
    """A plain page to print or save as PDF."""
    submission = _submission_or_404(code, sig)
    return render_template("public/cetak.html", base_url=links.base_url(), **_summary(submission))


@bp.route("/kelola/", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOOKUP_RATE_LIMIT"], methods=["POST"])
# Also per receipt code, so guessing one member's phone from many addresses fails too.
@limiter.limit(lambda: current_app.config["LOOKUP_RATE_LIMIT"], methods=["POST"],
               key_func=lambda: "kode:" + consent.normalise_receipt_code(request.form.get("kode", "")))
def kelola_cari():
    """Find one's consent with the receipt code and phone number."""
    form = LookupForm()
    if not form.validate_on_submit():
        return render_template("public/kelola_cari.html", form=form), 400 if form.is_submitted() else 200
    try:
        number = phone.normalise(form.nomor_hp.data)
    except phone.PhoneError:
        number = None
    submission = number and consent.find_by_code_and_phone(form.kode.data, number)
    if not submission:
        # One message for every failure: it must not reveal whether a code exists.
        return render_template("public/kelola_cari.html", form=form, not_found=True), 400
    return redirect(url_for(".kelola", code=submission.receipt_code,
                            sig=consent.link_signature(submission.receipt_code)), 303)


@bp.get("/kelola/<code>/<sig>")
def kelola(code, sig):
    """What the member agreed to, and the ways to change it."""
    submission = _submission_or_404(code, sig)
    return render_template("public/kelola.html", actions=ACTIONS,
                           available=available_actions(submission), **_summary(submission))


@bp.route("/kelola/<code>/<sig>/<action>", methods=["GET", "POST"])
def kelola_aksi(code, sig, action):
    """Ask for confirmation, then record the withdrawal or erasure."""
    if action not in ACTIONS:
        abort(404)
    submission = _submission_or_404(code, sig)
    if action not in available_actions(submission):
        return redirect(url_for(".kelola", code=code, sig=sig), 303)
    title, explanation, perform, done = ACTIONS[action]
    form = ConfirmForm()
    if form.validate_on_submit():
        perform(submission)
        flash(done)
        return redirect(url_for(".kelola", code=code, sig=sig), 303)
    return render_template("public/kelola_aksi.html", form=form, title=title, explanation=explanation,
                           action=action, **_summary(submission))
