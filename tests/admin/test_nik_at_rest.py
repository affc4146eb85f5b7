"""After a whole run (the member's page, an officer's entry, a mistyped NIK, a
handover, its downloads, BPJS's answer with its preview), neither a dump of
the database nor the logs hold any NIK in the clear."""
import logging
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from portal.extensions import db
from tests.admin.test_conversion import season  # noqa: F401 (fixture)
from tests.admin.test_handover import NIKS, answer_file, make_handover, member_id, officer_registers, upload_answer
from tests.conftest import require
from tests.portal.bpjs.helpers import ANA_NIK, give_registration, private_page


def database_dump(app) -> bytes:
    """What a backup of the database holds: pg_dump's output, or SQLite's files."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        files = [Path(url.database + suffix) for suffix in ("", "-wal")]
        return b"".join(f.read_bytes() for f in files if f.exists())
    require(subprocess.run(["which", "pg_dump"], capture_output=True).returncode == 0, "pg_dump is not installed")
    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return subprocess.run(["pg_dump", "--data-only", plain], capture_output=True, check=True).stdout


def test_no_nik_in_the_database_dump_or_the_logs(app, pintu_air, season, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG)
    member = app.test_client()
    page = private_page(member, nama="Ana")
    assert give_registration(member, page, nik=ANA_NIK[:-1] + "X").status_code == 400  # mistyped: not stored
    assert give_registration(member, page).status_code == 303
    assert member.get(page).status_code == 200
    for number, (nik, born, sex) in NIKS.items():
        assert officer_registers(pintu_air, "pintu-air", member_id(app, number), nik, born, sex).status_code == 303
    batch = make_handover(pintu_air)
    for suffix in ("", "/daftar.xlsx", "/daftar.csv", "/cetak"):
        assert pintu_air.get(batch + suffix).status_code == 200
    _, action, fields = upload_answer(pintu_air, batch, answer_file(
        ("5307010101800001", "", "12345678901", "Terdaftar", "", "KI-1", "3")))
    pending = database_dump(app)  # the answer file waits, encrypted, until confirmed
    assert pintu_air.post(action, data=fields).status_code == 303

    niks = [ANA_NIK] + [nik for nik, _, _ in NIKS.values()]
    for dump in (pending, database_dump(app)):
        assert b"Nama Sesuai KTP" in dump  # the dump does hold the registrations
        assert [n for n in niks if n.encode() in dump] == []
    logged = "\n".join(f"{r.getMessage()} {r.args}" for r in caplog.records)
    assert [n for n in niks if n in logged] == []
