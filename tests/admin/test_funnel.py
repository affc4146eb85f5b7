"""The campaign's funnel for a hand-built season of 30 members across two
cooperatives, counted by hand; the small-group rule; scope and exports; the
figures published for the site.

Pintu Air (20 members signed up, RAT accepted):
  2 withdrew everything → 18 interested; 14 agreed to SHU (4 undecided);
  the RAT was accepted → 14 under it; the conversion sheet had 12 of them
  (10 handed over, 2 missing data); BPJS registered 8 (2 refused); 7 paid;
  in May 2027 6 are protected (one period ended in April); 1 renewed.
Obor Mas (10 signed up, no RAT yet): 10 interested, 6 agreed, nothing after.
"""
import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from kkbc import data
from portal.platform import clock
from portal.bpjs import funnel, handover
from portal.extensions import db
from portal.models import CoveragePublication, CoverPeriod, HandoverBatch, HandoverEntry, Submission
from tests.actions import submit
from tests.admin.conftest import audit_entries, csrf
from tests.admin.test_rat import final_record
from tests.conftest import soup

MAY_2027 = date(2027, 5, 14)


def _period(submission_id, first, last, entry_id=None):
    months = []
    year, month = map(int, first.split("-"))
    while f"{year:04d}-{month:02d}" <= last:
        months.append([f"{year:04d}-{month:02d}", 16800])
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return CoverPeriod(submission_id=submission_id, first=first, last=last, programme="jkk-jkm", payer="shu",
                       monthly=months, amount=16800 * len(months), confirmed=True, handover_entry_id=entry_id,
                       created_by="uji")


@pytest.fixture
def thirty(app, pintu_air, monkeypatch):
    """The season described above, built by hand in the database."""
    monkeypatch.setattr(clock, "today", lambda: MAY_2027)
    member = app.test_client()
    for n in range(20):
        shu = {} if n < 14 or n >= 18 else {"shu": "belum", "shu_cara": "", "shu_persen": ""}
        assert submit(member, "/k/pintu-air", nama=f"Anggota PA {n}", nomor_hp=f"0812 5555 {n:04d}",
                      nomor_anggota=f"PA-{n:04d}", **shu).status_code == 303
    for n in range(10):
        shu = {} if n < 6 else {"shu": "belum", "shu_cara": "", "shu_persen": ""}
        assert submit(member, "/k/obor-mas", koperasi="obor-mas", nama=f"Anggota OM {n}",
                      nomor_hp=f"0813 6666 {n:04d}", **shu).status_code == 303
    record_id = final_record(pintu_air, tanggal="2027-02-20", batas="pilihan", batas_nilai="")
    with app.app_context():
        pa = list(db.session.scalars(select(Submission).where(Submission.cooperative == "pintu-air")
                                     .order_by(Submission.id)))
        for s in pa[18:]:  # the two who withdrew everything
            s.state = "ditarik"
        branch = handover.branches()[0]
        batch = HandoverBatch(cooperative="pintu-air", rat_id=record_id, branch_id=branch.id, start="2027-03",
                              created_by="uji", missing=[{"id": pa[10].id, "kurang": ["nomor anggota"]},
                                                         {"id": pa[11].id, "kurang": ["nomor anggota"]}])
        db.session.add(batch)
        db.session.flush()
        entries = []
        for i, s in enumerate(pa[:10]):
            entry = HandoverEntry(batch_id=batch.id, submission_id=s.id, kind="serah", months=3, amount=50400,
                                  first="2027-03", last="2027-05", result="ditolak" if i >= 8 else "terdaftar",
                                  months_paid=None if i >= 7 else 3)
            db.session.add(entry)
            entries.append(entry)
        db.session.flush()
        for i, s in enumerate(pa[:7]):  # paid; the seventh's cover ended in April
            db.session.add(_period(s.id, "2027-03", "2027-04" if i == 6 else "2027-05", entries[i].id))
        db.session.add(_period(pa[0].id, "2026-03", "2026-12"))  # an earlier period: pa[0] renewed
        db.session.commit()
    return record_id


EXPECTED = {"minat": 18, "setuju": 14, "rat": 14, "konversi": 12, "serah": 10, "kpj": 8, "bayar": 7,
            "terlindungi": 6, "lanjut": None}  # 1 renewed: fewer than five, never shown


def counts(group):
    return {key: n for key, _, n, _ in group.steps()[1:]}


