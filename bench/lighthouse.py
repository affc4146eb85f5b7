"""Lighthouse mobile scores (performance, accessibility, best practices, SEO)
for the home page, an article page, the form and its receipt, run against
Debian's Chromium.

    .venv/bin/python bench/lighthouse.py

Installs the npm package lighthouse (pinned; 13 needs Node 22) into
bench/node_modules on first use. Serves the built site/ with gunicorn in
production settings, so compression and caching are as in production.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import fresh_database, production_server  # noqa: E402

HERE = Path(__file__).resolve().parent
VERSION = "12.2.3"
PAGES = {"home": "/", "article": "/biaya/", "form": "/daftar/"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def lighthouse() -> Path:
    binary = HERE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        subprocess.run(["npm", "install", "--prefix", str(HERE), "--no-audit", "--no-fund",
                        "--no-save", "-E", f"lighthouse@{VERSION}"], check=True)
    return binary


def score(binary: Path, url: str) -> dict:
    out = subprocess.run(
        [str(binary), url, "--quiet", "--output=json", f"--only-categories={','.join(CATEGORIES)}",
         "--chrome-flags=--no-sandbox --headless=new --disable-gpu --disable-background-networking "
         "--disable-component-update --no-first-run --disable-sync"],
        capture_output=True, text=True, check=True, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"})
    report = json.loads(out.stdout)
    for c in CATEGORIES:  # name what cost points
        for ref in report["categories"][c]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                print(f"  {url}: {c}: {audit['id']} ({audit['title']})", file=sys.stderr)
    return {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}


def receipt_path(base: str) -> str:
    """Submit the form once in Chromium; its receipt is scored like the other pages."""
    from playwright.sync_api import sync_playwright

    from bench.page_weight import CHROMIUM_ARGS, receipt_url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        url = receipt_url(browser, base)
        browser.close()
    return url[len(base):]


def main() -> None:
    binary = lighthouse()
    with tempfile.TemporaryDirectory() as tmp:
        url = fresh_database("sqlite", Path(tmp))
        with production_server(url, Path(tmp), FORM_MIN_SECONDS="0") as (base, _):
            print("| page | path | " + " | ".join(CATEGORIES) + " |")
            print("|---|---|" + "---:|" * len(CATEGORIES))
            for name, path in {**PAGES, "receipt": receipt_path(base)}.items():
                s = score(binary, base + path)
                print(f"| {name} | {path} | " + " | ".join(str(s[c]) for c in CATEGORIES) + " |")


if __name__ == "__main__":
    main()
