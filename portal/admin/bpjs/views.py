"""The handover to BPJS in the back office: registration data entered with
the member, the handover list (XLSX, CSV, printable sheets) and BPJS's answer,
and the branch layouts the campaign team sets.

Scoped like the rest of the back office: a cooperative, batch or member of
another cooperative answers 404 and the attempt is logged. NIKs are masked on
every page; in the clear only in the list's downloads and printed sheets,
and each of those is audited.
"""
from __future__ import annotations

from datetime import datetime, timezone

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import RequestEntityTooLarge

from kkbc import data

from ...staff import accounts
from ...outreach import assisted, imports
from ...rat import conversion, documents
from ...followup import exports
from ... import rat
from ...platform import downloads, uploads
from ...bpjs import answer, handover, nik as nik_rules, registration, vault
from ...extensions import csrf, db
from ...forms import options
from ...models import BpjsBranch, HandoverBatch, utcnow
from ...staff import access
from .. import bp
from .forms import AnswerColumnsForm, AnswerForm, BranchForm, HandoverForm, OfficerRegistrationForm



def _batch(slug: str, batch_id: int) -> HandoverBatch:
    """A batch of a cooperative in the user's scope; anything else is 404 (logged)."""
    return access.of_cooperative(handover.get(batch_id), access.partner(slug), "daftar serah koperasi lain",
                                 serah=batch_id)


def _ready_record(slug: str):
    """The RAT decision the handover follows: final, accepted, in force."""
    record = rat.in_force(slug)
    return record if record is not None and rat.converts_shu(record) else None


def _handover_form(submitted: bool = False, **initial) -> HandoverForm:
    """The form as sent (``submitted``) or blank with ``initial`` values; the branches as its choices."""
    form = HandoverForm() if submitted else HandoverForm(formdata=None, **initial)
    form.cabang.choices = options([(str(b.id), b.name) for b in handover.branches()])
    return form


@bp.get("/bpjs/")
def handover_index():
    """Cooperative staff go to their own cooperative; the campaign team picks one."""
    return access.pick_cooperative("admin.handover_home", "admin/bpjs/index.html")


@bp.get("/bpjs/<slug>/")
def handover_home(slug):
    """Members in the campaign and their registration data, the batches, and a new list."""
    slug = access.partner(slug)
    record = _ready_record(slug)
    rows = registration.overview(conversion.consenting_submissions(slug))
    form = _handover_form(mulai=str(rat.first_month_after(record))) if record else None
    db.session.commit()  # the default branch layout, on first use
    return render_template("admin/bpjs/koperasi.html", coop=data.cooperatives()[slug], slug=slug, record=record,
                           rows=rows, batches=handover.batches(slug), totals=handover.totals, form=form)


@bp.route("/bpjs/<slug>/anggota/<int:submission_id>", methods=["GET", "POST"])
def handover_member(slug, submission_id):
    """An officer enters the registration data with the member, recording how consent was given."""
    slug = access.partner(slug)
    submission = access.submission_or_404(submission_id)
    if submission.cooperative != slug or not registration.may_register(submission):
        abort(404)
    found = registration.get(submission)
    form = OfficerRegistrationForm.for_member(submission, found) if request.method == "GET" \
        else OfficerRegistrationForm()
    if form.validate_on_submit():
        registration.save(submission, form.values(), actor=current_user.username,
                          collection=assisted.collection(form.saluran.data, form.cara.data,
                                                         current_user.username, None))
        access.record("data_bpjs", cooperative=slug, submission_id=submission.id)
        db.session.commit()
        flash("Data pendaftaran BPJS anggota ini sudah disimpan.")
        return redirect(url_for("admin.handover_home", slug=slug), 303)
    return render_template("admin/bpjs/anggota.html", form=form, found=found, submission=submission,
                           masked=registration.masked_nik(found) if found else "",
                           coop=data.cooperatives()[slug], slug=slug), 400 if form.errors else 200


