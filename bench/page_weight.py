"""Bytes a phone downloads on a first view of the site, as Chromium receives them.

    .venv/bin/python bench/page_weight.py [--site DIR] [--build]

Serves the built site (default site/, built first if missing or with --build)
with the real portal under gunicorn in production settings, so compression
(WhiteNoise's pre-built .gz/.br files) and headers are as in production.
Chromium starts with an empty cache for each page; the bytes are what it
received: compressed body plus response headers (Playwright's request.sizes()).
Also measures what opening search costs afterwards, since the site loads
Material's JavaScript only then (assets/javascripts/cari.js).

Target: 60 KB for the home page and an article page, 100 KB at most.
What the site cuts to get there: Material's JavaScript bundle, search worker
and search index (about 48 KB compressed) wait until search is opened;
search.suggest and navigation.instant are off; system fonts (theme.font:
false); Material's CSS waits too (each page carries the rules it uses,
kkbc/critical_css.py). Kept: the favicon.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import production_env  # noqa: E402
from harness import servers  # noqa: E402

PAGES = {"home": "/", "article": "/perlindungan/", "calculator": "/kalkulator/", "form": "/daftar/"}
TARGET_KB, LIMIT_KB = 60, 100
CHROMIUM_ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def first_view(browser, url: str, then=None) -> tuple[list, list]:
    """(path, content-encoding, bytes) of every response on a cold first view,
    and of those caused by ``then(page)`` afterwards (search worker included)."""
    context = browser.new_context(viewport={"width": 360, "height": 740})  # empty cache
    page = context.new_page()
    rows = []

    def finished(request):
        if request.url.startswith("data:"):
            return  # inline icons: no bytes on the wire
        sizes = request.sizes()
        response = request.response()
        encoding = (response.headers.get("content-encoding") if response else None) or "-"
        path = "/" + request.url.split("/", 3)[-1]
        # A worker's response reports no body size; its Content-Length is the same number.
        body = sizes["responseBodySize"] or int((response.headers.get("content-length") if response else 0) or 0)
        rows.append((path, encoding, body + sizes["responseHeadersSize"]))

    page.on("requestfinished", finished)
    page.goto(url, wait_until="networkidle")
    before = len(rows)
    if then:
        then(page)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
    context.close()
    return rows[:before], rows[before:]


def open_search(page) -> None:
    page.locator("label.md-header__button[for=__search]").click()
    page.locator(".md-search__input").press_sequentially("iuran", delay=30)
    page.locator(".md-search-result__item").first.wait_for()


def receipt_url(browser, base: str) -> str:
    """Submit the form once; the receipt page is then measured with a cold cache."""
    from harness.samples import fill_valid_form

    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "/daftar/")
    fill_valid_form(page)
    page.get_by_role("button", name="Kirim").click()
    page.wait_for_url("**/daftar/selesai/**")
    url = page.url
    context.close()
    return url


def report(name: str, path: str, rows) -> int:
    total = sum(size for _, _, size in rows)
    verdict = "ok" if total <= TARGET_KB * 1000 else ("over target" if total <= LIMIT_KB * 1000 else "TOO HEAVY")
    print(f"\n{name} {path}: {total / 1000:.1f} KB in {len(rows)} requests ({verdict})")
    for asset, encoding, size in sorted(rows, key=lambda r: -r[2]):
        print(f"  {size / 1000:7.1f} KB  {encoding:5}  {asset}")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default=str(ROOT / "site"), help="built site to serve (default: site/)")
    parser.add_argument("--build", action="store_true", help="build the site first")
    args = parser.parse_args()
    site = Path(args.site).resolve()
    if args.build or not (site / "index.html").exists():
        servers.build_site(site)

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="kkbc-weight-") as tmp:
        env = production_env(f"sqlite:///{tmp}/weight.db", Path(tmp), site, FORM_MIN_SECONDS="0")
        servers.migrate(env)
        with servers.gunicorn(env) as (base, _), sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            print(f"First view at 360x740, empty cache, served by {base} (target {TARGET_KB} KB, limit {LIMIT_KB} KB)")
            for name, path in PAGES.items():
                rows, _ = first_view(browser, base + path)
                report(name, path, rows)
            report("confirmation", "/daftar/selesai/…", first_view(browser, receipt_url(browser, base))[0])
            _, search = first_view(browser, base + "/", then=open_search)
            report("then opening search on home (Material's bundle, worker, index)", "/", search)
            browser.close()


if __name__ == "__main__":
    main()
