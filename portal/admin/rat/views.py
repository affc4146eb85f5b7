"""The RAT in the back office: the record (draft, final, corrections), the
signed berita acara, the printable pack, the conversion sheet for finance
staff, and the campaign view across cooperatives.

Every record is reached through ``_record``: a record of another cooperative
answers 404 like a missing one, and the attempt is logged.
"""
from __future__ import annotations

import time
from datetime import datetime, timezone

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import RequestEntityTooLarge

from kkbc import choices, data

from ...staff import accounts
from ...rat import campaign, conversion, documents, pack
from ...followup import exports, stats
from ... import followup, rat
from ...platform import downloads, uploads
from ...extensions import csrf, db
from ...models import RatRecord
from ...staff import access
from .. import bp
from .forms import CorrectionForm, FinaliseForm, NewRatForm, RatForm, ScanForm, SheetForm


def _cooperative(slug: str) -> str:
    scope = access.scope(slug)
    if scope.cooperative not in data.cooperatives():
        abort(404)
    return scope.cooperative


def _record(slug: str, record_id: int) -> RatRecord:
    """A RAT record of a cooperative in the user's scope; anything else is 404 (logged)."""
    return access.of_cooperative(rat.get(record_id), _cooperative(slug), "catatan RAT koperasi lain", rat=record_id)


def _final_refused(record: RatRecord):
    """Every edit URL of a final record ends here: refused, explained, and nothing changes."""
    return render_template("admin/rat/final.html", record=record, coop=data.cooperatives()[record.cooperative]), 409


def _context(record: RatRecord) -> dict:
    return {"record": record, "coop": data.cooperatives()[record.cooperative], "rat": rat,
            "outcomes": rat.OUTCOMES, "allowances": rat.ALLOWANCES, "packages": choices.PACKAGES}


@bp.errorhandler(StaleDataError)  # only RAT records carry a revision counter
def _changed_meanwhile(exc=None):
    """Two staff changed the same record at the same moment: the later one is told, nothing is lost."""
    db.session.rollback()
    return render_template("error/error.html", code=409, title="Catatan ini baru saja diubah",
                           message="Orang lain menyimpan catatan RAT yang sama pada saat yang sama. "
                                   "Buka lagi catatannya, periksa, lalu ulangi."), 409


@bp.get("/rat/")
def recap_index():
    """Cooperative staff go straight to their RAT page; the campaign team picks a cooperative."""
    if not current_user.is_campaign:
        return redirect(url_for(".recap", slug=current_user.cooperative), 303)
    return render_template("admin/rat/index.html", cooperatives=data.cooperatives(),
                           latest=rat.latest_per_cooperative(), statuses=rat.STATUS_LABELS, outcomes=rat.OUTCOMES)


@bp.get("/rat/<slug>")
def recap(slug):
    """A cooperative's RAT records, every version, and a new draft."""
    slug = _cooperative(slug)
    form = NewRatForm(formdata=None, tahun_buku=str(rat.default_book_year(stats.today())))
    records = rat.records(slug)
    return render_template("admin/rat/koperasi.html", coop=data.cooperatives()[slug], slug=slug,
                           records=records, replaced=rat.replaced_by(records), in_force=rat.in_force(slug),
                           form=form, statuses=rat.STATUS_LABELS, outcomes=rat.OUTCOMES)


@bp.post("/rat/<slug>/baru")
def rat_new(slug):
    """Start a new draft record for a book year."""
    slug = _cooperative(slug)
    form = NewRatForm()
    if form.validate():
        try:
            record = rat.new_draft(slug, form.tahun_buku.parsed, current_user.username)
            access.record("rat_dibuat", cooperative=slug, detail={"rat": record.id, "tahun_buku": record.book_year})
            db.session.commit()
        except rat.RatError as exc:
            form.tahun_buku.errors.append(str(exc))
        except IntegrityError:  # the same book year, created by someone else a moment ago
            return _changed_meanwhile()
        else:
            flash("Draf catatan RAT sudah dibuat. Lengkapi sebelum dan sesudah RAT.")
            return redirect(url_for(".rat_edit", slug=slug, record_id=record.id), 303)
    records = rat.records(slug)
    return render_template("admin/rat/koperasi.html", coop=data.cooperatives()[slug], slug=slug,
                           records=records, replaced=rat.replaced_by(records), in_force=rat.in_force(slug),
                           form=form, statuses=rat.STATUS_LABELS, outcomes=rat.OUTCOMES), 400


