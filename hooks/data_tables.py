"""Replace ``<!-- data:NAME -->`` markers in pages with figures from ``data/``.

Numbers on the site are never typed by hand: each marker is rendered from the
same data and arithmetic the portal uses (portal.data, portal.rates). An
unknown marker fails the build.
"""
from __future__ import annotations

import re
from datetime import date

from mkdocs.exceptions import PluginError

from portal import rates
from portal.rates import Month, rupiah

MARKER = re.compile(r"<!--\s*data:([a-z0-9-]+)\s*-->")


def _cost_now(page) -> str:
    today = date.today()
    month = Month(today.year, today.month)
    lines = []
    for sector, label in rates.data.rates()["sectors"].items():
        cost = rates.monthly_cost("jkk-jkm", month, sector)
        lines.append(f"- {label}: **{rupiah(cost)} per bulan** ({month.label()})")
    return "\n".join(lines)


RENDERERS = {
    "cost-now": _cost_now,
}


def on_page_markdown(markdown, page, config, files):
    def render(match):
        name = match.group(1)
        if name not in RENDERERS:
            raise PluginError(f"{page.file.src_path}: unknown data marker '{name}'")
        return RENDERERS[name](page)

    return MARKER.sub(render, markdown)
