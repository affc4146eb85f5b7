"""The dashboards' counts kept a minute and shared by every worker
(portal.followup.figures), on SQLite and PostgreSQL: the same figures as counted
fresh, the page says when they were counted, and a new member shows once
they are older than the stated age."""
from datetime import timedelta

from sqlalchemy import select, update

from portal.extensions import db
from portal.models import CountedFigures, utcnow
from tests.actions import submit
from tests.admin.test_dashboard import counts, figures
from tests.conftest import soup


def test_kept_counts_match_fresh_ones_and_refresh_after_their_age(app, pintu_air, campaign, members):
    fresh = soup(pintu_air.get("/admin/"))
    fresh_all = soup(campaign.get("/admin/"))
    app.config["FIGURES_MAX_AGE_SECONDS"] = 60
    kept = soup(pintu_air.get("/admin/"))
    assert figures(kept) == figures(fresh) == ["2 pendaftar", "2 persetujuan masih berlaku", "2 perlu dihubungi"]
    for caption in ("Pilihan SHU", "Kabupaten atau kota", "Pekerjaan", "Status tindak lanjut"):
        assert counts(kept, caption) == counts(fresh, caption)
    assert kept.select_one(".admin-chart svg").decode() == fresh.select_one(".admin-chart svg").decode()
    note = kept.select_one(".admin-figures + p.portal-hint").get_text(" ", strip=True)
    assert note.startswith("Dihitung pukul ") and "paling lama 1 menit sekali" in note
    kept_all = soup(campaign.get("/admin/"))
    assert figures(kept_all) == figures(fresh_all)
    assert [tr.get_text(" ", strip=True) for tr in kept_all.select("table tbody tr")] == [
        tr.get_text(" ", strip=True) for tr in fresh_all.select("table tbody tr")]
    with app.app_context():
        keys = sorted(db.session.scalars(select(CountedFigures.key)))
    assert keys == ["grafik:*", "grafik:pintu-air", "per-koperasi", "ringkasan:*", "ringkasan:pintu-air"]

    assert submit(app.test_client(), "/k/pintu-air", nama="Anggota Baru", nomor_hp="0812 7777 0001").status_code == 303
    assert figures(soup(pintu_air.get("/admin/")))[0] == "2 pendaftar"  # within the minute: as counted
    with app.app_context():
        db.session.execute(update(CountedFigures).values(counted_at=utcnow() - timedelta(seconds=61)))
        db.session.commit()
    assert figures(soup(pintu_air.get("/admin/")))[0] == "3 pendaftar"
