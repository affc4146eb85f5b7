"""Large exports made in the background (portal.followup.export_jobs), on SQLite and
PostgreSQL: asked for with one button, claimed by exactly one worker, whole
when offered, progress on the page, only for staff of the job's scope, gone
when it expires, and never left "sedang dibuat" when its worker died."""
import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from harness import seed
from portal import consent
from portal.followup import export_jobs
from portal.extensions import db
from portal.models import AuditEntry, ExportJob, Submission, utcnow
from tests.admin.conftest import csrf, logged_in
from tests.conftest import soup

ROWS = 1200  # Pintu Air's seeded members: above the direct limit set below


@pytest.fixture
def big(app, staff, tmp_path):
    """1,200 members of Pintu Air and 30 of Obor Mas; exports over 100 rows go to the background."""
    app.config.update(EXPORT_DIRECT_ROWS={"csv": 100, "xlsx": 100}, EXPORT_DIR=str(tmp_path / "ekspor"))
    seed.seed(app.config["SQLALCHEMY_DATABASE_URI"], {"pintu-air": ROWS, "obor-mas": 30})
    return app


def ask(client, fmt="csv", query=""):
    """Open the export link, then press the button on the page it shows: the job's page address."""
    offer = client.get(f"/admin/tindak-lanjut/ekspor.{fmt}{query}")
    assert offer.status_code == 200
    form = soup(offer).select_one("form[action*=ekspor-besar]")
    assert form.select_one("button").get_text() == f"Buat berkas {fmt.upper()}"
    response = client.post(form["action"], data={"csrf_token": csrf(client, f"/admin/tindak-lanjut/ekspor.{fmt}{query}")})
    assert response.status_code == 303
    return response.headers["Location"]


def jobs(app) -> list[ExportJob]:
    with app.app_context():
        return db.session.scalars(select(ExportJob).order_by(ExportJob.id)).all()


def status_text(client, url) -> str:
    return " ".join(soup(client.get(url)).select_one("[role=status]").get_text().split())


def test_a_large_export_is_offered_then_made_whole_in_the_background(big):
    ani = logged_in(big, "ani")
    offer = ani.get("/admin/tindak-lanjut/ekspor.csv")
    assert "1.200" in soup(offer).select_one("main p").get_text()
    assert jobs(big) == []  # opening the link makes nothing

    url = ask(ani)
    assert ani.get(url).headers["Refresh"] == "5"
    assert "Refresh" not in ani.get(url + "?otomatis=tidak").headers  # staff may stop it
    assert status_text(ani, url) == "Menunggu giliran dibuat."
    assert ani.get(url + "/unduh").status_code == 303  # nothing to download yet

    with big.app_context():
        assert export_jobs.run_next(big) is not None
        assert export_jobs.run_next(big) is None  # one job, made once
    response = ani.get(url)
    assert "Refresh" not in response.headers
    page = soup(response)
    assert "Berkas siap: 1.200 baris." in status_text(ani, url)
    download = ani.get(page.select_one("a.md-button--primary")["href"])
    assert download.status_code == 200 and download.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 1 + ROWS + 1 and rows[-1] == ["Akhir berkas: 1.200 baris data. Berkas ini lengkap."]
    assert {r[5] for r in rows[1:-1]} == {"KSP Kopdit Pintu Air"}
    [job] = jobs(big)
    assert job.filters is None  # the filters (a search may hold a name) go once the file is made
    assert (export_jobs.directory(big) / job.file_name).stat().st_mode & 0o777 == 0o600
    with big.app_context():
        audited = db.session.execute(select(AuditEntry.action, AuditEntry.rows, AuditEntry.cooperative)
                                     .where(AuditEntry.action.like("ekspor%")).order_by(AuditEntry.id)).all()
    assert audited == [("ekspor_diminta", ROWS, "pintu-air"), ("ekspor_csv", ROWS, "pintu-air")]


def test_an_xlsx_job_holds_every_row_and_says_it_is_whole(big):
    tim = logged_in(big, "tim")
    url = ask(tim, "xlsx", "?koperasi=pintu-air&shu=setuju")
    with big.app_context():
        export_jobs.run_next(big)
    href = soup(tim.get(url)).select_one("a.md-button--primary")["href"]
    sheet = load_workbook(io.BytesIO(tim.get(href).data), read_only=True).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    [job] = jobs(big)
    assert 0 < job.done < ROWS and len(values) == 1 + job.done + 1
    assert values[-1][0] == f"Akhir berkas: {job.done:,} baris data. Berkas ini lengkap.".replace(",", ".")
    assert {v[9] for v in values[1:-1]} == {"Setuju"}


