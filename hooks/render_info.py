"""Markers for benefits, the privacy notice, sources and the offline download."""
from __future__ import annotations

import os
from datetime import date
from functools import cache
from html import escape

from mkdocs.exceptions import PluginError

from kkbc import data
from kkbc.formatting import rupiah
from kkbc.rates import Month
from kkbc.site import OFFLINE_ZIP
from render_common import block, cites, source_line, table, tanggal, value
from render_iuran import check_office


@cache
def benefits() -> dict:
    return data.load("benefits")


def basis(ctx, group: dict) -> str:
    """The short source line under a benefit table: its legal basis, since when, and where we read it."""
    since = Month.parse(group["applies_from"]).label()
    return source_line([f'{escape(group["basis"])}, berlaku sejak {since}', cites(group["sources"])],
                       check_office(ctx))


def jkm_total() -> int:
    group = benefits()["jkm"]
    total = sum(r["amount"] for r in group["rows"])
    if total != group["total"]:
        raise PluginError(f"data/benefits.yml: JKM rows add up to {total}, not {group['total']}")
    return total


def beasiswa_total() -> int:
    group = benefits()["beasiswa"]
    per_child = sum(lv["per_year"] * lv["max_years"] for lv in group["levels"])
    total = per_child * group["max_children"]
    if total != group["max_total"]:
        raise PluginError(f"data/benefits.yml: scholarship levels add up to {total}, not {group['max_total']}")
    return total


def jkm_manfaat(ctx) -> str:
    group = benefits()["jkm"]
    rows = [[escape(r["label"]), value("jkm-manfaat", rupiah(r["amount"]))] for r in group["rows"]]
    return block("jkm-manfaat", table(
        "Uang dari Jaminan Kematian (JKM) untuk ahli waris", ["Jenis", "Jumlah"], rows,
        ["Jumlah seluruhnya", f"<strong>{value('jkm-manfaat', rupiah(jkm_total()))}</strong>"]) + basis(ctx, group))


def jkm_total_inline(ctx) -> str:
    return value("jkm-total", rupiah(jkm_total()))


def beasiswa(ctx) -> str:
    group = benefits()["beasiswa"]
    rows = [[escape(lv["level"]), value("beasiswa", rupiah(lv["per_year"])), f"{lv['max_years']} tahun"]
            for lv in group["levels"]]
    note = (f"<p>Untuk paling banyak {value('beasiswa-anak', str(group['max_children']))} anak. "
            f"Jumlah paling banyak untuk {group['max_children']} anak: "
            f"{value('beasiswa-maks', rupiah(beasiswa_total()))}. Beasiswa berhenti saat anak berumur "
            f"{group['ends_at_age']} tahun, menikah, atau bekerja. Bila peserta meninggal bukan karena "
            f"kecelakaan kerja, peserta harus sudah membayar iuran paling sedikit "
            f"{value('beasiswa-tahun', str(group['min_years_jkm']))} tahun. Bila anak belum sekolah, "
            f"beasiswa dimulai saat anak masuk sekolah.</p>")
    return block("beasiswa", table(
        "Beasiswa per anak per tahun", ["Jenjang", "Per tahun", "Paling lama"], rows) + note + basis(ctx, group))


def beasiswa_maks(ctx) -> str:
    return value("beasiswa-maks", rupiah(beasiswa_total()))


def jkk_manfaat(ctx) -> str:
    group = benefits()["jkk"]
    rows = []
    for r in group["rows"]:
        parts = []
        if "max" in r:
            parts.append(f"paling banyak {value('jkk-manfaat', rupiah(r['max']))}")
        if "text" in r:
            parts.append(escape(r["text"]))
        rows.append([escape(r["label"]), ", ".join(parts)])
    return block("jkk-manfaat", table(
        "Yang dibayar Jaminan Kecelakaan Kerja (JKK)", ["Manfaat", "Besarnya"], rows) + basis(ctx, group))


# --- privacy notice -----------------------------------------------------------

def privacy() -> dict:
    return data.load("privacy")


def privasi_versi(ctx) -> str:
    return value("privasi-versi", escape(str(privacy()["version"])))


def privasi_retensi(ctx) -> str:
    return value("privasi-retensi", f"{privacy()['retention_months']} bulan")


def privasi_log(ctx) -> str:
    return value("privasi-log", f"{privacy()['access_log_days']} hari")


def privasi_pengendali(ctx) -> str:
    return value("privasi-pengendali", escape(privacy()["controller"]))


def privasi_penerima(ctx) -> str:
    items = "".join(f"<li>{escape(r)}</li>" for r in privacy()["recipients"])
    return block("privasi-penerima", f"<ul>{items}</ul>")


# --- sources and download -------------------------------------------------------

def sumber(ctx, id: str) -> str:
    """An inline citation: ``id=a`` or ``id=a,b`` (ids in data/sources.yml)."""
    return f'<span class="kkbc-sumber">(sumber: {cites(id.split(","))})</span>'


