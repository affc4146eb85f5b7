"""Large follow-up exports made in the background: asking for one, its
progress page (which reloads itself, no script needed) and the download
while the file lasts. Only staff of the job's scope see it; others get 404."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import abort, current_app, make_response, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from ... import consent
from ...extensions import db
from ...followup import export_jobs, queries
from ...forms import BaseForm
from ...models import ExportJob
from ...staff import access, accounts, audit
from .. import bp
from ..forms import FilterForm

REFRESH_SECONDS = 5


class ExportRequestForm(BaseForm):
    """Asking for a background export: nothing to fill in but the CSRF token."""


def large(fmt: str, expected: int) -> bool:
    """True when an export of this many rows is made in the background."""
    return expected > current_app.config["EXPORT_DIRECT_ROWS"][fmt]


def offer(fmt: str, form: FilterForm, scope, expected: int):
    """The page that explains why a large export is made in the background
    and asks for it with one button (nothing is made by merely opening a link)."""
    return render_template("admin/followup/ekspor_besar.html", fmt=fmt, scope=scope, expected=expected,
                           filters=form.filters(), form=ExportRequestForm())


@bp.post("/tindak-lanjut/ekspor-besar.<any(csv, xlsx):fmt>")
def export_job_request(fmt):
    """Ask for a background export of the filtered list (audited); then its progress page."""
    if not ExportRequestForm().validate_on_submit():
        abort(400)
    form = FilterForm(formdata=request.args)
    scope = access.scope(form.koperasi.data)
    if not form.validate():
        abort(400)
    where = queries.conditions(scope, form.filters()) + [consent.counted()]
    expected = queries.total(where)
    job = export_jobs.request(fmt, scope.cooperative, form.filters(), expected, current_user.id)
    access.record("ekspor_diminta", cooperative=scope.cooperative, rows=expected,
                  detail={"filter": audit.masked(form.filters()), "berkas": job.id, "bentuk": fmt})
    db.session.commit()
    return redirect(url_for(".export_job", job_id=job.id), 303)


def _job_or_404(job_id: int) -> ExportJob:
    """The job, only for staff of its scope: the campaign team, or the staff of
    its cooperative. Anyone else gets the same 404 as for a job that does not
    exist, and the attempt is logged."""
    job = db.session.get(ExportJob, job_id)
    if job is None:
        abort(404)
    if current_user.role != accounts.CAMPAIGN and (job.cooperative is None
                                                   or job.cooperative != current_user.cooperative):
        access.deny("ekspor koperasi lain", berkas=job_id)
    return job


def _gone(job: ExportJob) -> bool:
    """True when a finished job's file is past its time or may hold a member
    erased since; the file goes now, even if no worker has swept it yet."""
    if job.status == export_jobs.DONE and export_jobs.holds_erased(job):
        job.message = export_jobs.ERASED_SINCE
    elif not export_jobs.expired(job):
        return False
    if job.status != export_jobs.EXPIRED:
        path = export_jobs.path_of(job)
        if path is not None:
            path.unlink(missing_ok=True)
        job.status, job.file_name = export_jobs.EXPIRED, None
        db.session.commit()
    return True


@bp.get("/tindak-lanjut/ekspor/<int:job_id>")
def export_job(job_id):
    """How far the background export is, in plain words; the download once it is made."""
    job = _job_or_404(job_id)
    _gone(job)
    percent = int(job.done * 100 / job.expected) if job.expected else 0
    working = job.status in (export_jobs.WAITING, export_jobs.RUNNING)
    # The page reloads itself while the file is made (an HTTP Refresh, which
    # browsers follow with or without script) unless staff turn that off: a
    # page that reloads under a screen reader must be stoppable (WCAG 2.2.1).
    automatic = working and request.args.get("otomatis") != "tidak"
    response = make_response(render_template(
        "admin/followup/ekspor.html", job=job, states=export_jobs.STATES, percent=min(percent, 100),
        stalled=export_jobs.stalled(job), working=working, automatic=automatic, refresh=REFRESH_SECONDS,
        local_time=consent.local_time))
    if automatic:
        response.headers["Refresh"] = str(REFRESH_SECONDS)
    return response


@bp.get("/tindak-lanjut/ekspor/<int:job_id>/unduh")
def export_job_download(job_id):
    """The finished file (audited as an export); 410 with an explanation once it has expired."""
    job = _job_or_404(job_id)
    if _gone(job):
        return render_template("admin/followup/ekspor.html", job=job, states=export_jobs.STATES, percent=100,
                               stalled=False, working=False, automatic=False, refresh=REFRESH_SECONDS,
                               local_time=consent.local_time), 410
    path = export_jobs.path_of(job)
    if job.status != export_jobs.DONE or path is None or not path.is_file():
        return redirect(url_for(".export_job", job_id=job.id), 303)
    access.record(f"ekspor_{job.fmt}", cooperative=job.cooperative, rows=job.done,
                  detail={"berkas": job.id, "latar": True})
    db.session.commit()
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M")
    name = f"tindak-lanjut-{job.cooperative or 'semua'}-{stamp}.{job.fmt}"
    return send_file(path, mimetype=export_jobs.MIMETYPES[job.fmt], as_attachment=True, download_name=name,
                     max_age=0, conditional=False, etag=False)
