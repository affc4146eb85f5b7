"""Public pages: the form, its receipt, managing and correcting one's consent,
and the signed proof of it."""
from __future__ import annotations

import json
from urllib.parse import quote

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for

from kkbc import data

from .. import consent, rat
from ..outreach import links
from ..consent import phone
from ..bpjs import cover, journey, member
from ..consent import intake, proof, rules
from ..extensions import csrf, db, limiter
from ..platform import database, rate_limits
from . import bp, tokens
from ..forms import ConfirmForm
from .forms import CorrectionForm, InterestForm, LookupForm


# Pages that show one member's data: never cached, never indexed.
PERSONAL = {"public.selesai", "public.cetak", "public.kelola", "public.kelola_aksi",
            "public.kelola_ubah", "public.bukti", "public.bukti_json", "public.kelola_cari",
            "public.kelola_bpjs", "public.kelola_bpjs_tarik"}


@bp.after_request
def personal_pages(response):
    """Pages with one member's data are never cached or indexed."""
    if request.endpoint in PERSONAL:
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


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
@rate_limits.limit_per_address("FORM_RATE_LIMIT")
def daftar_post():
    """The form sent: checked and stored once (consent.intake), then the receipt."""
    form = InterestForm()
    # Core statements, not the ORM session, which would cost more than they
    # do (bench/RESULTS.md): the RAT decision the answers are checked against,
    # then the record and its first event in one write.
    with database.write_connection() as connection:
        outcome = intake.take(form, tokens.read(form.formulir.data), connection=connection,
                              min_seconds=current_app.config["FORM_MIN_SECONDS"])
    if outcome.submission is not None:
        return redirect(_private_url(".selesai", outcome.submission), 303)
    if outcome.new_token:
        form.formulir.data = tokens.issue(_source(None, None))
    form.errors.pop("csrf_token", None)
    return _render_form(form, 400, outcome.notice)


def _private_url(endpoint: str, submission, **values) -> str:
    code = submission.receipt_code
    return url_for(endpoint, code=code, sig=consent.link_signature(code), **values)


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


def _context(submission) -> dict:
    """What every personal page needs: the record as shown, its private link,
    and the RAT decision that applies to the member's cooperative."""
    return {"submission": submission, "r": consent.present(submission),
            "sig": consent.link_signature(submission.receipt_code), "privacy": data.privacy(),
            "rat_notice": rat.notice(submission.cooperative)}


@bp.get("/daftar/selesai/<code>/<sig>")
def selesai(code, sig):
    """The receipt: what was agreed, what happens next, the private link."""
    submission = _submission_or_404(code, sig)
    return render_template("public/selesai.html", whatsapp=_whatsapp_link(submission),
                           **_context(submission))


@bp.get("/daftar/selesai/<code>/<sig>/cetak")
def cetak(code, sig):
    """A plain page to print or save as PDF."""
    submission = _submission_or_404(code, sig)
    return render_template("public/cetak.html", base_url=links.base_url(), **_context(submission))


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
    return redirect(_private_url(".kelola", submission), 303)


@bp.get("/kelola/<code>/<sig>")
def kelola(code, sig):
    """What the member agreed to, where their interest stands, and the ways to change it."""
    submission = _submission_or_404(code, sig)
    actions = [(rules.ACTIONS[key][0], rules.ACTIONS[key][1],
                _private_url(".kelola_ubah", submission) if key == rules.CORRECT
                else _private_url(".kelola_aksi", submission, action=key))
               for key in rules.available_actions(submission.state, submission.choices)]
    bpjs_page = member.page(submission, request.remote_addr)
    db.session.commit()  # the audit entry of a NIK shown
    standing = journey.standing(submission) if submission.state in consent.LIVE_STATES else None
    return render_template("public/kelola.html", actions=actions, bpjs=bpjs_page, standing=standing,
                           step_names=journey.STEP_NAMES,
                           shown=[cover.show(p) for p in standing.periods] if standing else [],
                           status=consent.member_status(submission), **_context(submission))


@bp.route("/kelola/<code>/<sig>/ubah", methods=["GET", "POST"])
def kelola_ubah(code, sig):
    """The member corrects their data and choices, with the form's own checks."""
    submission = _submission_or_404(code, sig)
    if rules.CORRECT not in rules.available_actions(submission.state, submission.choices):
        return redirect(_private_url(".kelola", submission), 303)
    form = CorrectionForm.for_record(submission)
    if form.validate_on_submit():
        changed = consent.correct(submission, name=form.nama.data, phone=form.phone_e164,
                                  member_number=form.nomor_anggota.data, chosen=form.answers())
        db.session.commit()
        flash(rules.ACTIONS[rules.CORRECT][2] if changed else "Tidak ada yang berubah.")
        return redirect(_private_url(".kelola", submission), 303)
    status = 400 if form.errors else 200
    return render_template("public/kelola_ubah.html", form=form, **_context(submission)), status


@bp.route("/kelola/<code>/<sig>/<action>", methods=["GET", "POST"])
def kelola_aksi(code, sig, action):
    """Ask for confirmation, then record the withdrawal or erasure."""
    if action not in consent.ACTION_FUNCTIONS:
        abort(404)
    submission = _submission_or_404(code, sig)
    if action not in rules.available_actions(submission.state, submission.choices):
        return redirect(_private_url(".kelola", submission), 303)
    title, explanation, done = rules.ACTIONS[action]
    form = ConfirmForm()
    if form.validate_on_submit():
        consent.perform(submission, action)
        db.session.commit()
        flash(done)
        return redirect(_private_url(".kelola", submission), 303)
    return render_template("public/kelola_aksi.html", form=form, title=title, explanation=explanation,
                           action=action, **_context(submission))


@bp.get("/kelola/<code>/<sig>/bukti")
def bukti(code, sig):
    """The consent record as a page to print or keep."""
    submission = _submission_or_404(code, sig)
    return render_template("public/bukti.html", events=consent.events(submission),
                           signed=proof.signed(submission), keys_url=links.base_url() + url_for(".kunci"),
                           **_context(submission))


@bp.get("/kelola/<code>/<sig>/bukti.json")
def bukti_json(code, sig):
    """The signed consent record as a file the member can keep and show."""
    submission = _submission_or_404(code, sig)
    return proof.download(submission)


@bp.get("/bukti/kunci.json")
def kunci():
    """The public keys that check consent records, old ones included (stable URL)."""
    response = Response(json.dumps(proof.key_set(), indent=2), mimetype="application/json")
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
