"""The portal's inline CSS: ``python scripts/portal_css.py [SITE_DIR]``.

Run after the site build (scripts/build_site.py), which never loads the web
application: the theme rules the portal's pages use, drawn from the theme's
files in the built site by the same engine as the site's pages
(kkbc/critical_css.py), then the portal's own stylesheet, written to
``SITE_DIR/assets/stylesheets/portal-kritis.css`` (static_site.py reads it
at start). The portal's static files are compressed here too, so WhiteNoise
serves their .gz/.br variants.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bs4 import BeautifulSoup
from jinja2 import Environment
from whitenoise.compress import Compressor

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the portal, run from a checkout

from kkbc.critical_css import Theme, document, minify, safe, theme_files  # noqa: E402

from portal import create_app  # noqa: E402
from portal.config import ROOT  # noqa: E402
from portal.platform.static_site import PORTAL_CSS, PORTAL_STATIC  # noqa: E402

TEMPLATES = ROOT / "portal" / "templates"


def portal_document(templates: Path) -> BeautifulSoup:
    """Every element the portal's pages can show, in one document.

    The form page as the portal renders it (WTForms' own controls, the error
    summary), with the text of every template under ``templates`` put into its
    content area, Jinja tags removed (Jinja's own lexer), so both branches of
    each condition and any page added later take part."""
    app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "SITE_DIR": "/nonexistent", "WTF_CSRF_ENABLED": False})
    response = app.test_client().post("/daftar/", data={})
    if response.status_code != 400:
        raise SystemExit(f"portal form without answers: expected 400, got {response.status_code}")
    doc = document(response.get_data(as_text=True))
    content = doc.select_one("main article") or doc.body
    lexer = Environment()
    for path in sorted(templates.rglob("*.html")):
        text = "".join(value if kind == "data" else "x" if kind == "variable_begin" else ""
                       for _, kind, value in lexer.lex(path.read_text(encoding="utf-8")))
        content.append(document(text))
    return doc


def portal_css(theme_files: list[Path], own_files: list[Path], templates: Path) -> str:
    """The portal's one inline stylesheet: the theme's rules its pages use, then its own."""
    own = "".join(minify(p.read_text(encoding="utf-8")) for p in own_files)
    theme = Theme("".join(p.read_text(encoding="utf-8") for p in theme_files))
    return safe(theme.critical(portal_document(templates), own) + own)


def compress(paths: list[Path]) -> None:
    """The .gz and .br variants WhiteNoise serves, as ``python -m whitenoise.compress`` writes them."""
    compressor = Compressor(quiet=True)
    for path in paths:
        if compressor.should_compress(path.name):
            compressor.compress(str(path))


def build(site: Path) -> Path:
    """Write the portal's inline CSS into a built site; compress it and portal/static."""
    theme = theme_files(site)
    if not theme:
        raise SystemExit(f"{site}: no theme stylesheets; build the site first (scripts/build_site.py)")
    folder = site / "assets" / "stylesheets"
    target = folder / PORTAL_CSS
    target.write_text(portal_css(theme, [folder / "extra.css", PORTAL_STATIC / "portal.css"], TEMPLATES),
                      encoding="utf-8")
    compress([target] + sorted(p for p in PORTAL_STATIC.iterdir() if p.is_file()))
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default=str(ROOT / "site"),
                        help="the built site (default: site/)")
    print(f"portal CSS written to {build(Path(parser.parse_args().site).resolve())}")


if __name__ == "__main__":
    main()
