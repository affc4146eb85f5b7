"""The "Capaian" page: members protected through the SHU conversion, per
cooperative, as the campaign team published them (data/capaian.yml). Only
published figures, never live ones; a group under five is never shown."""
from __future__ import annotations

from datetime import date
from html import escape

import yaml

from kkbc import data
from kkbc.formatting import long_date, number
from render_common import block

BAR, LABEL, ROW = 220, 150, 30


def _count(n) -> str:
    return "kurang dari 5 (tidak ditampilkan)" if n is None else number(n)


def _chart(rows: list[dict]) -> str:
    """Horizontal bars drawn in the page (no script), one per cooperative with a figure shown."""
    shown = [r for r in rows if r.get("terlindungi")]
    if not shown:
        return ""
    peak = max(r["terlindungi"] for r in shown)
    height = ROW * len(shown)
    parts = [f'<svg class="kkbc-capaian-grafik" viewBox="0 0 {LABEL + BAR + 70} {height}" role="img" '
             'aria-labelledby="capaian-grafik-judul"><title id="capaian-grafik-judul">Anggota terlindungi lewat '
             'konversi SHU per koperasi</title>']
    for i, r in enumerate(shown):
        width = round(BAR * r["terlindungi"] / peak, 1)
        y = i * ROW
        parts.append(f'<text x="{LABEL - 8}" y="{y + 20}" text-anchor="end" font-size="14" fill="currentColor">'
                     f'{escape(r["nama"].replace("KSP Kopdit ", ""))}</text>'
                     f'<rect x="{LABEL}" y="{y + 5}" width="{width}" height="20" fill="#2e7d32"></rect>'
                     f'<text x="{LABEL + width + 6}" y="{y + 20}" font-size="14" fill="currentColor">'
                     f'{number(r["terlindungi"])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render(doc: dict) -> str:
    """The page's figures from a published aggregate (a dict as in data/capaian.yml)."""
    if not doc or not doc.get("per_tanggal"):
        return ("<p>Belum ada angka yang diterbitkan. Angka pertama muncul setelah ada anggota "
                "yang terlindungi lewat SHU.</p>")
    as_of = doc["per_tanggal"]
    as_of = as_of if isinstance(as_of, date) else date.fromisoformat(str(as_of))
    rows = doc.get("koperasi") or []
    body = "".join(
        f'<tr id="{escape(r["slug"])}"><th scope="row">{escape(r["nama"])}</th><td>{_count(r.get("terlindungi"))}</td>'
        f'<td>{number(r["anggota"]) if r.get("anggota") else "tidak diketahui"}'
        f'{" (" + long_date(date.fromisoformat(str(r["anggota_per"]))) + ")" if r.get("anggota_per") else ""}</td></tr>'
        for r in rows)
    total = doc.get("jumlah")
    return (f'<p>Angka per <strong>{long_date(as_of)}</strong>. Yang dihitung: anggota yang terlindungi JKK '
            f'dan JKM lewat SHU pada bulan itu. Seluruhnya <strong>{_count(total)}</strong> anggota.</p>'
            f'{_chart(rows)}'
            '<table><caption>Anggota terlindungi lewat konversi SHU, per koperasi</caption>'
            '<thead><tr><th scope="col">Koperasi</th><th scope="col">Terlindungi lewat SHU</th>'
            '<th scope="col">Jumlah anggota koperasi (per tanggal)</th></tr></thead>'
            f'<tbody>{body}</tbody></table>')


def capaian(ctx) -> str:
    """The published figures of data/capaian.yml (or of ``extra.capaian_file``, to build from a sample)."""
    other = ctx.config["extra"].get("capaian_file")
    if other:
        with open(other, encoding="utf-8") as f:
            return block("capaian", render(yaml.safe_load(f)))
    return block("capaian", render(data.load("capaian")))
