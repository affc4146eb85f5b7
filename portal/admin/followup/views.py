"""Back-office pages: dashboard, follow-up list and record, exports, audit log."""
from __future__ import annotations

import time
from datetime import datetime, timezone

from flask import current_app, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask_login import current_user

from kkbc import choices, formatting

from ...staff import accounts, audit
from ... import consent, followup, rat
from ...followup import exports, queries, stats
from ...consent import proof
from ...extensions import db
from ...platform import downloads
from ...staff import access
from .. import bp
from ..forms import DuplicateForm, FilterForm, FollowUpForm, PageForm, ScopeForm
from . import export_views

# Each format: its writer and where its rows come from.
EXPORT_TYPES = {"csv": (exports.csv_chunks, queries.csv_export_rows),
                "xlsx": (exports.xlsx_chunks, queries.export_rows)}


@bp.app_template_filter("angka")
def number(value) -> str:
    """12345 → 12.345, the Indonesian way."""
    return formatting.number(value) if isinstance(value, int) else str(value)


@bp.app_template_filter("cooperative_name")
def cooperative_name(slug) -> str:
    """Template filter: a cooperative's name, or nothing."""
    return choices.cooperative_label(slug) if slug else ""


@bp.app_template_filter("local_datetime")
def local_datetime(moment) -> str:
    """Template filter: a stored moment in WITA, as 07-12-2026 14:30."""
    return consent.local_time(moment).strftime("%d-%m-%Y %H:%M")


@bp.app_template_filter("audit_detail")
def audit_detail(detail: dict) -> str:
    """An audit entry's detail in one readable line."""
    parts = []
    for key, value in (detail or {}).items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}={v}" for k, v in value.items()) or "tanpa filter"
        parts.append(f"{key}: {value}")
    return "; ".join(parts)


@bp.app_template_filter("tanggal")
def long_date(day) -> str:
    """13 Maret 2027."""
    return formatting.long_date(day) if day else "-"


@bp.app_template_global("month_name")
def month_name(month: int) -> str:
    """Template filter: an Indonesian month name."""
    return formatting.month_name(month)


def _scope_from_query():
    form = ScopeForm(formdata=request.args)
    return access.scope(form.koperasi.data), form


@bp.get("/")
def dashboard():
    """Counts, breakdowns and the chart for the user's scope."""
    scope, form = _scope_from_query()
    per_cooperative = None
    if current_user.is_campaign and scope.cooperative is None:
        per_cooperative = stats.per_cooperative()
    return render_template("admin/followup/dashboard.html", scope=scope, form=form, s=stats.overview(scope),
                           per_cooperative=per_cooperative)


def _filtered():
    """The filter form, its scope, and the conditions; 400 on a bad filter."""
    form = FilterForm(formdata=request.args)
    scope = access.scope(form.koperasi.data)
    if not form.validate():
        return form, scope, None
    return form, scope, queries.conditions(scope, form.filters())


@bp.get("/tindak-lanjut/")
def follow_up_list():
    """The follow-up list with its filters, a page at a time."""
    form, scope, where = _filtered()
    if where is None:
        return render_template("admin/followup/daftar.html", form=form, scope=scope, pagination=None), 400
    pagination = queries.page(where, form.page(), form.setelah.data, form.sebelum.data, form.known_total())
    items, filters = pagination.items, form.filters()
    rows = [consent.present(s) for s in items]
    maybe_duplicate = queries.possible_duplicates([s.id for s in items])
    access.record("lihat_daftar", cooperative=scope.cooperative, rows=len(items),
                  detail={"filter": audit.masked(filters), "halaman": pagination.page})
    db.session.commit()
    return render_template("admin/followup/daftar.html", form=form, scope=scope, pagination=pagination,
                           filters=filters, rows=rows, maybe_duplicate=maybe_duplicate,
                           decisions=rat.decisions())


