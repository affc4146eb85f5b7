"""Front matter is the page contract, and the search's Indonesian variants.

Every page needs ``title``, ``description`` and ``diperiksa`` (the date its
facts were last checked, shown at the foot of the page); the build fails
without them. The search engine has no Indonesian stemmer, so a page's
``keywords`` are expanded with the variants in ``extra.search_synonyms``
(BPJAMSOSTEK, Jamsostek, kecelakaan kerja...) and indexed as tags.
"""
from __future__ import annotations

import re
from datetime import date

from mkdocs.exceptions import PluginError

from kkbc.site import PUBLIC_URL
from render_common import tanggal
from render_koperasi import cooperative, form_path

REQUIRED = ("title", "description", "diperiksa")
# Material's base.html writes autocomplete="off" on its two toggle checkboxes,
# outside any block a theme override can replace; HTML allows autocomplete on
# text-like inputs only (the Nu Html Checker reports it on every page).
TOGGLE_AUTOCOMPLETE = re.compile(r'(<input class="md-toggle"[^>]*type="checkbox"[^>]*?) autocomplete="off"')


def on_config(config):
    # PUBLIC_URL may be set but empty (the portal reads that as "the request's host").
    if not config.site_url:
        config.site_url = PUBLIC_URL + "/"
    return config


def expand(keywords, groups) -> list[str]:
    """The keywords plus every variant in a synonym group one of them belongs to."""
    out = []
    for word in keywords:
        out.append(str(word))
        for group in groups:
            if str(word).lower() in (g.lower() for g in group):
                out.extend(group)
    return list(dict.fromkeys(out))


def on_page_markdown(markdown, page, config, files):
    meta = page.meta
    missing = [key for key in REQUIRED if not meta.get(key)]
    if missing:
        raise PluginError(f"{page.file.src_path}: front matter lacks {', '.join(missing)}")
    if not isinstance(meta["diperiksa"], date):
        raise PluginError(f"{page.file.src_path}: 'diperiksa' must be a date (YYYY-MM-DD)")
    meta["diperiksa_label"] = tanggal(meta["diperiksa"])
    if meta.get("keywords"):
        meta["tags"] = expand(meta["keywords"], config.extra.get("search_synonyms", []))
    if meta.get("koperasi"):
        coop = cooperative(meta["koperasi"])
        meta["kkbc_daftar"] = {"href": form_path(coop.slug), "text": f"Daftar minat lewat {coop.short_name}"}
    return markdown


def on_post_page(output, page, config):
    return TOGGLE_AUTOCOMPLETE.sub(r"\1", output)


def on_post_template(output, template_name, config):
    """404.html is a static template: no page hook sees it."""
    return TOGGLE_AUTOCOMPLETE.sub(r"\1", output)