@bp.get("/rat/<slug>/<int:record_id>")
def rat_show(slug, record_id):
    """One version of the record, as it stands; what can be done with it."""
    record = _record(slug, record_id)
    versions = [r for r in rat.records(record.cooperative) if r.book_year == record.book_year]
    return render_template("admin/rat/catatan.html", versions=versions, replaced=rat.replaced_by(versions),
                           missing=rat.missing_for_final(record), scan=ScanForm(formdata=None),
                           statuses=rat.STATUS_LABELS, **_context(record))


@bp.route("/rat/<slug>/<int:record_id>/ubah", methods=["GET", "POST"])
def rat_edit(slug, record_id):
    """Edit a draft record; a final one is refused."""
    record = _record(slug, record_id)
    if not rat.is_draft(record):
        return _final_refused(record)
    form = RatForm() if request.method == "POST" else RatForm.for_record(record)
    if request.method == "POST" and form.validate():
        try:
            changed = rat.update_draft(record, form.values())
        except rat.RatError as exc:
            form.tahun_buku.errors.append(str(exc))
        else:
            if changed:
                access.record("rat_diubah", cooperative=record.cooperative,
                              detail={"rat": record.id, "bagian": ", ".join(changed)})
            db.session.commit()
            flash("Draf catatan RAT sudah disimpan.")
            return redirect(url_for(".rat_show", slug=record.cooperative, record_id=record.id), 303)
    return render_template("admin/rat/ubah.html", form=form, **_context(record)), 400 if form.errors else 200


@bp.route("/rat/<slug>/<int:record_id>/final", methods=["GET", "POST"])
def rat_finalise(slug, record_id):
    """What will become final, shown once and confirmed once; without a scan, the reason why."""
    record = _record(slug, record_id)
    if not rat.is_draft(record):
        return _final_refused(record)
    form = FinaliseForm(has_scan=bool(record.scan_sha256))
    valid = request.method == "POST" and form.validate()
    if "csrf_token" in form.errors:
        abort(400)
    if valid:
        try:
            rat.finalise(record, current_user.username, form.tanpa_scan.data)
        except rat.RatError as exc:
            flash(str(exc))
            return redirect(url_for(".rat_show", slug=record.cooperative, record_id=record.id), 303)
        access.record("rat_final", cooperative=record.cooperative,
                      detail={"rat": record.id, "versi": record.version, "hasil": record.outcome,
                              "scan": bool(record.scan_sha256)})
        db.session.commit()
        flash("Catatan RAT sudah final. Keputusan ini sekarang tampil untuk anggota.")
        return redirect(url_for(".rat_show", slug=record.cooperative, record_id=record.id), 303)
    decision = rat.decision_text(record)
    return render_template("admin/rat/finalkan.html", form=form, missing=rat.missing_for_final(record),
                           blanks=rat.open_blanks(decision), decision=decision, **_context(record)), \
        400 if form.errors else 200


@bp.route("/rat/<slug>/<int:record_id>/koreksi", methods=["GET", "POST"])
def rat_correct(slug, record_id):
    """A final record is corrected by a new version with a reason; the old one is kept."""
    record = _record(slug, record_id)
    form = CorrectionForm()
    if not rat.is_final(record):
        return redirect(url_for(".rat_edit", slug=record.cooperative, record_id=record.id), 303)
    if form.validate_on_submit():
        try:
            copy = rat.correct(record, form.alasan.data, current_user.username)
            access.record("rat_koreksi", cooperative=record.cooperative,
                          detail={"rat": copy.id, "menggantikan": record.id, "versi": copy.version})
            db.session.commit()
        except rat.RatError as exc:
            form.alasan.errors.append(str(exc))
        except IntegrityError:  # a correction of the same version, made a moment ago
            return _changed_meanwhile()
        else:
            flash("Versi koreksi sudah dibuat sebagai draf. Versi lama tetap berlaku sampai koreksi ini final.")
            return redirect(url_for(".rat_edit", slug=copy.cooperative, record_id=copy.id), 303)
    return render_template("admin/rat/koreksi.html", form=form, **_context(record)), 400 if form.errors else 200


