"""The "Capaian" page: built from a sample published aggregate, it shows
each cooperative's members protected through the SHU conversion with the
date of the figures, a chart drawn in the page, and never a group under five;
the back office's publication reaches data/capaian.yml through the CLI."""
import os
import subprocess
import sys
from datetime import date

import pytest
import yaml
from bs4 import BeautifulSoup

from portal.extensions import db
from portal.models import CoveragePublication
from tests.website.conftest import CONTENT, ROOT

SAMPLE = {"per_tanggal": "2027-05-31", "jumlah": 130, "koperasi": [
    {"slug": "pintu-air", "nama": "KSP Kopdit Pintu Air", "terlindungi": 124, "anggota": 444425,
     "anggota_per": "2025-06-01"},
    {"slug": "obor-mas", "nama": "KSP Kopdit Obor Mas", "terlindungi": None, "anggota": 158204,
     "anggota_per": "2024-03-31"},
    {"slug": "sangosay", "nama": "KSP Kopdit Sangosay", "terlindungi": 6, "anggota": 57676, "anggota_per": None},
]}


@pytest.fixture(scope="module")
def sample_page(tmp_path_factory) -> BeautifulSoup:
    """The page alone, built strictly with the site's theme and hooks from the sample."""
    tmp = tmp_path_factory.mktemp("capaian")
    docs = tmp / "docs"
    docs.mkdir()
    (docs / "capaian.md").write_text((CONTENT / "capaian.md").read_text(encoding="utf-8"), encoding="utf-8")
    (docs / "assets").symlink_to(CONTENT / "assets")
    sample = tmp / "capaian.yml"
    sample.write_text(yaml.safe_dump(SAMPLE), encoding="utf-8")
    config = tmp / "mkdocs.yml"
    config.write_text(
        f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {docs}\nnav: [capaian.md]\n"
        f"theme: {{custom_dir: {CONTENT / 'overrides'}}}\nextra: {{capaian_file: {sample}}}\n"
        f"hooks: [{ROOT / 'hooks/page_meta.py'}, {ROOT / 'hooks/data_tables.py'}]\n")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(tmp / "out")],
                            cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr[-2000:]
    return BeautifulSoup((tmp / "out" / "capaian" / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_page_shows_the_published_figures_with_their_date(sample_page):
    block = sample_page.select_one('[data-kkbc="capaian"]')
    assert "Angka per 31 Mei 2027" in block.get_text(" ", strip=True)
    assert "Seluruhnya 130 anggota" in block.get_text(" ", strip=True)
    rows = {tr["id"]: [c.get_text(" ", strip=True) for c in tr.select("th, td")] for tr in block.select("tbody tr")}
    assert rows["pintu-air"] == ["KSP Kopdit Pintu Air", "124", "444.425 (1 Juni 2025)"]
    assert rows["obor-mas"][1] == "kurang dari 5 (tidak ditampilkan)"
    assert rows["sangosay"] == ["KSP Kopdit Sangosay", "6", "57.676"]
    # The chart is inline SVG, with a bar only for the figures shown.
    assert [t.get_text() for t in block.select("svg text")] == ["Pintu Air", "124", "Sangosay", "6"]
    assert sample_page.select("script[src^='http']") == []


def test_nothing_published_says_so(built_site):
    page = BeautifulSoup((built_site / "capaian" / "index.html").read_text(encoding="utf-8"), "html.parser")
    published = yaml.safe_load((ROOT / "data" / "capaian.yml").read_text(encoding="utf-8"))
    if published.get("per_tanggal"):
        assert "Angka per" in page.select_one('[data-kkbc="capaian"]').get_text()
    else:
        assert "Belum ada angka yang diterbitkan" in page.select_one('[data-kkbc="capaian"]').get_text()


def test_the_cli_writes_the_latest_publication(app, runner, tmp_path):
    with app.app_context():
        db.session.add(CoveragePublication(as_of=date(2027, 5, 31), figures=SAMPLE, published_by="tim"))
        db.session.commit()
    target = tmp_path / "capaian.yml"
    result = runner.invoke(args=["bpjs", "capaian", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert "Figures as of 2027-05-31" in result.output
    assert yaml.safe_load(target.read_text(encoding="utf-8")) == SAMPLE
