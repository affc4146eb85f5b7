"""First contentful paint on a weak 3G link: home, an article, the form, the receipt.

    .venv/bin/python bench/first_paint.py [--site DIR] [--build] [--runs 5]

The network is emulated in Chromium through the DevTools protocol
(``Network.emulateNetworkConditions``): 400 ms latency, 50 KB/s down and up,
the link of a village on a weak signal, where one round trip costs 0.4 s and
every 10 KB 0.2 s. Each run starts with an empty cache and new connections (a
new browser context) at 360 x 740. Prints, per page, the median of the runs
(and their range) for first contentful paint, bytes received (compressed body
plus headers, as in bench/page_weight.py) and requests, next to one
unthrottled run. Served by the real portal under gunicorn, production
settings, so compression and headers are as in production.

Goal (issue 14): FCP <= 1.1 s on every page, first view <= 20 KB.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.page_weight import CHROMIUM_ARGS, receipt_url  # noqa: E402
from bench.common import production_env  # noqa: E402
from harness import servers  # noqa: E402

PAGES = {"home": "/", "article": "/perlindungan/", "form": "/daftar/"}
WEAK_3G = {"offline": False, "latency": 400, "downloadThroughput": 50_000, "uploadThroughput": 50_000}
GOAL_FCP_S, GOAL_KB = 1.1, 20


def first_view(browser, url: str, throttled: bool) -> tuple[float, int, int]:
    """(first contentful paint in s, bytes, requests) of one cold first view."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    if throttled:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", WEAK_3G)
    sizes = []

    def finished(request):
        if request.url.startswith("data:"):
            return
        s = request.sizes()
        response = request.response()
        body = s["responseBodySize"] or int((response.headers.get("content-length") if response else 0) or 0)
        sizes.append(body + s["responseHeadersSize"])

    page.on("requestfinished", finished)
    page.goto(url, wait_until="networkidle", timeout=60_000)
    fcp = page.evaluate("performance.getEntriesByName('first-contentful-paint')[0].startTime")
    context.close()
    return fcp / 1000, sum(sizes), len(sizes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default=str(ROOT / "site"), help="built site to serve (default: site/)")
    parser.add_argument("--build", action="store_true", help="build the site first")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    site = Path(args.site).resolve()
    if args.build or not (site / "index.html").exists():
        servers.build_site(site)

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="kkbc-fcp-") as tmp:
        env = production_env(f"sqlite:///{tmp}/fcp.db", Path(tmp), site, FORM_MIN_SECONDS="0")
        servers.migrate(env)
        with servers.gunicorn(env) as (base, _), sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            pages = {name: base + path for name, path in PAGES.items()}
            pages["receipt"] = receipt_url(browser, base)
            print(f"Chromium at 360x740, empty cache; throttled: {WEAK_3G['latency']} ms latency, "
                  f"{WEAK_3G['downloadThroughput'] // 1000} KB/s; median of {args.runs} runs (range)")
            print("| page | FCP throttled | FCP unthrottled | KB | requests | goal |")
            print("|---|---:|---:|---:|---:|---|")
            for name, url in pages.items():
                runs = [first_view(browser, url, throttled=True) for _ in range(args.runs)]
                fast, _, _ = first_view(browser, url, throttled=False)
                fcps = sorted(r[0] for r in runs)
                fcp = statistics.median(fcps)
                kb = statistics.median(r[1] for r in runs) / 1000
                requests = statistics.median(r[2] for r in runs)
                met = "met" if fcp <= GOAL_FCP_S and kb <= GOAL_KB else "missed"
                path = url[len(base):] if name != "receipt" else "/daftar/selesai/…"
                print(f"| {name} `{path}` | {fcp:.2f} s ({fcps[0]:.2f}-{fcps[-1]:.2f}) | {fast:.2f} s "
                      f"| {kb:.1f} | {requests:g} | {met} |")
            browser.close()


if __name__ == "__main__":
    main()
