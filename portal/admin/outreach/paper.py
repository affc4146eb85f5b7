"""Paper forms: numbered batches to print, a spreadsheet template, and the
import of filled-in forms (checked first, stored only when staff confirm)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from kkbc import data
from kkbc.formatting import long_date

from ...outreach import assisted, imports, links, paper
from ...platform import clock, downloads, uploads
from ...extensions import db
from ...public import InterestForm
from ...staff import access
from .. import bp
from ...forms import ConfirmForm
from ..forms import ImportForm, PaperBatchForm

@bp.get("/formulir/")
def paper_index():
    """Cooperative staff go straight to their forms; the campaign team picks a cooperative."""
    return access.pick_cooperative("admin.paper_list", "admin/outreach/formulir_index.html")


@bp.route("/formulir/<slug>/", methods=["GET", "POST"])
def paper_list(slug):
    """The cooperative's batches, how many of each are entered; make a new batch."""
    slug = access.partner(slug)
    form = PaperBatchForm()
    if form.validate_on_submit():
        size = form.jumlah.validators[1].parse(form.jumlah.data)
        batch = paper.create_batch(slug, size, form.keterangan.data, current_user.id)
        access.record("formulir_dicetak", cooperative=slug, rows=size, detail={"berkas": batch.id})
        db.session.commit()
        flash(f"Berkas {batch.id} berisi {size} formulir sudah dibuat. Cetak semuanya sekarang.")
        return redirect(url_for("admin.paper_print", slug=slug, batch_id=batch.id), 303)
    return render_template("admin/outreach/formulir.html", form=form, coop=data.cooperatives()[slug],
                           batches=paper.batches(slug), used=paper.used_per_batch(slug), first=paper.display,
                           number_for=paper.number_for), \
        400 if form.errors else 200


@bp.get("/formulir/<slug>/<int:batch_id>/cetak")
def paper_print(slug, batch_id):
    """Every form of a batch, two A4 sides each, with its number and QR code."""
    slug = access.partner(slug)
    batch = paper.batch(slug, batch_id)
    if batch is None:
        abort(404)
    numbers = [paper.display(f.number) for f in batch.forms]
    return render_template("admin/outreach/formulir_cetak.html", batch=batch, coop=data.cooperatives()[slug],
                           forms=[(n, links.qr_svg(n, scale=4, scalable=True)) for n in numbers],
                           form=InterestForm(formdata=None, meta={"csrf": False}), privacy=data.privacy(),
                           base_url=links.base_url(), printed=long_date(clock.today()),
                           channels=assisted.CHANNELS)


@bp.get("/formulir/<slug>/templat.<any(csv, xlsx):fmt>")
def paper_template(slug, fmt):
    """The spreadsheet to type paper forms into: the form's columns and the form number."""
    slug = access.partner(slug)
    body = imports.template_csv() if fmt == "csv" else imports.template_xlsx()
    return downloads.send(body, f"templat-formulir-{slug}.{fmt}")


@bp.route("/formulir/<slug>/impor", methods=["GET", "POST"])
@uploads.accepts_upload(uploads.MAX_BYTES)
def paper_import(slug):
    """Upload a spreadsheet: it is checked and kept briefly, but nothing is stored."""
    slug = access.partner(slug)
    form = ImportForm()
    problems = []
    if form.validate_on_submit():
        content = form.berkas.data.read(uploads.MAX_BYTES + 1)
        if len(content) > uploads.MAX_BYTES:
            form.berkas.errors = [uploads.too_big(uploads.MAX_BYTES)]
            return render_template("admin/outreach/impor.html", form=form, coop=data.cooperatives()[slug],
                                   problems=[]), 413
        rows, problems = imports.check(content, slug)
        if not problems:
            token = imports.keep(content, current_user.id, slug).id
            db.session.commit()
            return redirect(url_for("admin.paper_import_check", slug=slug, token=token), 303)
    return render_template("admin/outreach/impor.html", form=form, coop=data.cooperatives()[slug],
                           problems=problems), 400 if form.is_submitted() else 200


@bp.route("/formulir/<slug>/impor/<token>", methods=["GET", "POST"])
def paper_import_check(slug, token):
    """Every row's problems; on confirmation, store the good rows and forget the file."""
    slug = access.partner(slug)
    upload = imports.pending(token, current_user.id, slug)
    if upload is None:
        flash("Unggahan ini sudah disimpan atau sudah kedaluwarsa. Unggah berkasnya lagi kalau perlu.")
        return redirect(url_for("admin.paper_import", slug=slug), 303)
    form = ConfirmForm()
    rows, _ = imports.check(upload.content, slug)
    if form.validate_on_submit():
        stored, refused, already = imports.store(rows, slug, current_user.username)
        access.record("impor", cooperative=slug, rows=stored,
                      detail={"sha256": upload.sha256, "disimpan": stored, "ditolak": refused,
                              "sudah_ada": already})
        imports.forget(upload)
        db.session.commit()
        flash(f"{stored} formulir disimpan. {refused} baris ditolak. {already} baris sudah ada sebelumnya.")
        return redirect(url_for("admin.paper_list", slug=slug), 303)
    return render_template("admin/outreach/impor_periksa.html", form=form, coop=data.cooperatives()[slug], rows=rows,
                           first=paper.display,
                           good=sum(1 for r in rows if r.values and not r.already))
