"""Serve the built MkDocs site (site/) in front of the Flask routes.

WhiteNoise serves the pre-compressed .br/.gz variants written at build time
(``python -m whitenoise.compress site``), correct content types, and a year of
caching for Material's fingerprinted assets; anything that is not a file in
site/ falls through to the portal.
"""
from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from markupsafe import Markup
from whitenoise import WhiteNoise

from .security import static_headers

# Material writes fingerprinted names such as main.57a0d79d.min.css.
FINGERPRINTED = re.compile(r"\.[0-9a-f]{8,}\.min\.(css|js)$")


def is_immutable(path: str, url: str) -> bool:
    """WhiteNoise: a fingerprinted file, cached for a year."""
    return bool(FINGERPRINTED.search(url))


PORTAL_STATIC = Path(__file__).resolve().parent.parent / "static"
# The portal's critical CSS, written after the site build
# (python scripts/portal_css.py) into site/assets/stylesheets/.
PORTAL_CSS = "portal-kritis.css"


def stylesheets(site: Path) -> list[str]:
    """The site's stylesheets and the portal's, so portal pages look exactly like
    the site: linked only while the site is not built (no critical CSS yet)."""
    folder = site / "assets" / "stylesheets"
    names = [p.name for pattern in ("main.*.min.css", "palette.*.min.css", "extra.css")
             for p in sorted(folder.glob(pattern))]
    return [f"/assets/stylesheets/{name}" for name in names] + ["/portal-static/portal.css"]


def inline_styles(site: Path) -> dict[str, str]:
    """The stylesheets portal pages carry inline, so they paint from their first
    response: "portal" (the theme rules its pages use, then its own, from the
    build) and each file of portal/static for the pages that add one."""
    styles = {p.name: p.read_text(encoding="utf-8") for p in sorted(PORTAL_STATIC.glob("*.css"))}
    built = site / "assets" / "stylesheets" / PORTAL_CSS
    if built.is_file():
        styles["portal"] = built.read_text(encoding="utf-8")
    return styles


def style_hash(css: str) -> str:
    """A CSP source for exactly this inline <style> content."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"


INLINE_SCRIPT = re.compile(r"<script(\s[^>]*)?>(.*?)</script>", re.S | re.I)


def inline_script_hashes(site: Path) -> list[str]:
    """CSP hashes of the inline scripts Material writes into pages, so the site's
    policy can allow exactly those instead of 'unsafe-inline'."""
    hashes = set()
    for page in site.rglob("*.html"):
        for attrs, body in INLINE_SCRIPT.findall(page.read_text(encoding="utf-8", errors="replace")):
            if re.search(r"src=|type=\"(application/json|text/plain)\"", attrs or ""):
                continue  # external, or data that is never executed
            digest = hashlib.sha256(body.encode()).digest()
            hashes.add("'sha256-" + base64.b64encode(digest).decode() + "'")
    return sorted(hashes)


def init_app(app) -> None:
    """Serve the built site (and the portal's static files) before Flask's routes."""
    site = Path(app.config["SITE_DIR"])
    built = site.is_dir()
    if not built and not app.testing:
        app.logger.warning("site directory %s is missing: run 'make site'", site)
    app.config["SITE_STYLESHEETS"] = stylesheets(site)
    styles = inline_styles(site)
    app.config["PORTAL_STYLE_HASHES"] = sorted({style_hash(css) for css in styles.values()})

    def inline_style(name: str) -> Markup:
        """<style> with a file's CSS; the portal's policy allows it by hash."""
        return Markup(f"<style>{styles[name]}</style>")

    app.jinja_env.globals.update(inline_style=inline_style, has_inline_style=styles.__contains__)


def serve(app) -> None:
    """Put WhiteNoise in front of everything else: last in the factory."""
    site = Path(app.config["SITE_DIR"])
    built = site.is_dir()
    app.wsgi_app = wsgi = WhiteNoise(
        app.wsgi_app,
        root=str(site) if built else None,
        index_file=True,
        max_age=600,  # pages and unfingerprinted files: ten minutes
        immutable_file_test=is_immutable,
        add_headers_function=static_headers(app, inline_script_hashes(site) if built else []),
    )
    wsgi.add_files(str(PORTAL_STATIC), prefix="portal-static/")
    # Build stamps (/.built, /.portal-css) and any other dotfile are for make, not for visitors.
    wsgi.files = {url: file for url, file in wsgi.files.items()
                  if not any(part.startswith(".") for part in url.split("/"))}
