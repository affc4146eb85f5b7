"""The site build: strict, complete, and clear of the portal's URL paths."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import date
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from mkdocs.exceptions import PluginError

from kkbc.site import OFFLINE_ZIP, PUBLIC_URL
from tests.website.conftest import CONTENT, ROOT, data, front_matter, html, markdown_pages

PORTAL_PATHS = ("daftar", "k", "kelola", "admin", "healthz", "portal-static")
EXPECTED_PAGES = {"/", "/perlindungan/", "/biaya/", "/shu/", "/kalkulator/", "/cara-daftar/",
                  "/cara-klaim/", "/untuk-koperasi/", "/koperasi/", "/tanya-jawab/", "/privasi/",
                  "/sumber/", "/unduh/", "/capaian/"}


def test_strict_build_has_every_page(built_site, pages):
    coops = {f"/koperasi/{c['slug']}/" for c in data("cooperatives")["cooperatives"]}
    assert set(pages) == EXPECTED_PAGES | coops


def test_strict_build_fails_on_a_broken_link(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(CONTENT, docs)
    with open(docs / "index.md", "a", encoding="utf-8") as f:
        f.write("\n[Halaman yang hilang](hilang.md)\n")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {docs}\n"
        f"theme: {{custom_dir: {CONTENT / 'overrides'}}}\n"
        f"hooks: [{ROOT / 'hooks/page_meta.py'}, {ROOT / 'hooks/data_tables.py'}]\n")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(tmp_path / "out")],
                            cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode != 0
    assert "hilang.md" in result.stderr


def test_no_page_at_a_portal_path(built_site):
    assert [p for p in PORTAL_PATHS if (built_site / p).exists()] == []


@pytest.mark.parametrize("source", markdown_pages(), ids=lambda p: p.relative_to(CONTENT).as_posix())
def test_front_matter(source):
    meta = front_matter(source)
    assert meta.get("title"), "title"
    assert meta.get("description") and len(meta["description"]) <= 200, "description"
    assert isinstance(meta.get("diperiksa"), date), "diperiksa (the date the facts were checked)"


def test_every_page_shows_title_date_checked_and_next_step(built_site, pages):
    for path in pages:
        page = html(built_site, path)
        assert page.select_one('meta[name="description"]')["content"], path
        assert page.select_one('meta[property="og:title"]')["content"], path
        assert page.select_one('meta[property="og:image"]')["content"].endswith("/assets/images/kkbc-og.png")
        assert page.select_one(".kkbc-diperiksa time")["datetime"], path
        step = page.select_one(".kkbc-langkah a.md-button")
        assert step["href"] == "/daftar/" or step["href"].startswith("/k/"), path


def test_social_image_is_a_png_of_the_right_size(built_site):
    png = (built_site / "assets/images/kkbc-og.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (1200, 630)
    assert len(png) < 300_000


def test_cooperative_pages_link_to_their_own_form(built_site):
    for coop in data("cooperatives")["cooperatives"]:
        page = html(built_site, f"/koperasi/{coop['slug']}/")
        assert page.select_one(".kkbc-langkah a.md-button")["href"] == f"/k/{coop['slug']}"
        assert coop["name"] in page.select_one("article").get_text()


def test_privacy_page_shows_the_notice_version(built_site):
    notice = data("privacy")
    page = html(built_site, "/privasi/")
    assert page.select_one('[data-kkbc="privasi-versi"]').get_text() == str(notice["version"])
    assert page.select_one('[data-kkbc="privasi-retensi"]').get_text() == f"{notice['retention_months']} bulan"
    text = page.select_one("article").get_text(" ")
    assert "/kelola/" in str(page) and "3 x 24 jam" in text
    for recipient in notice["recipients"]:
        assert recipient in text


def test_offline_zip_is_in_the_site_with_its_build_date(built_site):
    archive = built_site / "unduh" / OFFLINE_ZIP
    with zipfile.ZipFile(archive) as zf:
        # The day the build ran, from the entries' own stamp (not the day the
        # test runs: a suite may cross midnight); it must be today or yesterday.
        built = date(*zf.infolist()[0].date_time[:3])
        assert 0 <= (date.today() - built).days <= 1
        built = built.isoformat()
        names = zf.namelist()
        top = names[0].split("/")[0]
        assert top == f"{OFFLINE_ZIP.removesuffix('.zip')}-{built}"
        assert f"{top}/index.html" in names and f"{top}/search/search_index.js" in names
        assert built in zf.read(f"{top}/BACA-SAYA.txt").decode()
        assert not [n for n in names if n.endswith(".map")]
        biaya = zf.read(f"{top}/biaya.html").decode()
    assert f'href="{PUBLIC_URL}/daftar/"' in biaya
    assert not re.search(r'href="/(?!/)', biaya), "root-relative links do not work from disk"
    page = html(built_site, "/unduh/")
    assert page.select_one(f'a[href="{OFFLINE_ZIP}"]')
    assert page.select_one('[data-kkbc="unduh-tanggal"]').get_text().endswith(str(date.today().year))


def test_compressed_variants_for_the_portal(built_site):
    for name in ("index.html", "assets/javascripts/kalkulator.js", "search/search_index.json"):
        assert (built_site / f"{name}.gz").exists() and (built_site / f"{name}.br").exists()


def test_no_external_asset_in_any_page(built_site, pages):
    for path in pages:
        page = html(built_site, path)
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src")):
            for element in page.find_all(tag):
                url = element.get(attr) or ""
                if tag == "link" and element.get("rel") == ["canonical"]:
                    continue
                assert not url.startswith(("http:", "https:", "//")), f"{path}: {url}"


# ---------------------------------------------------------------- the data hook

def load_hook():
    sys.path.insert(0, str(ROOT / "hooks"))
    try:
        import data_tables
    finally:
        sys.path.pop(0)
    return data_tables


def fake_page(meta=None):
    return SimpleNamespace(meta=meta or {}, file=SimpleNamespace(src_path="x.md", src_uri="x.md"))


def test_unknown_marker_fails_the_build():
    hook = load_hook()
    with pytest.raises(PluginError, match="unknown data marker 'iuran-kira-kira'"):
        hook.on_page_markdown("<!-- data:iuran-kira-kira -->", fake_page(), None, None)


def test_unknown_marker_argument_fails_the_build():
    hook = load_hook()
    with pytest.raises(PluginError, match="iuran-normal"):
        hook.on_page_markdown("<!-- data:iuran-normal bulan=2026-01 -->", fake_page(), None, None)


def test_unknown_package_fails_the_build():
    hook = load_hook()
    with pytest.raises(PluginError, match="unknown package"):
        hook.on_page_markdown("<!-- data:iuran-normal paket=jkp -->", fake_page(), None, None)


def test_pages_carry_their_css_and_link_no_stylesheet(built_site):
    """Every built page paints from its HTML; the theme's files are kept for later."""
    for page in built_site.rglob("*.html"):
        if "assets" in page.parts:
            continue
        doc = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert not doc.select('link[rel="stylesheet"]'), page
        theme = doc.select_one("style[data-kkbc-tema]")
        assert theme is not None and ".md-typeset" in theme.text, page
        for href in theme["data-kkbc-tema"].split():
            assert (page.parent / href).resolve().is_file() or (built_site / href.lstrip("/")).is_file()