def regulation_item(s: dict) -> str:
    """A regulation: a copy of its own text when one was read, else the news it is known from."""
    head = f"<strong>{escape(s['title'])}</strong>. {tanggal(s.get('date'))}."
    about = f" {escape(s['about'])}." if s.get("about") else ""
    if s["read"]:
        link = f' <a href="{escape(s["url"])}">Naskah peraturan (salinan)</a>.'
    else:
        link = (f" Naskahnya belum kami baca. Angka dan isinya kami ambil dari "
                f'<a href="{escape(s["url"])}">{escape(s["publisher"])}</a>.')
    if s.get("official"):
        link += f' <a href="{escape(s["official"])}">Teks resmi</a>.'
    return f'<li id="sumber-{s["id"]}">{head}{about}{link}</li>'


def sumber_daftar(ctx) -> str:
    doc = data.load("sources")
    items = "".join(regulation_item(s) for s in doc["regulations"])
    out = [f'<h2 id="regulations">Peraturan</h2><ul>{items}</ul>',
           '<h2 id="reports">Berita, laporan dan halaman resmi</h2><ul>']
    for s in doc["reports"]:
        who = f"{escape(s['publisher'])}, " if s.get("publisher") else ""
        about = f" {escape(s['about'])}." if s.get("about") else ""
        out.append(f'<li id="sumber-{s["id"]}"><a href="{escape(s["url"])}">{escape(s["title"])}</a>. '
                   f"{who}{tanggal(s.get('date'))}.{about}</li>")
    out.append("</ul>")
    return block("sumber-daftar", "".join(out))


def megabytes(n: int) -> str:
    """A file size as a reader on a data pack thinks of it: 220 KB, 1,4 MB."""
    if n < 1_000_000:
        return f"{round(n / 1000)} KB"
    return f"{n / 1_000_000:.1f} MB".replace(".", ",")


def unduh_offline(ctx) -> str:
    """The offline copy: its link, build date and size (scripts/build_site.py builds it)."""
    built = date.today()
    if ctx.config.extra.get("offline"):
        href = f"{ctx.config.site_url}unduh/{OFFLINE_ZIP}"
        return block("unduh-offline", f'<p>Salinan ini dibuat pada {value("unduh-tanggal", tanggal(built))}. '
                     f'Versi terbaru: <a href="{escape(href)}">{escape(href)}</a></p>')
    size = ""
    path = os.environ.get("KKBC_OFFLINE_ZIP")
    if path and os.path.isfile(path):
        size = f", {value('unduh-ukuran', megabytes(os.path.getsize(path)))}"
    return block("unduh-offline", (
        f'<p><a class="md-button md-button--primary" href="{OFFLINE_ZIP}" download>Unduh situs (zip{size})</a></p>'
        f'<p>Dibuat pada {value("unduh-tanggal", tanggal(built))}.</p>'))


def jht_klaim(ctx) -> str:
    group = benefits()["jht"]
    reasons = "".join(f"<li>{escape(r)}</li>" for r in group["reasons"])
    channels = "".join(
        f"<li>{escape(c['name'])}"
        + (f": untuk saldo paling banyak {value('jht-klaim', rupiah(c['max']))}" if c.get("max") else "")
        + "</li>" for c in group["channels"])
    return block("jht-klaim", (
        f"<p>JHT dibayar bila peserta:</p><ul>{reasons}</ul>"
        f"<p>Selain itu, {escape(group['partial'])}.</p>"
        f"<p>Tempat mengurus klaim JHT:</p><ul>{channels}</ul>"
        f"<p>Bila saldo lebih dari {value('jht-klaim', rupiah(group['npwp_above']))}, perlu NPWP (nomor pokok wajib pajak).</p>"
        + source_line([escape(group["basis"]), cites(group["sources"])])))


def privasi_data(ctx) -> str:
    """What the form collects and what it never asks for (data/privacy.yml)."""
    notice = privacy()
    taken = "".join(f"<li>{escape(x['text'])}</li>" for x in notice["collected"])
    never = "".join(f"<li>{escape(x)}</li>" for x in notice["not_collected"])
    return block("privasi-data", f"<p>Yang kami catat:</p><ul>{taken}</ul>"
                                 f"<p>Yang <strong>tidak</strong> pernah kami minta:</p><ul>{never}</ul>")


def production() -> bool:
    return os.environ.get("PORTAL_ENV") == "production"


def privasi_kontak(ctx) -> str:
    """How to reach the controller. Without it a production build fails: a notice
    that names no way to use one's rights is not a notice (UU 27/2022)."""
    contact = privacy().get("contact") or []
    if not contact:
        if production():
            raise PluginError("data/privacy.yml: 'contact' is empty; a production build needs "
                              "the controller's contact (PORTAL_ENV=production)")
        return block("privasi-kontak", '<p class="kkbc-galat">Kontak pengelola data belum diisi. '
                     "Sementara ini, tanyakan ke kantor koperasi Anda.</p>")
    items = []
    for c in contact:
        shown = escape(str(c["value"]))
        if c.get("href") and not str(c["href"]).startswith(("https://", "mailto:", "tel:")):
            raise PluginError(f"data/privacy.yml: contact link must be https:, mailto: or tel:, not {c['href']!r}")
        if c.get("href"):
            shown = f'<a href="{escape(c["href"])}">{shown}</a>'
        items.append(f"<li>{escape(c['label'])}: {shown}</li>")
    return block("privasi-kontak", f"<ul>{''.join(items)}</ul>")