@bp.post("/rat/<slug>/<int:record_id>/berkas")
@uploads.accepts_upload(documents.MAX_BYTES)
@csrf.exempt  # the form checks its own token, so an oversize file gets a message by its field
def rat_scan_upload(slug, record_id):
    """Attach the signed berita acara to a draft record."""
    record = _record(slug, record_id)
    if not rat.is_draft(record):
        return _final_refused(record)
    try:
        form = ScanForm()
        valid = form.validate()
        content = form.berkas.data.read() if valid and form.berkas.data else b""
    except RequestEntityTooLarge:
        return _scan_refused(record, documents.TOO_BIG, 413)
    if not valid:
        abort(400)
    problem = documents.problem(content)
    if problem:
        return _scan_refused(record, problem, 413 if problem == documents.TOO_BIG else 400)
    digest = documents.sha256(content)
    rat.attach_scan(record, content, uploads.sniff_document(content), digest)
    access.record("rat_berkas", cooperative=record.cooperative,
                  detail={"rat": record.id, "jenis": record.scan_type, "ukuran": len(content), "sha256": digest})
    db.session.commit()
    flash("Scan berita acara sudah disimpan.")
    return redirect(url_for(".rat_show", slug=record.cooperative, record_id=record.id), 303)


def _scan_refused(record, message, status):
    form = ScanForm(formdata=None)
    form.berkas.errors = [message]
    versions = [r for r in rat.records(record.cooperative) if r.book_year == record.book_year]
    return render_template("admin/rat/catatan.html", versions=versions, replaced=rat.replaced_by(versions),
                           missing=rat.missing_for_final(record), scan=form, statuses=rat.STATUS_LABELS,
                           **_context(record)), status


@bp.get("/rat/<slug>/<int:record_id>/berkas")
def rat_scan(slug, record_id):
    """The signed berita acara, only to staff in scope, never cached, never shown inline."""
    record = _record(slug, record_id)
    if not record.scan_sha256:
        abort(404)
    access.record("rat_berkas_unduh", cooperative=record.cooperative, detail={"rat": record.id})
    db.session.commit()
    name = f"berita-acara-rat-{record.cooperative}-{record.book_year}-v{record.version}.{documents.EXTENSIONS[record.scan_type]}"
    return downloads.send(record.scan, name, documents.MIME[record.scan_type], {"X-Content-Type-Options": "nosniff"})


@bp.get("/rat/<slug>/<int:record_id>/paket")
def rat_pack_page(slug, record_id):
    """The printable RAT pack for this record's date (no personal data)."""
    record = _record(slug, record_id)
    return render_template("admin/rat/paket.html", p=pack.pack(record), rates=data.rates(), privacy=data.privacy(),
                           today=stats.today(), shu_labels=followup.SHU_SHORT,
                           kinds=choices.SHU_AMOUNT_KINDS, **_context(record))


@bp.route("/rat/<slug>/<int:record_id>/konversi", methods=["GET", "POST"])
@uploads.accepts_upload(conversion.MAX_BYTES)
@csrf.exempt  # the form checks its own token, so an oversize file gets a message by its field
def rat_sheet(slug, record_id):
    """Finance staff upload their SHU list; the sheet is made in memory, never stored."""
    deadline = time.monotonic() + current_app.config["EXPORT_SECONDS"]
    record = _record(slug, record_id)
    applies = rat.sheet_applies(record)
    context = _context(record)
    if not applies:
        return render_template("admin/rat/konversi.html", form=None, applies=False, **context), \
            200 if request.method == "GET" else 409
    default = str(rat.first_month_after(record))
    if request.method == "GET":
        form = SheetForm(formdata=None, mulai=default)
        return render_template("admin/rat/konversi.html", form=form, applies=True, **context)
    try:
        form = SheetForm()
        valid = form.validate()
        content = form.berkas.data.read() if valid and form.berkas.data else b""
    except RequestEntityTooLarge:
        return _sheet_too_big(default, context)
    if "csrf_token" in form.errors:
        abort(400)
    if len(content) > conversion.MAX_BYTES:  # within the request's slack for the form's own fields
        return _sheet_too_big(default, context)
    problems = more = None
    if valid and not content:
        form.berkas.errors = ["Pilih berkas daftar SHU (CSV atau XLSX)"]
    elif valid:
        try:
            # On screen the totals and the first lines; a download is joined as it is written.
            sheet = conversion.from_upload(record, content, form.mulai.parsed, conversion.Sheet.SHOWN,
                                           download=form.bentuk.data in ("xlsx", "csv"))
        except conversion.SheetError as exc:
            problems, more = exc.problems, exc.more
        else:
            del content  # nothing of the upload outlives this response
            try:
                response = _sheet_response(record, sheet, form.bentuk.data, context, deadline)
                # Who, when and which file: never an amount, not even the total.
                access.record("lembar_konversi", cooperative=record.cooperative, rows=sheet.count,
                              detail={"rat": record.id, "sha256": sheet.digest, "bentuk": form.bentuk.data})
                db.session.commit()
                return response
            finally:
                sheet.shu.close()
    return render_template("admin/rat/konversi.html", form=form, applies=True, problems=problems,
                           more=more, **context), 400