@bp.get("/tindak-lanjut/ekspor.<fmt>")
def export(fmt):
    """The current filtered list as CSV or XLSX, streamed, and logged."""
    if fmt not in EXPORT_TYPES:
        abort(404)
    form, scope, where = _filtered()
    if where is None:
        return render_template("admin/followup/daftar.html", form=form, scope=scope, pagination=None), 400
    deadline = time.monotonic() + current_app.config["EXPORT_SECONDS"]
    where.append(consent.counted())  # a person counts once: records marked as duplicates stay out
    expected = queries.total(where)
    if export_views.large(fmt, expected):  # made in the background instead (portal.followup.export_jobs)
        return export_views.offer(fmt, form, scope, expected)
    access.record(f"ekspor_{fmt}", cooperative=scope.cooperative, rows=expected,
                  detail={"filter": audit.masked(form.filters())})
    decisions = rat.decisions()
    db.session.commit()
    writer, source = EXPORT_TYPES[fmt]

    def generate():
        yield from writer(exports.completed(source(where, decisions), expected, deadline))

    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M")
    name = f"tindak-lanjut-{scope.cooperative or 'semua'}-{stamp}.{fmt}"
    return downloads.send(stream_with_context(generate()), name)


@bp.route("/tindak-lanjut/<int:submission_id>", methods=["GET", "POST"])
def follow_up(submission_id):
    """One member's data, consent history and follow-up; change the status."""
    submission = access.submission_or_404(submission_id)
    r = consent.present(submission)
    form = FollowUpForm(status=submission.follow_up_status)
    if not r.erased and form.validate_on_submit():
        if followup.change(submission, current_user, form.status.data, form.catatan.data):
            db.session.commit()
            flash("Tindak lanjut sudah disimpan.")
        return redirect(url_for(".follow_up", submission_id=submission.id), 303)
    access.record("lihat_data", cooperative=submission.cooperative, submission_id=submission.id)
    db.session.commit()
    history = followup.history(submission)
    same_phone = [(other, consent.present(other)) for other in consent.same_phone(submission)]
    status = 400 if form.errors else 200
    return render_template("admin/followup/anggota.html", s=submission, r=r, form=form, history=history,
                           events=consent.events(submission), same_phone=same_phone,
                           duplicate_form=DuplicateForm.for_record(submission, same_phone),
                           statuses=followup.STATUSES, local_time=consent.local_time), status


@bp.post("/tindak-lanjut/<int:submission_id>/ganda")
def mark_duplicate(submission_id):
    """Mark this record as the same person as another one, or undo it (audited)."""
    submission = access.submission_or_404(submission_id)
    same_phone = [(other, consent.present(other)) for other in consent.same_phone(submission)]
    form = DuplicateForm.for_record(submission, same_phone)
    if form.validate_on_submit():
        if form.asli.data == DuplicateForm.NOT_DUPLICATE:
            consent.unmark_duplicate(submission)
            access.record("batal_ganda", cooperative=submission.cooperative, submission_id=submission.id)
            flash("Data ini dihitung lagi sebagai orang tersendiri.")
        else:
            original = access.submission_or_404(int(form.asli.data))
            try:
                consent.mark_duplicate(submission, original)
            except ValueError:
                abort(400)
            access.record("tandai_ganda", cooperative=submission.cooperative, submission_id=submission.id,
                          detail={"sama_dengan": original.receipt_code})
            flash(f"Data ini ditandai sama dengan {consent.format_receipt_code(original.receipt_code)}. "
                  "Data ini tidak dihitung lagi dan tidak ikut diekspor.")
        db.session.commit()
    return redirect(url_for(".follow_up", submission_id=submission.id), 303)


@bp.get("/tindak-lanjut/<int:submission_id>/bukti.json")
def consent_record(submission_id):
    """The member's signed consent record, as they can download it (audited)."""
    submission = access.submission_or_404(submission_id)
    access.record("unduh_bukti", cooperative=submission.cooperative, submission_id=submission.id)
    db.session.commit()
    return proof.download(submission)


@bp.get("/audit/")
@access.role_required(accounts.CAMPAIGN)
def audit_log():
    """Who viewed or exported personal data, and account changes, newest first."""
    form = PageForm(formdata=request.args)
    return render_template("admin/followup/audit.html", pagination=audit.page(form.page()), actions=audit.ACTIONS, denied=audit.DENIED,
                           local_time=consent.local_time)
