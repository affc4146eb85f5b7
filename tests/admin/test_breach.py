"""The breach-notice listing: who viewed or exported which members' data in a
window, from the audit log (UU 27/2022 Art. 46)."""
import csv
import io
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from portal.staff import breach
from portal.consent import format_receipt_code
from portal.extensions import db
from portal.models import AuditEntry, Submission


def listing(runner, *args):
    result = runner.invoke(args=["audit", "exposure", *args])
    return result, list(csv.DictReader(io.StringIO(result.stdout)))


def test_views_and_exports_in_the_window_are_listed_with_the_members_seen(app, runner, pintu_air, campaign, members):
    pintu_air.get(f"/admin/tindak-lanjut/{members['Maria Goreti']}")
    pintu_air.get("/admin/tindak-lanjut/ekspor.csv?shu=setuju&cari=goreti")
    campaign.get("/admin/tindak-lanjut/ekspor.xlsx")
    with app.app_context():
        code = format_receipt_code(db.session.get(Submission, members["Maria Goreti"]).receipt_code)
        logged = {e.action for e in db.session.scalars(select(AuditEntry))}
    assert "masuk" in logged  # logging in is in the log, but exposes no member
    today = datetime.now(timezone.utc).astimezone(breach.WITA).date()
    result, rows = listing(runner, "--since", today.isoformat(), "--until", (today + timedelta(days=1)).isoformat())
    assert result.exit_code == 0, result.output
    assert [(r["akun"], r["tindakan"], r["koperasi"]) for r in rows] == [
        ("ani", "Melihat data satu anggota", "pintu-air"), ("ani", "Mengunduh CSV", "pintu-air"),
        ("tim", "Mengunduh XLSX", "semua")]
    assert rows[0]["kode_tanda_terima"] == code and rows[0]["alamat"] == "127.0.0.1"
    assert rows[1]["baris"] == "1" and '"cari": "(disamarkan)"' in rows[1]["rincian"]
    assert "Maria" not in result.stdout and "0812" not in result.stdout  # the log holds no personal data
    assert "ani: 2 entries; cooperatives pintu-air; 1 member(s) one by one; 1 row(s)" in result.stderr


def test_the_window_is_respected_and_bad_dates_are_refused(app, runner, pintu_air, members):
    pintu_air.get(f"/admin/tindak-lanjut/{members['Maria Goreti']}")
    result, rows = listing(runner, "--since", "2020-01-01", "--until", "2020-02-01")
    assert result.exit_code == 0 and rows == []
    result, rows = listing(runner, "--since", "2020-01-01T08:00")  # until now
    assert [r["tindakan"] for r in rows] == ["Melihat data satu anggota"]
    result, _ = listing(runner, "--since", "kemarin")
    assert result.exit_code == 2 and "2026-12-01" in result.output
    result, _ = listing(runner, "--since", "2026-12-02", "--until", "2026-12-01")
    assert result.exit_code == 2 and "--until must come after --since" in result.output