def test_funnel_numbers_by_hand(app, thirty):
    with app.app_context():
        found = funnel.compute()
    by = {g.key: g for g in found.cooperatives}
    assert counts(by["pintu-air"]) == EXPECTED
    assert counts(by["obor-mas"]) == {"minat": 10, "setuju": 6, "rat": 0, "konversi": 0, "serah": 0, "kpj": 0,
                                      "bayar": 0, "terlindungi": 0, "lanjut": 0}
    # Sikka holds both cooperatives; NTT adds the partners with nobody yet.
    sikka = next(g for g in found.kabupaten if g.key == "53.07")
    assert counts(sikka) == {**EXPECTED, "minat": 28, "setuju": 20}
    assert sikka.members == 444425 + 158204
    assert counts(found.total) == counts(sikka)
    assert found.total.members == sum(c.members for c in data.cooperatives().values())
    # Shares of the cooperative's members (444.425 in June 2025), in percent.
    shares = {key: pct for key, _, _, pct in by["pintu-air"].steps()}
    assert shares["anggota"] == 100.0 and shares["setuju"] == round(14 * 100 / 444425, 3)
    assert shares["lanjut"] is None
    # Protected month by month: 7 in March and April 2027, 6 in May; pa[0] in 2026 from its first period.
    series = dict((str(m), n) for m, n in by["pintu-air"].series)
    assert (series["2027-03"], series["2027-04"], series["2027-05"], series["2026-12"], series["2027-01"]) == \
        (7, 7, 6, 1, 0)


def test_small_group_rule(app):
    assert [funnel.shown(n) for n in (0, 1, 4, 5, 120)] == [0, None, None, 5, 120]
    assert funnel.share(3, 1000) is None and funnel.share(5, 1000) == 0.5


def test_campaign_sees_the_comparison_staff_their_own(app, campaign, pintu_air, obor_mas, thirty):
    page = soup(campaign.get("/admin/capaian/"))
    compare = {tr.select_one("th").get_text(strip=True): [td.get_text(strip=True) for td in tr.select("td")]
               for tr in page.select("#perbandingan tbody tr")}
    assert compare["KSP Kopdit Pintu Air"] == ["18", "14", "14", "12", "10", "8", "7", "6", "< 5"]
    assert compare["KSP Kopdit Obor Mas"] == ["10", "6", "0", "0", "0", "0", "0", "0", "0"]
    assert page.select_one("#grafik-ntt-judul") is not None  # the chart is drawn in the page
    own = soup(pintu_air.get("/admin/capaian/"))
    assert own.select_one("#perbandingan") is None and own.select_one("#capaian-obor-mas") is None
    assert own.select_one("#capaian-pintu-air tr[data-langkah=terlindungi] td").get_text() == "6"
    assert own.select_one("#capaian-pintu-air tr[data-langkah=lanjut] td").get_text() == "< 5"
    assert obor_mas.get("/admin/capaian/?koperasi=pintu-air").status_code == 404


def test_funnel_exports(app, campaign, pintu_air, thirty):
    text = campaign.get("/admin/capaian/unduh.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == funnel.HEADERS
    pa = {r[2]: r for r in rows[1:] if r[1] == "KSP Kopdit Pintu Air"}
    assert pa["Terlindungi bulan ini"][3:] == ["6", str(round(6 * 100 / 444425, 3)), "2025-06-01", "Mei 2027"]
    assert pa["Lanjut setelah periode pertama"][3:5] == ["kurang dari 5", ""]
    assert {r[0] for r in rows[1:]} == {"Koperasi", "Kabupaten/kota", "NTT"}
    book = load_workbook(io.BytesIO(pintu_air.get("/admin/capaian/unduh.xlsx").data))
    assert book.sheetnames == ["Capaian", "Terlindungi per bulan"]
    assert {r[1] for r in list(book["Capaian"].iter_rows(values_only=True))[1:]} == {"KSP Kopdit Pintu Air"}
    assert [e.detail["bentuk"] for e in audit_entries(app, "capaian_unduh")] == ["csv", "xlsx"]


def test_publishing_stores_aggregates_only(app, campaign, thirty):
    bad = campaign.post("/admin/capaian/terbit", data={"csrf_token": csrf(campaign, "/admin/capaian/"),
                                                       "tanggal": "31-05-2027"})
    assert bad.status_code == 400
    assert "Tulis tanggal seperti 2027-06-30" in soup(bad).select_one(".portal-field-error").get_text()
    ok = campaign.post("/admin/capaian/terbit", data={"csrf_token": csrf(campaign, "/admin/capaian/"),
                                                      "tanggal": "2027-05-31"})
    assert ok.status_code == 303
    with app.app_context():
        published = db.session.scalar(select(CoveragePublication))
        figures = published.figures
    assert figures["per_tanggal"] == "2027-05-31" and figures["jumlah"] == 6
    by = {c["slug"]: c for c in figures["koperasi"]}
    assert by["pintu-air"]["terlindungi"] == 6 and by["obor-mas"]["terlindungi"] == 0
    assert set(by["pintu-air"]) == {"slug", "nama", "terlindungi", "anggota", "anggota_per"}
