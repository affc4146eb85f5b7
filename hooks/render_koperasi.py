"""Markers for the partner cooperatives, from data/cooperatives.yml."""
from __future__ import annotations

import posixpath
from html import escape

from mkdocs.exceptions import PluginError

from kkbc import data
from kkbc.formatting import number
from kkbc.rates import Month
from render_common import block, cite, cite_url, source_line, tanggal, value

PAGES_DIR = "koperasi"


def cooperative(slug: str):
    coops = data.cooperatives()
    if slug not in coops:
        raise PluginError(f"unknown cooperative '{slug}' (data/cooperatives.yml)")
    return coops[slug]


def raw(slug: str) -> dict:
    """The cooperative's entry as written, including keys the portal does not read."""
    return next(c for c in data.load("cooperatives")["cooperatives"] if c["slug"] == slug)


def form_path(slug: str) -> str:
    """The portal's form link for a cooperative; printed on posters, never change it."""
    return f"/k/{slug}"


def page_link(ctx, slug: str) -> str:
    """A Markdown link target from the current page to the cooperative's page."""
    target = f"{PAGES_DIR}/{slug}.md"
    if ctx.files.get_file_from_path(target) is None:
        raise PluginError(f"cooperative '{slug}' has no page {target}")
    return posixpath.relpath(target, posixpath.dirname(ctx.page.file.src_uri) or ".")


def koperasi_daftar(ctx) -> str:
    """Every partner cooperative, with its page and its form link (Markdown)."""
    lines = []
    for slug, c in data.cooperatives().items():
        lines.append(f"- **[{c.name}]({page_link(ctx, slug)})**, {c.seat}. "
                     f"[Daftar minat lewat {c.short_name}]({form_path(slug)})")
    return '\n\n<div class="kkbc-data" data-kkbc="koperasi-daftar" markdown>\n\n' + "\n".join(lines) + "\n\n</div>\n\n"


def koperasi_fakta(ctx) -> str:
    """The facts of the page's cooperative (front matter ``koperasi: <slug>``)."""
    slug = ctx.page.meta.get("koperasi")
    if not slug:
        raise PluginError(f"{ctx.page.file.src_path}: koperasi-fakta needs 'koperasi' in the front matter")
    c, entry = cooperative(slug), raw(slug)
    kabupaten = data.kabupaten()[c.kabupaten]
    seat = c.seat if kabupaten.split(" ", 1)[1] in c.seat else f"{c.seat}, {kabupaten}"
    founded = tanggal(entry["founded"]) if entry.get("founded") else "tanggal berdiri tidak tercantum di sumber kami"
    # A member count is a snapshot: its month stands beside it, not only in the source line.
    as_of = Month(c.members_as_of.year, c.members_as_of.month).label()
    members = f"{value('koperasi-anggota', number(c.members))} anggota pada {as_of}"
    rows = [("Nama lengkap", escape(c.name)), ("Kantor pusat", escape(seat)),
            ("Berdiri", founded), ("Jumlah anggota", members)]
    cited = ([f"{cite(entry['founded_source'])} (berdiri)"] if entry.get("founded") else []) \
        + [f"{cite_url(c.members_source)} (jumlah anggota, {escape(c.members_note)})"]
    html = ["<dl class=\"kkbc-fakta\">"]
    html += [f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows]
    html.append("</dl>" + source_line(cited))
    for key, heading in (("facts", "Tentang koperasi"), ("bpjs", "Bersama BPJS Ketenagakerjaan")):
        items = entry.get(key) or []
        if items:
            html.append(f"<h2>{heading}</h2><ul>")
            for item in items:
                # The event's date leads the item; the report's own date is in its source line.
                when = f"<strong>{tanggal(item['date'])}</strong>: " if item.get("date") else ""
                html.append(f"<li>{when}{escape(item['text'])}{source_line([cite(item['source'])])}</li>")
            html.append("</ul>")
    return block("koperasi-fakta", "".join(html))


def tautan_formulir(ctx) -> str:
    """The form link of every cooperative, as printed in a newsletter (full public address)."""
    base = ctx.config.site_url.rstrip("/")
    items = []
    for slug, c in data.cooperatives().items():
        shown = base.split("://", 1)[-1] + form_path(slug)
        items.append(f'<li><strong>{escape(c.short_name)}</strong>: '
                     f'<a href="{form_path(slug)}">{escape(shown)}</a></li>')
    return block("tautan-formulir", "<ul>" + "".join(items) + "</ul>")


def contoh_keputusan(ctx) -> str:
    """The draft RAT decision (data/rat.yml), the same text the portal's RAT record
    starts from. Written as Markdown, so terms get their explanations like any text."""
    d = data.rat()["decision"]
    heading = [f"**{h}**" for h in d["heading"]]
    lines = [*heading[:2], "", *heading[2:], "", d["opening"], "", "**Menimbang**:", "",
             *[f"- {c}" for c in d["considering"]], "", "**Mengingat**:", "",
             *[f"- {r}" for r in d["recalling"]], "", "**MEMUTUSKAN:**", "",
             *[f"{n}. {p}" for n, p in enumerate(d["points"], 1)], "", *d["closing"]]
    body = "\n".join(lines)
    return f'\n\n<div class="kkbc-contoh-teks" markdown>\n\n{body}\n\n</div>\n\n'
