"""A member on a 360 px phone: home page, link to the form, submit, receipt."""
import pytest

from harness.samples import fill_valid_form

pytestmark = pytest.mark.browser


def test_home_to_receipt(page, live_server):
    page.goto(live_server + "/")
    page.get_by_role("link", name="Daftar minat").first.click()
    page.wait_for_url("**/daftar/")
    fill_valid_form(page)
    page.get_by_role("button", name="Kirim").click()
    page.wait_for_url("**/daftar/selesai/**")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Terima kasih")
    assert page.locator(".portal-code--big").inner_text().count("-") == 1


def test_site_and_portal_pages_break_no_security_policy(page, live_server):
    """The Content-Security-Policy allows exactly what the pages use."""
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    for path in ("/", "/biaya/", "/kalkulator/", "/daftar/", "/kelola/"):
        response = page.goto(live_server + path)
        assert response.status == 200
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
    assert problems == []
