"""What browser tests check on every page, and how staff log in."""
from __future__ import annotations

from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe

from tests.admin.conftest import PASSWORD


def assert_accessible(page):
    results = Axe().run(page)
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
                  for v in results.response["violations"]]
    assert violations == [], page.url


def assert_no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url


def log_in(page, base, username):
    page.goto(base + "/admin/")
    assert page.url.startswith(base + "/admin/masuk")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(base + "/admin/")


def local_only(page) -> list[str]:
    """Abort, and remember, every request to a host other than 127.0.0.1."""
    outside = []

    def check(route):
        url = route.request.url
        host = urlsplit(url).hostname
        if url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.context.route("**/*", check)
    page.on("request", lambda r: None if r.url.startswith(("data:", "blob:", "http://127.0.0.1"))
            else outside.append(r.url))
    return outside
