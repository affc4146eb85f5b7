"""Small HTML and date helpers shared by the marker renderers."""
from __future__ import annotations

from datetime import date
from functools import cache
from html import escape

from mkdocs.exceptions import PluginError

from kkbc import data
from kkbc.formatting import long_date
from kkbc.rates import Month


def tanggal(value) -> str:
    """An Indonesian date as precise as the data: 17 November 2023, Maret 2024, 2015."""
    if value is None:
        return "tanpa tanggal"
    if isinstance(value, date):
        return long_date(value)
    text = str(value)
    if len(text) == 7:
        return Month.parse(text).label()
    return text


@cache
def sources() -> dict[str, dict]:
    """Every source in data/sources.yml by id."""
    doc = data.load("sources")
    return {s["id"]: s for s in doc["regulations"] + doc["reports"]}


def source(source_id: str) -> dict:
    try:
        return sources()[source_id]
    except KeyError:
        raise PluginError(f"unknown source id '{source_id}' (data/sources.yml)") from None


def cite(source_id: str) -> str:
    """A link to a source with its publisher (or title) and date."""
    s = source(source_id)
    name = s.get("publisher") or s["title"]
    when = escape(s["date_note"]) if s.get("date_note") else tanggal(s.get("date"))
    return f'<a href="{escape(s["url"])}">{escape(name)}</a>, {when}'


def cites(source_ids) -> str:
    return "; ".join(cite(i) for i in source_ids)


def cite_url(url: str) -> str:
    """The citation of the source in data/sources.yml at this address (data files that
    name a link rather than an id); an address not listed there fails the build."""
    for s in sources().values():
        if url in (s["url"], s.get("official")):
            return cite(s["id"])
    raise PluginError(f"{url} is not in data/sources.yml")


def source_line(parts, note: str = "") -> str:
    """The short source line right below a table or figure block: "Sumber: a; b." (parts are HTML)."""
    return f'<p class="kkbc-sumber">Sumber: {"; ".join(parts)}.{" " + note if note else ""}</p>'


def value(name: str, text: str) -> str:
    """An inline figure, tagged so tests can find every number that came from data/."""
    return f'<span class="kkbc-angka" data-kkbc="{name}">{text}</span>'


def block(name: str, html: str) -> str:
    """A block of generated HTML, kept apart from the Markdown around it."""
    return f'\n\n<div class="kkbc-data" data-kkbc="{name}">\n{html}\n</div>\n\n'


def table(caption: str, head: list[str], rows: list[list[str]], foot: list[str] | None = None) -> str:
    """A plain table: Material styles tables without a class; cells are HTML."""
    out = [f"<table><caption>{caption}</caption><thead><tr>"]
    out += [f'<th scope="col">{h}</th>' for h in head]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>" + f'<th scope="row">{row[0]}</th>' + "".join(f"<td>{c}</td>" for c in row[1:]) + "</tr>")
    out.append("</tbody>")
    if foot:
        out.append("<tfoot><tr>" + f'<th scope="row">{foot[0]}</th>' + "".join(f"<td>{c}</td>" for c in foot[1:]) + "</tr></tfoot>")
    out.append("</table>")
    return "".join(out)
