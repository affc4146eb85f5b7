"""flask --app portal demo: a believable season on an empty database, refused twice and in production."""
import csv
from datetime import date

from sqlalchemy import func, select

from portal.platform import clock
from portal import consent, rat
from portal.bpjs import funnel, lapse
from portal.extensions import db
from portal.models import BpjsRegistration, HandoverBatch, HandoverEntry, RatRecord, Submission, User
from tests.conftest import soup


def test_demo_fills_an_empty_database_once(app, runner, tmp_path, monkeypatch):
    # Before the demo RAT (13 March 2027): this season's months are all still ahead.
    monkeypatch.setattr(clock, "today", lambda: date(2026, 12, 15))
    result = runner.invoke(args=["demo", "--output", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "RAT Pintu Air final (diterima)" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Submission)) == 52
        assert sorted(u.username for u in db.session.scalars(select(User))) == \
            ["demo.kampanye", "demo.obormas", "demo.pintuair"]
        final = rat.in_force("pintu-air")
        assert (final.book_year, final.outcome, final.held_on.isoformat()) == (2026, "diterima", "2027-03-13")
        assert rat.in_force("obor-mas") is None and rat.latest("obor-mas", 2026).status == rat.DRAFT
        agreed = {s.member_number for s in db.session.scalars(select(Submission).where(
            Submission.cooperative == "pintu-air", Submission.state == consent.ACTIVE))
            if s.choices.get("shu") == "setuju"}
    with open(tmp_path / "demo-shu-pintu-air-2026.csv", encoding="utf-8") as f:
        listed = {row["Nomor anggota"] for row in csv.DictReader(f, delimiter=";")}
    assert agreed - listed and agreed & listed and listed - agreed  # matches and both kinds of misses

    # A batch handed over with BPJS's answer; some of the sheet still waits for an officer.
    handed = result.output.split("Serah ke BPJS: /admin/bpjs/pintu-air/ (")[1].split(" anggota diserahkan")[0]
    with app.app_context():
        entries = db.session.scalars(select(HandoverEntry)).all()
        assert len(entries) == int(handed) > 5
        assert sorted({e.result for e in entries}) == ["ditolak", "terdaftar"]
        assert db.session.get(HandoverBatch, entries[0].batch_id).missing  # left for the officer
        kpj = db.session.scalars(select(BpjsRegistration.kpj).where(BpjsRegistration.kpj.is_not(None))).all()
        assert len(kpj) == len(entries) - 1
    own_page = result.output.split("Halaman anggota dengan KPJ: ")[1].split()[0]
    shown = soup(app.test_client().get(own_page)).select_one("#data-bpjs").get_text(" ", strip=True)
    assert "Nomor kepesertaan (KPJ) 9000000000" in shown
    # The member shown is protected today, from an earlier season's SHU; the lapse list has one
    # member whose cover ends next month and one whose cover ended last month; three renewed.
    protected = soup(app.test_client().get(own_page)).select_one("#perlindungan").get_text(" ", strip=True)
    assert "Anda terlindungi JKK" in protected
    with app.app_context():
        ending, ended = lapse.rows("pintu-air")
        assert (len(ending), len(ended)) == (1, 1)
        found = funnel.compute(only="pintu-air").cooperatives[0]
        assert (found.counts["terlindungi"], found.counts["lanjut"]) == (5, 3)
        assert found.counts["bayar"] == 3 + int(handed) - 1  # the refused member has no cover

    again = runner.invoke(args=["demo", "--output", str(tmp_path)])
    assert again.exit_code == 1 and "Database ini sudah berisi data" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RatRecord)) == 2


def test_demo_is_refused_in_production(app, runner, tmp_path):
    app.config["ENV_NAME"] = "production"
    result = runner.invoke(args=["demo", "--output", str(tmp_path)])
    assert result.exit_code == 1 and "tidak tersedia di produksi" in result.output
    assert not (tmp_path / "demo-shu-pintu-air-2026.csv").exists()
