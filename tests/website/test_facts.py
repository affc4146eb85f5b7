"""What the site says matches its sources: regulations link their own text,
the privacy notice lists what the form asks, and the plain-language rules hold."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from types import SimpleNamespace

import pytest
import yaml
from mkdocs.exceptions import PluginError
from wtforms.fields.core import UnboundField

from portal.public.forms import InterestForm
from tests.conftest import require
from tests.website.conftest import FACTS, ROOT, data, html
from tests.website.plain import measure, prose

# Fields the member never fills in: a signed token and a honeypot.
NOT_ASKED = {"formulir", "situs_web", "csrf_token"}


@pytest.fixture(scope="module")
def facts() -> str:
    require(FACTS.exists(), f"{FACTS} is missing, so the source check cannot run")
    return FACTS.read_text(encoding="utf-8")


def test_no_two_regulations_share_a_link():
    regulations = data("sources")["regulations"]
    links = [r["url"] for r in regulations] + [r["official"] for r in regulations if r.get("official")]
    assert len(links) == len(set(links))


def test_no_regulation_links_to_another_regulation():
    """pasal.id's pp-no-49-tahun-2020 is PP 49/2020, not PP 44/2015 nor PP 46/2015."""
    for r in data("sources")["regulations"]:
        number = re.search(r"(\d+)/(\d{4})", r["title"])
        for url in filter(None, (r["url"], r.get("official"))):
            found = re.search(r"(?:pp|uu)-no-(\d+)-tahun-(\d{4})", url)
            if found:
                assert found.groups() == number.groups(), (r["id"], url)
        assert r["read"] or r.get("publisher"), f"{r['id']}: name the secondary source"


def test_every_link_on_the_sources_page_is_in_the_fact_sheet(built_site, facts):
    page = html(built_site, "/sumber/")
    links = [a["href"] for a in page.select("article a[href^='http']")]
    assert links
    assert [u for u in links if u not in facts] == []
    items = page.select('[data-kkbc="sumber-daftar"] li[id^="sumber-"]')
    unread = [r for r in data("sources")["regulations"] if not r["read"]]
    for r in unread:
        item = page.select_one(f"#sumber-{r['id']}")
        assert "belum kami baca" in item.get_text(), r["id"]
    assert len(items) == len(data("sources")["regulations"]) + len(data("sources")["reports"])


def test_every_cited_link_on_every_page_is_in_the_fact_sheet(built_site, pages, facts):
    for path in pages:
        for a in html(built_site, path).select("article .kkbc-sumber a[href^='http']"):
            assert a["href"] in facts, (path, a["href"])


# ---------------------------------------------------------------- privacy notice

def test_privacy_notice_lists_every_field_the_form_asks_for():
    listed = {f for item in data("privacy")["collected"] for f in item["fields"]}
    asked = {name for name in dir(InterestForm)
             if isinstance(getattr(InterestForm, name), UnboundField)} - NOT_ASKED
    assert asked - listed == set(), "fields missing from data/privacy.yml"
    assert listed - asked == set(), "the notice lists fields the form does not have"


def test_privacy_page_says_how_to_use_each_right(built_site):
    page = html(built_site, "/privasi/")
    text = " ".join(page.select_one("article").get_text(" ").split())
    for right in ("Melihat data Anda", "Memperbaiki data Anda", "Menarik persetujuan", "Meminta data Anda dihapus"):
        assert right in text
    assert page.select_one('article a[href="/kelola/"]')
    assert page.select_one('[data-kkbc="privasi-kontak"]')
    assert data("privacy")["controller"] in text
    assert "Kantor BPJS Ketenagakerjaan NTT" in data("privacy")["controller"]
    # The form asks how much SHU may be used, never the balance.
    assert "saldo SHU" in text and "bagian SHU yang boleh dipakai" in text


def privacy_contact(monkeypatch, contact, env):
    sys.path.insert(0, str(ROOT / "hooks"))
    import render_info

    monkeypatch.setattr(render_info, "privacy", lambda: {**data("privacy"), "contact": contact})
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return render_info.privasi_kontak(SimpleNamespace())


def test_a_contact_shows_with_its_link(monkeypatch):
    html_ = privacy_contact(monkeypatch, [{"label": "WhatsApp", "value": "0812 3456 7890",
                                           "href": "https://wa.me/6281234567890"}], {"PORTAL_ENV": "production"})
    assert '<a href="https://wa.me/6281234567890">0812 3456 7890</a>' in html_


