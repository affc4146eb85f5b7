"""A large export in Chromium on a 360 px phone, on the real gunicorn: staff
ask for it, its page reloads by itself (an HTTP Refresh, no script) while a
worker of the server makes the file, then offers the download, which is whole."""
import subprocess

import pytest
from openpyxl import load_workbook

from harness import servers
from tests.admin.conftest import PASSWORD
from tests.browser.conftest import add_member
from tests.browser.helpers import assert_accessible, assert_no_horizontal_scroll, log_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(built_site, tmp_path_factory):
    """gunicorn where any export of more than one row is made in the background,
    and each worker looks for jobs every second."""
    instance = tmp_path_factory.mktemp("export-job")
    env = servers.server_env(f"sqlite:///{instance / 'live.db'}", built_site, instance,
                             EXPORT_DIRECT_ROWS_XLSX=1, EXPORT_JOB_POLL_SECONDS=1)
    servers.migrate(env)
    subprocess.run([str(servers.BIN / "flask"), "--app", "portal", "users", "create", "--password-stdin",
                    "--role", "koperasi", "--koperasi", "pintu-air", "ani"], input=PASSWORD + "\n", text=True,
                   env=env, cwd=servers.ROOT, check=True, capture_output=True)
    with servers.gunicorn(env) as (url, _process):
        add_member(url, "/k/pintu-air", nama="Maria Goreti", nomor_hp="0812 3456 7890")
        add_member(url, "/k/pintu-air", nama="Yohanes Bosco", nomor_hp="0813 3900 1122")
        yield url


def test_the_progress_page_refreshes_itself_and_offers_the_whole_file(browser, server, tmp_path):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID", java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, server, "ani")
        page.goto(server + "/admin/tindak-lanjut/")
        page.get_by_role("link", name="XLSX (Excel)").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Berkas XLSX yang besar"
        assert_no_horizontal_scroll(page)
        page.get_by_role("button", name="Buat berkas XLSX").click()
        page.wait_for_url("**/admin/tindak-lanjut/ekspor/*")
        assert_no_horizontal_scroll(page)
        # Script is off: only the page's own reload brings the finished state.
        page.get_by_role("link", name="Unduh berkas XLSX").wait_for(timeout=30_000)
        assert page.get_by_role("status").inner_text().startswith("Berkas siap: 2 baris.")
        with page.expect_download() as download:
            page.get_by_role("link", name="Unduh berkas XLSX").click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
    finally:
        context.close()
    rows = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    assert sorted(r[2] for r in rows[1:-1]) == ["Maria Goreti", "Yohanes Bosco"]
    assert rows[-1][0] == "Akhir berkas: 2 baris data. Berkas ini lengkap."


def test_the_progress_page_passes_axe(page, server):
    log_in(page, server, "ani")
    page.goto(server + "/admin/tindak-lanjut/ekspor.xlsx")
    assert_accessible(page)
    page.get_by_role("button", name="Buat berkas XLSX").click()
    page.wait_for_url("**/admin/tindak-lanjut/ekspor/*")
    assert_accessible(page)
