"""flask --app portal demo: a believable season on an empty database, refused twice and in production."""
import csv

from sqlalchemy import func, select

from portal import consent, rat
from portal.extensions import db
from portal.models import RatRecord, Submission, User


def test_demo_fills_an_empty_database_once(app, runner, tmp_path):
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

    again = runner.invoke(args=["demo", "--output", str(tmp_path)])
    assert again.exit_code == 1 and "Database ini sudah berisi data" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RatRecord)) == 2


def test_demo_is_refused_in_production(app, runner, tmp_path):
    app.config["ENV_NAME"] = "production"
    result = runner.invoke(args=["demo", "--output", str(tmp_path)])
    assert result.exit_code == 1 and "tidak tersedia di produksi" in result.output
    assert not (tmp_path / "demo-shu-pintu-air-2026.csv").exists()