@bp.get("/rat/<slug>/templat-shu.<any(csv, xlsx):fmt>")
def shu_template(slug, fmt):
    """The SHU list to fill from the ledger: two columns, Nomor anggota and SHU."""
    slug = _cooperative(slug)
    headers = list(conversion.COLUMNS.values())
    if fmt == "csv":
        body = exports.csv_bytes([], headers)
    else:
        body = exports.xlsx_bytes([("Daftar SHU", headers, [])])
    return downloads.send(body, f"templat-daftar-shu-{slug}.{fmt}")


def _sheet_too_big(default, context):
    form = SheetForm(formdata=None, mulai=default)
    form.berkas.errors = [uploads.too_big(conversion.MAX_BYTES)]
    return render_template("admin/rat/konversi.html", form=form, applies=True, **context), 413


# Out of time, a download ends with a line saying it is incomplete, and
# without the total to transfer, instead of a 500 when gunicorn kills the worker.
SHEET_ADVICE = "Coba unduh lagi beberapa menit lagi, saat portal tidak sibuk. Bentuk CSV paling cepat dibuat."


def _after_lines(sheet, found):
    """A checking tab, written after the lines, when the join has decided who
    took which line; a join cut short by time would list the wrong members."""
    if not sheet.joined:
        yield ["Tidak dibuat, karena waktu habis sebelum semua anggota dicocokkan. " + SHEET_ADVICE]
        return
    for item in found:
        yield list(item) if isinstance(item, tuple) else [item]


def _sheet_response(record, sheet, kind, context, deadline):
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M")
    name = f"konversi-shu-{record.cooperative}-{record.book_year}-{stamp}.{kind}"
    if kind == "xlsx":
        lines = exports.completed(conversion.rows(sheet), None, deadline, closing=False, advice=SHEET_ADVICE)
        return downloads.send(exports.xlsx_bytes([
            ("Konversi SHU", conversion.HEADERS, lines),
            ("Di daftar SHU tanpa setuju", ["Nomor anggota"], _after_lines(sheet, sheet.shu.untaken(False))),
            ("Setuju tanpa data SHU", ["Nomor anggota", "Nama"], _after_lines(sheet, sheet.shu.missing())),
            ("Menarik persetujuan SHU", ["Nomor anggota"], _after_lines(sheet, sheet.shu.untaken(True))),
        ]), name)
    if kind == "csv":
        # The conversion lines and the total only.
        lines = exports.completed(conversion.rows(sheet), None, deadline, closing=False, advice=SHEET_ADVICE)
        return downloads.send(exports.csv_bytes(lines, conversion.HEADERS), name)
    return render_template("admin/rat/lembar.html", sheet=sheet, rates=data.rates(), **context)


@bp.get("/kampanye/")
@access.role_required(accounts.CAMPAIGN)
def campaign_view():
    """Every cooperative's RAT and members, and the totals reported upward."""
    return render_template("admin/rat/kampanye.html", c=campaign.overview(), outcomes=rat.OUTCOMES,
                           statuses=rat.STATUS_LABELS)


@bp.get("/kampanye/ekspor.<fmt>")
@access.role_required(accounts.CAMPAIGN)
def campaign_export(fmt):
    """The campaign view across cooperatives as CSV or XLSX (campaign team)."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    rows = campaign.rows(campaign.overview())
    access.record(f"ekspor_{fmt}", detail={"laporan": "kampanye"}, rows=len(rows))
    db.session.commit()
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        body = exports.csv_bytes(rows, campaign.HEADERS)
    else:
        body = exports.xlsx_bytes([("Kampanye", campaign.HEADERS, rows)])
    return downloads.send(body, f"kampanye-rat-{stamp}.{fmt}")
