"""Technical terms explained where they are first used (data/istilah.yml).

Every use of a term in a page's text becomes ``<abbr title="...">`` (Markdown's
abbr extension, fed from the data), and the first use outside headings, links
and tables gets its explanation in brackets, visible on a phone where a
tooltip is not. A page that already explains a term there ("SHU (sisa hasil
usaha)", "disebut iuran") is left as written.
"""
from __future__ import annotations

import re
from functools import cache
from html import escape, unescape

from kkbc import data

ABBR = re.compile(r'<abbr title="([^"]*)">([^<]*)</abbr>')
# Tags inside which a gloss would not read as running text.
NO_GLOSS = ("h1", "h2", "h3", "h4", "h5", "h6", "table", "caption", "button", "label", "option", "title")
BUTTON_LINK = re.compile(r'<a [^>]*class="[^"]*md-button')


@cache
def terms() -> dict[str, str]:
    """Every spelling of every term, with its explanation."""
    out = {}
    for term, spec in data.load("istilah")["istilah"].items():
        for spelling in [term] + list(spec.get("lihat", [])):
            out[str(spelling)] = spec["arti"]
    return out


def on_page_markdown(markdown, page, config, files):
    defs = "\n".join(f"*[{term}]: {arti}" for term, arti in terms().items())
    return f"{markdown}\n\n{defs}\n"


def inside(html: str, pos: int, tag: str) -> bool:
    opened = max(html.rfind(f"<{tag}>", 0, pos), html.rfind(f"<{tag} ", 0, pos))
    return opened > html.rfind(f"</{tag}>", 0, pos)


def explained(html: str, match: re.Match) -> bool:
    """Already explained at this use: a bracket right after, or the words around it."""
    after = re.sub(r"<[^>]+>", "", html[match.end():match.end() + 120]).lstrip()
    before = re.sub(r"<[^>]+>", "", html[max(0, match.start() - 160):match.start()])
    arti = unescape(match.group(1)).lower()
    key = arti.split(",")[0][:20]
    near = before[-40:].lower()
    return (after.startswith(("(", ":", "adalah", "artinya")) or before.rstrip().endswith("(")
            or "disebut" in near or "namanya" in near or key in before.lower() or key in after[:100].lower())


def gloss(html: str) -> str:
    seen, out, last = set(), [], 0
    for match in ABBR.finditer(html):
        term = unescape(match.group(2)).lower()
        if term in seen or match.start() < last or any(inside(html, match.start(), t) for t in NO_GLOSS):
            continue
        # In a link the explanation follows the link; a button label stays short.
        end = match.end()
        if inside(html, match.start(), "a"):
            if BUTTON_LINK.match(html, html.rfind("<a ", 0, match.start())):
                continue
            end = html.index("</a>", end) + len("</a>")
        seen.add(term)
        if not explained(html, match):
            out.append(html[last:end])
            out.append(f' <span class="kkbc-istilah">({escape(unescape(match.group(1)), quote=False)})</span>')
            last = end
    out.append(html[last:])
    return "".join(out)


def on_page_content(html, page, config, files):
    return gloss(html)
