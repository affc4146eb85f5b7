"""Link kit: campaign codes, QR codes, posters, flyers and ready-made texts.

Scoped like everything else: cooperative staff manage only their own
cooperative's codes; the campaign team manages every partner's.
"""
from __future__ import annotations

from urllib.parse import quote

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from kkbc import data, rates
from kkbc.formatting import long_date

from ...platform import clock, downloads
from ...outreach import contacts, links
from ...extensions import db
from ...models import CampaignCode
from ...staff import access
from .. import bp
from ..forms import CampaignCodeForm, ContactForm


def _code(slug: str, code: str | None) -> CampaignCode | None:
    if code is None:
        return None
    found = links.find(slug, code)
    if found is None:
        abort(404)
    return found


def _kit(slug: str, code: CampaignCode | None) -> dict:
    url = links.link(slug, code.code if code else None)
    return {
        "coop": data.cooperatives()[slug], "code": code, "url": url,
        "display_url": url.split("://", 1)[-1],
        "qr_svg": links.qr_svg(url, scale=6, scalable=True),
        "newsletter": links.newsletter_paragraph(slug, url),
        "whatsapp": links.whatsapp_message(slug, url),
        "args": {"slug": slug, "code": code.code} if code else {"slug": slug},
    }


@bp.context_processor
def local_links_warning():
    """On the link kit, say plainly when links would open only on this computer."""
    if request.endpoint and request.endpoint.startswith("admin.links") and links.points_at_this_machine():
        return {"local_links": links.base_url()}
    return {}


@bp.get("/tautan/")
def links_index():
    """Cooperative staff go straight to their own links; the campaign team picks."""
    return access.pick_cooperative("admin.links_list", "admin/outreach/tautan_index.html")


@bp.route("/tautan/<slug>/", methods=["GET", "POST"])
def links_list(slug):
    """The cooperative's codes with how many members each brought; create one."""
    slug = access.partner(slug)
    form = CampaignCodeForm(cooperative=slug)
    if form.validate_on_submit():
        code = links.create(slug, form.kode.data, form.keterangan.data, current_user.id)
        access.record("kode_dibuat", cooperative=slug, detail={"kode": code.code})
        db.session.commit()
        flash(f"Kode {code.code} sudah dibuat.")
        return redirect(url_for("admin.links_kit", slug=slug, code=code.code), 303)
    archived = request.args.get("arsip") == "1"
    return render_template("admin/outreach/tautan.html", form=form, coop=data.cooperatives()[slug],
                           codes=links.codes(slug, include_retired=archived), archived=archived,
                           counts=links.counts_by_code(slug), base_url=links.link(slug)), \
        400 if form.errors else 200


@bp.post("/tautan/<slug>/<code>/arsip")
def links_retire(slug, code):
    """Hide a code from the lists, or bring it back; its links keep working."""
    slug = access.partner(slug)
    found = _code(slug, code)
    retire = found.retired_at is None
    if retire:
        links.retire(found)
    else:
        links.restore(found)
    access.record("kode_diarsipkan" if retire else "kode_dipulihkan", cooperative=slug,
                  detail={"kode": found.code})
    db.session.commit()
    flash(f"Kode {found.code} {'diarsipkan' if retire else 'dipakai lagi'}. Tautannya tetap bekerja.")
    return redirect(url_for("admin.links_list", slug=slug), 303)


@bp.get("/tautan/<slug>/kit", defaults={"code": None})
@bp.get("/tautan/<slug>/<code>/kit")
def links_kit(slug, code):
    """Everything to share one link: QR code, poster, flyers, texts."""
    slug = access.partner(slug)
    kit = _kit(slug, _code(slug, code))
    share = "https://wa.me/?text=" + quote(kit["whatsapp"])
    return render_template("admin/outreach/kit.html", share=share, contact=contacts.get(slug), **kit)


@bp.get("/tautan/<slug>/poster", defaults={"code": None})
@bp.get("/tautan/<slug>/<code>/poster")
def links_poster(slug, code):
    """An A5 poster for the office wall, with the price for the month it is
    printed for (?bulan=YYYY-MM, this month or the next) and the contact person."""
    slug = access.partner(slug)
    kit = _kit(slug, _code(slug, code))
    month = this_month = rates.this_month()
    if request.args.get("bulan") == str(this_month.next()):
        month = this_month.next()
    return render_template("admin/outreach/poster.html", month=month,
                           other_month=this_month.next() if month == this_month else this_month,
                           prices=links.poster_prices(month), basis=links.price_basis(month),
                           sectors=[label.split(" (")[0] for label in data.rates()["sectors"].values()],
                           contact=contacts.get(slug), printed=long_date(clock.today()), **kit)


@bp.get("/tautan/<slug>/selebaran", defaults={"code": None})
@bp.get("/tautan/<slug>/<code>/selebaran")
def links_flyers(slug, code):
    """An A4 sheet of eight small flyers to cut and hand out."""
    slug = access.partner(slug)
    return render_template("admin/outreach/selebaran.html", printed=long_date(clock.today()),
                           **_kit(slug, _code(slug, code)))


@bp.get("/tautan/<slug>/qr.<kind>", defaults={"code": None})
@bp.get("/tautan/<slug>/<code>/qr.<kind>")
def links_qr(slug, code, kind):
    """The QR code as a file for newsletters and printers (SVG or PNG)."""
    slug = access.partner(slug)
    found = _code(slug, code)
    url = links.link(slug, found.code if found else None)
    name = f"qr-{slug}" + (f"-{found.code}" if found else "")
    if kind == "svg":
        body = links.qr_svg(url)
    elif kind == "png":
        body = links.qr_png(url)
    else:
        abort(404)
    return downloads.send(body, f"{name}.{kind}")


@bp.route("/tautan/<slug>/kontak", methods=["GET", "POST"])
def links_contact(slug):
    """Who members can ask at the cooperative: printed on every poster."""
    slug = access.partner(slug)
    contact = contacts.get(slug)
    form = ContactForm(data={"nama": contact.name, "nomor": contact.phone, "tempat": contact.place}
                       if contact else None)
    if form.validate_on_submit():
        changed = contacts.save(slug, name=form.nama.data, phone=form.nomor.data, place=form.tempat.data,
                                user_id=current_user.id)
        # The log says what changed, not the values (a person's name and number).
        access.record("kontak_diubah", cooperative=slug, detail={"kolom": changed})
        db.session.commit()
        flash("Petugas yang bisa ditanya sudah disimpan. Poster berikutnya memuatnya.")
        return redirect(url_for("admin.links_kit", slug=slug), 303)
    return render_template("admin/outreach/kontak.html", form=form, coop=data.cooperatives()[slug]), \
        400 if form.errors else 200