@bp.post("/bpjs/<slug>/serah")
@uploads.accepts_upload(conversion.MAX_BYTES)
@csrf.exempt  # the form checks its own token, so an oversize file gets a message by its field
def handover_create(slug):
    """Make a handover list from the final conversion sheet; the SHU list is read and dropped."""
    slug = access.partner(slug)
    record = _ready_record(slug)
    if record is None:
        abort(409)
    try:
        form = _handover_form(submitted=True)
        valid = form.validate()
        content = form.berkas.data.read() if valid and form.berkas.data else b""
    except RequestEntityTooLarge:
        form = _handover_form(mulai=str(rat.first_month_after(record)))
        form.berkas.errors = [f"Berkas terlalu besar. Paling besar {conversion.MAX_BYTES // (1024 * 1024)} MB"]
        return _home_again(slug, form, status=413)
    if "csrf_token" in form.errors:
        abort(400)
    problems = None
    if valid and not content:
        form.berkas.errors = ["Pilih berkas daftar SHU (CSV atau XLSX)"]
    elif valid:
        try:
            amounts = conversion.read(content)
        except conversion.SheetError as exc:
            problems = exc.problems
        else:
            branch = db.session.get(BpjsBranch, int(form.cabang.data))
            with amounts:  # the list's temporary file goes as soon as the batch is made
                batch = handover.create(record, branch, amounts, form.mulai.parsed, current_user.username)
            total = handover.totals(batch)
            access.record("serah_bpjs", cooperative=slug, rows=total.members,
                          detail={"serah": batch.id, "rat": record.id, "sha256": documents.sha256(content),
                                  "tarik": total.withdrawn})
            db.session.commit()
            return redirect(url_for("admin.handover_batch", slug=slug, batch_id=batch.id), 303)
    return _home_again(slug, form, problems=problems)


def _home_again(slug, form, problems=None, status=400):
    record = _ready_record(slug)
    return render_template("admin/bpjs/koperasi.html", coop=data.cooperatives()[slug], slug=slug, record=record,
                           rows=None, batches=handover.batches(slug), totals=handover.totals, form=form,
                           problems=problems), status


@bp.get("/bpjs/<slug>/serah/<int:batch_id>")
def handover_batch(slug, batch_id):
    """The batch: totals to match the contribution assessment, members (NIK masked), what is missing."""
    batch = _batch(slug, batch_id)
    return _batch_page(batch, AnswerForm(formdata=None, **{f"kolom_{k}": v for k, v in answer.mapping(batch).items()}))


def _batch_page(batch: HandoverBatch, form: AnswerForm) -> str:
    return render_template("admin/bpjs/serah.html", batch=batch, listed=handover.members(batch),
                           total=handover.totals(batch), missing=handover.missing_members(batch),
                           mask=nik_rules.mask, mask_kpj=registration.mask_kpj, results=answer.RESULT_LABELS,
                           form=form, coop=data.cooperatives()[batch.cooperative], slug=batch.cooperative)