def test_only_staff_of_the_jobs_scope_see_or_download_it(big):
    ani, oki, tim = (logged_in(big, name) for name in ("ani", "oki", "tim"))
    url = ask(ani)
    with big.app_context():
        export_jobs.run_next(big)
    assert oki.get(url).status_code == 404 and oki.get(url + "/unduh").status_code == 404
    assert oki.get("/admin/tindak-lanjut/ekspor/999").status_code == 404  # the same as one that does not exist
    assert tim.get(url).status_code == 200 and tim.get(url + "/unduh").status_code == 200
    everyone = ask(tim)  # the campaign team's job over every cooperative
    assert ani.get(everyone).status_code == 404
    with big.app_context():
        refused = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "ditolak")).all()
    assert [(e.actor, e.detail["alasan"]) for e in refused] == [("oki", "ekspor koperasi lain")] * 2 + [
        ("ani", "ekspor koperasi lain")]


def test_progress_is_written_while_the_file_is_made(big, monkeypatch):
    ani = logged_in(big, "ani")
    url = ask(ani)
    seen = []
    real = export_jobs._report

    def report(job_id, worker, **values):
        real(job_id, worker, **values)
        with db.engine.connect() as connection:  # what any other worker's page would read now
            seen.append(tuple(connection.execute(select(ExportJob.status, ExportJob.done, ExportJob.expected)).one()))

    monkeypatch.setattr(export_jobs, "PROGRESS_SECONDS", 0)
    monkeypatch.setattr(export_jobs, "_report", report)
    with big.app_context():
        export_jobs.run_next(big)
    assert seen == [("berjalan", 0, ROWS), ("berjalan", 500, ROWS), ("berjalan", 1000, ROWS), ("selesai", ROWS, ROWS)]


def test_the_page_shows_progress_in_plain_words(big):
    ani = logged_in(big, "ani")
    url = ask(ani)
    with big.app_context():
        db.session.execute(update(ExportJob).values(status=export_jobs.RUNNING, done=500, heartbeat_at=utcnow()))
        db.session.commit()
    response = ani.get(url)
    assert status_text(ani, url) == ("Sedang dibuat: 500 dari 1.200 baris (41%). Anda boleh menutup halaman ini "
                                     "dan kembali nanti. 41%")
    assert soup(response).select_one("progress")["value"] == "41"
    assert response.headers["Refresh"] == "5"


def test_an_expired_file_is_removed_and_the_page_says_so(big):
    ani = logged_in(big, "ani")
    url = ask(ani)
    with big.app_context():
        export_jobs.run_next(big)
        [job] = db.session.scalars(select(ExportJob)).all()
        path = export_jobs.path_of(job, big)
        assert path.is_file()
        assert export_jobs.sweep(big, utcnow() + timedelta(hours=23)) == 0 and path.is_file()
        assert export_jobs.sweep(big, utcnow() + timedelta(hours=25)) == 1
    assert not path.exists()
    assert status_text(ani, url).startswith("Berkas ini sudah dihapus karena sudah lewat waktunya.")
    assert ani.get(url + "/unduh").status_code == 410


