"""What the critical CSS keeps and drops (kkbc/critical_css.py), on small inputs."""
from __future__ import annotations

from pathlib import Path

import pytest

from kkbc import critical_css
from scripts.portal_css import portal_css

ROOT = Path(__file__).resolve().parents[2]

PAGE = """<html><body><input id="t" class="md-toggle" type="checkbox"><nav class="nav">
<a class="link" href="/">x</a></nav><div class="box" style="color: var(--inline)"></div></body></html>"""


def critical(css: str, html: str = PAGE, own: str = "") -> str:
    return critical_css.Theme(css).critical(critical_css.document(html), own)


def test_keeps_rules_whose_selectors_match_and_drops_the_rest():
    assert critical(".nav .link{color:red}.gone{color:blue}") == ".nav .link{color:red}"
    # One matching selector keeps the whole list, so the cascade is unchanged.
    assert critical(".gone,.box{margin:0}") == ".gone,.box{margin:0}"


def test_states_and_pseudo_elements_count_as_possible():
    css = (".link:hover{color:red}.link:focus-visible{outline:0}.md-toggle:checked~.nav{display:none}"
           ".box:before{content:''}.box::after{content:''}.nav:not(:hover) .link{opacity:1}"
           ".gone:hover{color:blue}.box:-webkit-autofill{color:red}")
    kept = critical(css)
    for rule in (".link:hover", ".link:focus-visible", ".md-toggle:checked~.nav", ".box:before",
                 ".box::after", ".nav:not(:hover) .link", ".box:-webkit-autofill"):
        assert rule in kept
    assert ".gone" not in kept


def test_structural_pseudo_classes_still_decide():
    kept = critical(".nav:first-child{a:b}.box:empty{c:d}.nav .link:nth-child(2){e:f}")
    assert ".box:empty" in kept and ".nav .link:nth-child(2)" not in kept


def test_media_blocks_keep_only_their_matching_rules():
    kept = critical("@media screen and (min-width:60em){.nav{a:b}.gone{c:d}}@media print{.gone{e:f}}")
    assert kept == "@media screen and (min-width:60em){.nav{a:b}}"


def test_custom_properties_only_when_read():
    css = (":root{--used:var(--deep);--deep:1px;--unused:url(big.svg)}.box{margin:var(--used)}"
           ".gone{--gone:1}")
    kept = critical(css, own=".x{padding:var(--own)}")
    assert "--used:var(--deep)" in kept and "--deep:1px" in kept and "--unused" not in kept
    assert critical(":root{--own:1;--inline:2;--no:3}", own=".x{padding:var(--own)}") == ":root{--own:1;--inline:2}"


def test_keyframes_only_when_an_animation_uses_them():
    css = ".box{animation:spin 1s}@keyframes spin{to{a:b}}@keyframes other{to{a:b}}"
    kept = critical(css)
    assert "@keyframes spin" in kept and "other" not in kept


def test_an_unknown_selector_is_kept_rather_than_lost():
    assert "::-moz-range-thumb" in critical(".nav::-moz-range-thumb{a:b}")
    assert ":unknown-state" in critical(".nav:unknown-state(x){a:b}")


def test_css_that_would_close_its_style_element_fails_the_build():
    with pytest.raises(SystemExit):
        critical_css.safe(".x{content:'</style>'}")


def test_a_portal_template_added_later_brings_its_theme_rules(tmp_path):
    """The portal's CSS comes from every template's markup, not from a list."""
    import material

    theme = next((Path(material.__file__).parent / "templates" / "assets" / "stylesheets").glob("main.*.min.css"))
    own = [ROOT / "portal" / "static" / "portal.css"]
    before = portal_css([theme], own, tmp_path)
    (tmp_path / "baru.html").write_text(
        '{% extends "base.html" %}{% block content %}<div class="admonition {{ kind }}">'
        '<p class="admonition-title">x</p></div>{% endblock %}', encoding="utf-8")
    after = portal_css([theme], own, tmp_path)
    assert ".md-typeset .admonition" not in before and ".md-typeset .admonition" in after
