"""Cover in the back office: the lapse list per cooperative (with WhatsApp
links that open the officer's own WhatsApp, and a printable call list), and
the coverage funnel with its exports and the figures published for the site.

Scoped like the rest of the back office: another cooperative's lists answer
404 and the attempt is logged; the comparison between cooperatives and
publishing are for the campaign team.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from kkbc import data
from kkbc.rates import Month

from ...staff import accounts
from ...platform import clock, downloads
from ...followup import exports
from ...bpjs import cover, funnel, lapse, registration
from ...extensions import db
from ...forms import ConfirmForm
from ...models import CoveragePublication, CoverPeriod, utcnow
from ...staff import access
from .. import bp
from .cover_forms import MarkForm, PublishForm


@bp.get("/perlindungan/")
def lapse_index():
    """Cooperative staff go to their own list; the campaign team picks a cooperative."""
    return access.pick_cooperative("admin.lapse_list", "admin/bpjs/perlindungan_index.html")


def _lists(slug: str, page: str):
    ending, ended = lapse.rows(slug)
    access.record("daftar_perlindungan", cooperative=slug, rows=len(ending) + len(ended), detail={"halaman": page})
    db.session.commit()
    return ending, ended


@bp.get("/perlindungan/<slug>/")
def lapse_list(slug):
    """Members whose cover ends within two months, and those already lapsed."""
    slug = access.partner(slug)
    ending, ended = _lists(slug, "daftar")
    return render_template("admin/bpjs/perlindungan.html", coop=data.cooperatives()[slug], slug=slug,
                           ending=ending, ended=ended, marks=lapse.MARKS, now=cover.this_month(),
                           form=ConfirmForm(), mask_kpj=registration.mask_kpj)


@bp.get("/perlindungan/<slug>/cetak")
def lapse_print(slug):
    """The call list on paper, for branches without smartphones."""
    slug = access.partner(slug)
    ending, ended = _lists(slug, "cetak")
    return render_template("admin/bpjs/perlindungan_cetak.html", coop=data.cooperatives()[slug],
                           ending=ending, ended=ended, marks=lapse.MARKS, now=cover.this_month(),
                           printed=clock.today())


@bp.post("/perlindungan/<slug>/<int:submission_id>/tanda")
def lapse_mark(slug, submission_id):
    """Mark a member "sudah diingatkan" or "lanjut bayar sendiri" (audited)."""
    slug = access.partner(slug)
    submission = access.submission_or_404(submission_id)
    if submission.cooperative != slug:
        abort(404)
    form = MarkForm()
    if not form.validate_on_submit():
        flash("Pilih tanda: sudah diingatkan atau lanjut bayar sendiri.")
        return redirect(url_for("admin.lapse_list", slug=slug), 303)
    lapse.mark(submission, form.tanda.data, current_user.username, current_user.id, request.remote_addr)
    db.session.commit()
    flash(f"Ditandai: {lapse.MARKS[form.tanda.data].lower()}.")
    return redirect(url_for("admin.lapse_list", slug=slug), 303)


@bp.post("/perlindungan/<slug>/periode/<int:period_id>/benarkan")
def lapse_confirm(slug, period_id):
    """Staff checked with BPJS that a month the member paid themselves is there."""
    slug = access.partner(slug)
    period = db.session.get(CoverPeriod, period_id)
    if period is None:
        abort(404)
    submission = access.submission_or_404(period.submission_id)
    if submission.cooperative != slug or period.confirmed:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    lapse.confirm(period, current_user.username)
    access.record("bayar_sendiri_benar", cooperative=slug, submission_id=submission.id,
                  detail={"bulan": period.first})
    db.session.commit()
    flash("Iuran yang dibayar sendiri sudah dibenarkan.")
    return redirect(url_for("admin.lapse_list", slug=slug), 303)


def _funnel():
    """The funnel in the user's scope: their own cooperative, or all of them for the campaign team."""
    if current_user.role == accounts.COOPERATIVE:
        only = access.partner(request.args.get("koperasi") or current_user.cooperative)
    else:
        requested = request.args.get("koperasi")
        only = access.partner(requested) if requested else None
    return funnel.compute(only=only), only


@bp.get("/capaian/")
def coverage():
    """From members to members protected this month, as numbers, shares and charts."""
    found, only = _funnel()
    latest = db.session.query(CoveragePublication).order_by(CoveragePublication.id.desc()).first()
    form = PublishForm(formdata=None, tanggal=clock.today().isoformat()) if current_user.is_campaign else None
    return render_template("admin/bpjs/capaian.html", funnel=found, only=only, form=form, latest=latest,
                           comparison=current_user.is_campaign and only is None, shown=funnel.shown, chart=funnel.chart,
                           coops=data.cooperatives())


@bp.get("/capaian/unduh.<fmt>")
def coverage_download(fmt):
    """The funnel as CSV or XLSX for the reports BPJS Ketenagakerjaan NTT sends upward."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    found, only = _funnel()
    comparison = current_user.is_campaign and only is None
    access.record("capaian_unduh", cooperative=only, detail={"bentuk": fmt})
    db.session.commit()
    name = f"capaian-{only or 'ntt'}-{found.month}.{fmt}"
    if fmt == "csv":
        body = exports.csv_bytes(funnel.rows(found, comparison), funnel.HEADERS)
    else:
        body = exports.xlsx_bytes([("Capaian", funnel.HEADERS, funnel.rows(found, comparison)),
                                   ("Terlindungi per bulan", funnel.SERIES_HEADERS, funnel.series_rows(found))])
    return downloads.send(body, name)


@bp.post("/capaian/terbit")
@access.role_required(accounts.CAMPAIGN)
def coverage_publish():
    """Publish the figures the site's "Capaian" page shows at its next build."""
    form = PublishForm()
    if not form.validate_on_submit():
        found, _ = _funnel()
        return render_template("admin/bpjs/capaian.html", funnel=found, only=None, form=form, latest=None,
                               comparison=True, shown=funnel.shown, chart=funnel.chart,
                               coops=data.cooperatives()), 400
    figures = funnel.publication(form.tanggal.parsed)
    published = CoveragePublication(as_of=form.tanggal.parsed, figures=figures, published_at=utcnow(),
                                    published_by=current_user.username)
    db.session.add(published)
    access.record("capaian_terbit", detail={"per_tanggal": figures["per_tanggal"]})
    db.session.commit()
    flash(f"Angka capaian per {Month(form.tanggal.parsed.year, form.tanggal.parsed.month).label()} diterbitkan. "
          "Halaman Capaian di situs memakainya setelah situs dibangun lagi.")
    return redirect(url_for("admin.coverage"), 303)