def test_past_its_time_a_file_goes_even_before_the_sweep(big):
    ani = logged_in(big, "ani")
    url = ask(ani)
    with big.app_context():
        export_jobs.run_next(big)
        db.session.execute(update(ExportJob).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
        [job] = db.session.scalars(select(ExportJob)).all()
        path = export_jobs.path_of(job, big)
    response = ani.get(url + "/unduh")
    assert response.status_code == 410 and "sudah dihapus" in response.get_data(as_text=True)
    assert not path.exists() and jobs(big)[0].status == export_jobs.EXPIRED


def erase_one(app, cooperative: str) -> None:
    """A member of that cooperative asks to be erased (or the retention job erases them)."""
    with app.app_context():
        member = db.session.scalars(select(Submission).where(Submission.cooperative == cooperative)).first()
        consent.erase(member)
        db.session.commit()


def made(app, client, query="") -> tuple[str, object]:
    """A finished background CSV: its page address and its file."""
    url = ask(client, query=query)
    with app.app_context():
        export_jobs.run_next(app)
        job = db.session.get(ExportJob, int(url.rsplit("/", 1)[1]))
        assert job.status == export_jobs.DONE
        return url, export_jobs.path_of(job, app)


def test_an_erasure_in_its_scope_removes_a_file_made_before_it(big):
    ani, tim = logged_in(big, "ani"), logged_in(big, "tim")
    (coop_url, coop_file), (all_url, all_file) = made(big, ani), made(big, tim)
    erase_one(big, "obor-mas")  # outside Pintu Air: only the campaign team's file held them
    with big.app_context():
        assert export_jobs.sweep(big) == 1
    assert coop_file.is_file() and not all_file.exists()
    assert status_text(tim, all_url) == ("Berkas ini sudah dihapus. Berkas ini dihapus karena ada anggota yang meminta "
                                         "datanya dihapus setelah berkas ini diminta. Minta berkas baru dari daftar "
                                         "tindak lanjut.")
    erase_one(big, "pintu-air")
    # Asked for again before any sweep: the file goes at once, and says why.
    response = ani.get(coop_url + "/unduh")
    assert response.status_code == 410 and "meminta datanya dihapus" in response.get_data(as_text=True)
    assert not coop_file.exists() and {job.status for job in jobs(big)} == {export_jobs.EXPIRED}
    # A file asked for after the erasure is made and kept.
    later_url, later = made(big, ani)
    with big.app_context():
        assert export_jobs.sweep(big) == 0
    assert later.is_file() and ani.get(later_url + "/unduh").status_code == 200


def test_a_job_is_claimed_by_exactly_one_worker(big):
    ani = logged_in(big, "ani")
    ask(ani)
    with big.app_context():
        first = export_jobs.claim(big, "satu")
        assert first is not None
        assert export_jobs.claim(big, "dua") is None
        assert db.session.get(ExportJob, first).claimed_by == "satu"


def test_a_job_whose_worker_died_is_made_again(big):
    ani = logged_in(big, "ani")
    url = ask(ani)
    with big.app_context():
        assert export_jobs.claim(big, "mati") is not None  # claimed, then the worker died: no sign of life since
        db.session.execute(update(ExportJob).values(heartbeat_at=utcnow() - timedelta(minutes=5), done=300))
        db.session.commit()
    assert "Pembuatan berkas terhenti sebentar." in status_text(ani, url)
    with big.app_context():
        assert export_jobs.run_next(big) is not None
    [job] = jobs(big)
    assert job.status == export_jobs.DONE and job.attempts == 2 and job.done == ROWS
    assert "Berkas siap: 1.200 baris." in status_text(ani, url)


def test_a_job_that_keeps_dying_is_marked_failed_with_what_to_do(big):
    ani = logged_in(big, "ani")
    url = ask(ani)
    with big.app_context():
        db.session.execute(update(ExportJob).values(status=export_jobs.RUNNING, attempts=export_jobs.MAX_ATTEMPTS,
                                                    claimed_by="mati", heartbeat_at=utcnow() - timedelta(hours=1)))
        db.session.commit()
        assert export_jobs.run_next(big) is None
    [job] = jobs(big)
    assert job.status == export_jobs.FAILED and job.filters is None
    assert status_text(ani, url) == ("Berkas tidak jadi dibuat. Pembuatan berkas terhenti 3 kali karena server "
                                     "dimulai ulang. Minta berkas lagi dari daftar tindak lanjut, atau pilih "
                                     "saringan agar berkasnya lebih kecil.")
    assert "Refresh" not in ani.get(url).headers


def test_a_worker_thought_dead_stops_and_leaves_no_file(big, monkeypatch):
    ani = logged_in(big, "ani")
    ask(ani)
    real = export_jobs._report

    def taken_over(job_id, worker, **values):
        if values.get("done") == 500:  # meanwhile another worker claimed the job
            with db.engine.begin() as connection:
                connection.execute(update(ExportJob).values(claimed_by="andere"))
        real(job_id, worker, **values)

    monkeypatch.setattr(export_jobs, "PROGRESS_SECONDS", 0)
    monkeypatch.setattr(export_jobs, "_report", taken_over)
    with big.app_context():
        export_jobs.run_next(big)
    [job] = jobs(big)
    assert job.status == export_jobs.RUNNING and job.claimed_by == "andere" and job.file_name is None
    assert list(export_jobs.directory(big).iterdir()) == []


def test_small_exports_stay_direct(app, staff, tmp_path):
    app.config.update(EXPORT_DIR=str(tmp_path / "ekspor"))
    seed.seed(app.config["SQLALCHEMY_DATABASE_URI"], {"pintu-air": 50})
    response = logged_in(app, "ani").get("/admin/tindak-lanjut/ekspor.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.get_data(as_text=True).rstrip().endswith("Akhir berkas: 50 baris data. Berkas ini lengkap.")
    assert jobs(app) == []