@bp.get("/bpjs/<slug>/serah/<int:batch_id>/daftar.<fmt>")
def handover_download(slug, batch_id, fmt):
    """The list in the branch's layout, NIKs in the clear (audited)."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    batch = _batch(slug, batch_id)
    listed = handover.members(batch)
    access.record("serah_unduh", cooperative=batch.cooperative, rows=len(listed),
                  detail={"serah": batch.id, "bentuk": fmt})
    db.session.commit()
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M")
    name = f"serah-bpjs-{batch.cooperative}-{batch.id}-{stamp}.{fmt}"
    cells = handover.rows(batch, listed)
    if fmt == "csv":
        body = exports.csv_bytes(cells, handover.headers(batch.branch))
    else:
        body = exports.xlsx_bytes([("Serah BPJS", handover.headers(batch.branch), cells)])
    return downloads.send(body, name)


@bp.get("/bpjs/<slug>/serah/<int:batch_id>/cetak")
def handover_print(slug, batch_id):
    """One registration sheet per member, for branches that want paper (audited: it holds NIKs)."""
    batch = _batch(slug, batch_id)
    listed = [m for m in handover.members(batch) if m.entry.kind == handover.HANDED]
    access.record("serah_unduh", cooperative=batch.cooperative, rows=len(listed),
                  detail={"serah": batch.id, "bentuk": "cetak"})
    db.session.commit()
    return render_template("admin/bpjs/cetak.html", batch=batch, listed=listed, total=handover.totals(batch),
                           cell=handover.cell, coop=data.cooperatives()[batch.cooperative])


@bp.post("/bpjs/<slug>/serah/<int:batch_id>/jawaban")
@uploads.accepts_upload(answer.MAX_BYTES)
@csrf.exempt  # the form checks its own token, so an oversize file gets a message by its field
def handover_answer(slug, batch_id):
    """Read BPJS's answer and show what it would change; nothing changes yet.
    The file waits, encrypted like a NIK, until staff confirm (at most 30 minutes)."""
    batch = _batch(slug, batch_id)
    try:
        form = AnswerForm()
        valid = form.validate()
        content = form.berkas.data.read() if valid and form.berkas.data else b""
    except RequestEntityTooLarge:
        abort(413)
    if "csrf_token" in form.errors:
        abort(400)
    if valid and not content:
        form.berkas.errors = ["Pilih berkas jawaban BPJS (CSV atau XLSX)"]
    if not valid or not content:
        return _batch_page(batch, form), 400
    columns = form.columns()
    seen = answer.preview(batch, content, columns)
    pending = imports.keep(vault.seal(content), current_user.id, batch.cooperative)
    db.session.commit()
    return render_template("admin/bpjs/jawaban.html", batch=batch, seen=seen, token=pending.id,
                           columns=columns, describe=answer.describe, confirm=AnswerColumnsForm(formdata=None),
                           coop=data.cooperatives()[batch.cooperative], slug=batch.cooperative)


@bp.post("/bpjs/<slug>/serah/<int:batch_id>/jawaban/<token>")
def handover_answer_apply(slug, batch_id, token):
    """Apply a previewed answer; the same file twice changes nothing the second time."""
    batch = _batch(slug, batch_id)
    form = AnswerColumnsForm()
    if not form.validate_on_submit():
        abort(400)
    pending = imports.pending(token, current_user.id, batch.cooperative)
    if pending is None:
        flash("Pratinjau jawaban sudah kedaluwarsa. Unggah berkasnya lagi.")
        return redirect(url_for("admin.handover_batch", slug=batch.cooperative, batch_id=batch.id), 303)
    content = vault.unseal(pending.content)
    columns = form.columns()
    seen = answer.preview(batch, content, columns)
    changed = answer.apply(seen)
    batch.branch.answer_columns = columns  # chosen once per branch, remembered
    batch.answer_sha256 = documents.sha256(content)
    imports.forget(pending)
    access.record("jawaban_bpjs", cooperative=batch.cooperative, rows=changed,
                  detail={"serah": batch.id, "sha256": batch.answer_sha256, "tidak_cocok": len(seen.unmatched)})
    db.session.commit()
    flash(f"Jawaban BPJS dimuat: {changed} anggota berubah, {len(seen.unmatched)} baris tidak cocok.")
    return redirect(url_for("admin.handover_batch", slug=batch.cooperative, batch_id=batch.id), 303)


@bp.route("/bpjs/tata-letak/", methods=["GET", "POST"])
@bp.route("/bpjs/tata-letak/<int:branch_id>", methods=["GET", "POST"])
@access.role_required(accounts.CAMPAIGN)
def handover_layouts(branch_id=None):
    """The campaign team sets each BPJS branch's column layout and date format."""
    branches = handover.branches()
    branch = db.session.get(BpjsBranch, branch_id) if branch_id else None
    if branch_id and branch is None:
        abort(404)
    if request.method == "GET":
        form = BranchForm(formdata=None, nama=branch.name if branch else "",
                          kolom=handover.layout_text(branch.columns if branch else handover.DEFAULT_COLUMNS),
                          format_tanggal=branch.date_format if branch else "%d-%m-%Y")
    else:
        form = BranchForm()
    if form.validate_on_submit():
        target = branch or BpjsBranch(answer_columns={})
        target.name, target.columns, target.date_format = form.nama.data, form.kolom.parsed, form.format_tanggal.data
        target.updated_at, target.updated_by = utcnow(), current_user.username
        db.session.add(target)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            form.nama.errors = ["Nama kantor cabang ini sudah ada"]
        else:
            access.record("tata_letak_bpjs", detail={"cabang": target.name})
            db.session.commit()
            flash("Tata letak disimpan.")
            return redirect(url_for("admin.handover_layouts"), 303)
    db.session.commit()
    return render_template("admin/bpjs/tata_letak.html", branches=branches, branch=branch, form=form,
                           fields=handover.FIELDS, formats=handover.DATE_FORMATS), 400 if form.errors else 200