def test_belum_diisi_never_reaches_a_production_notice(monkeypatch):
    """Outside production an empty contact says "belum diisi"; in production it fails the build."""
    assert "belum diisi" in privacy_contact(monkeypatch, [], {"PORTAL_ENV": "development"})
    with pytest.raises(PluginError, match="contact"):
        privacy_contact(monkeypatch, [], {"PORTAL_ENV": "production"})
    shown = privacy_contact(monkeypatch, [{"label": "Surel", "value": "privasi@contoh.id",
                                           "href": "mailto:privasi@contoh.id"}], {"PORTAL_ENV": "production"})
    assert "belum diisi" not in shown


def test_privacy_page_names_the_access_log_and_how_to_complain(built_site):
    text = " ".join(html(built_site, "/privasi/").select_one("article").get_text(" ").split())
    assert f"dihapus sesudah {data('privacy')['access_log_days']} hari" in text
    for word in ("alamat IP", "jenis peramban", "waktu", "keluhan", "Komdigi"):
        assert word in text, word


def test_a_production_build_fails_without_a_contact(tmp_path):
    """The real build, as the Procfile's release step runs it, refuses a notice with no contact."""
    if data("privacy")["contact"]:
        pytest.skip("data/privacy.yml has a contact")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "out")],
                            cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "PORTAL_ENV": "production", "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode != 0
    assert "contact" in result.stderr


def test_privacy_version_is_newer_than_the_last_notice():
    """Consent given under the notice before this one (2026-11-24) stays distinguishable."""
    assert str(data("privacy")["version"]) > "2026-11-24"


# ---------------------------------------------------------------- plain language

def content_pages(pages):
    return [p for p in pages if p != "/404/"]


def test_plain_language_on_every_page(built_site, pages):
    """90th percentile sentence length at most 15 words, no sentence over 25."""
    report = {}
    for path in content_pages(pages):
        figures = measure(html(built_site, path))
        assert figures["sentences"] >= 5, path
        report[path] = figures
    too_long = {p: f for p, f in report.items() if f["p90"] > 15 or f["max"] > 25}
    assert too_long == {}


TERMS = yaml.safe_load((ROOT / "data" / "istilah.yml").read_text(encoding="utf-8"))["istilah"]


def explained_at_first_use(text: str, term: str, arti: str) -> bool | None:
    """None when the term is not used; else whether its first use is explained:
    a bracket or a colon right after it, a bracket right before it ("Kecelakaan
    kerja (JKK)"), "disebut ..." just before, or the explanation's words next to it."""
    found = re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text, re.I if term.islower() else 0)
    if not found:
        return None
    before, after = text[max(0, found.start() - 80):found.start()], text[found.end():found.end() + 100]
    key = arti.split(",")[0][:20].lower()
    return (after.lstrip(" *").startswith(("(", ":", "adalah", "artinya")) or before.rstrip(" *").endswith("(")
            or "disebut" in before[-30:] or key in (before + after).lower())


def test_every_term_is_explained_at_its_first_use(built_site, pages):
    for path in content_pages(pages):
        page = html(built_site, path)
        text = " ".join(" ".join(prose(page)).split())
        for term, spec in TERMS.items():
            # A capitalised spelling is the same term (searched without case).
            for spelling in [term] + [x for x in spec.get("lihat", []) if x.lower() != term.lower()]:
                assert explained_at_first_use(text, spelling, spec["arti"]) in (None, True), (path, spelling)
        for abbr in page.select("article abbr"):
            spec = TERMS.get(abbr.get_text()) or next(
                s for t, s in TERMS.items() if abbr.get_text() in s.get("lihat", []))
            assert abbr["title"] == spec["arti"], (path, abbr)


def test_the_shu_page_explains_its_terms(built_site):
    text = " ".join(" ".join(prose(html(built_site, "/shu/"))).split())
    for term in ("SHU", "iuran", "ahli waris", "santunan", "BPU", "JKK", "JKM", "JHT", "RAT",
                 "tahun buku", "penyusutan", "dana cadangan", "debitur", "keagenan", "sosialisasi"):
        assert explained_at_first_use(text, term, TERMS[term]["arti"]) is True, term




def test_a_contact_link_must_be_a_safe_kind(monkeypatch):
    with pytest.raises(PluginError, match="https:, mailto: or tel:"):
        privacy_contact(monkeypatch, [{"label": "Web", "value": "klik", "href": "javascript:alert(1)"}], {})
