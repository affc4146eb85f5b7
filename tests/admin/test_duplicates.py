"""Records that share a phone number in one cooperative: flagged for staff,
marked as duplicates only by staff of that cooperative, counted once."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, Submission
from tests.actions import submit
from tests.admin.conftest import csrf
from tests.conftest import soup
from tests.portal.test_record_identity import SHARED_HP, only


def test_duplicates_are_marked_by_staff_and_count_once(app, staff, pintu_air, obor_mas):
    first = app.test_client()
    submit(first, "/k/pintu-air", nama="Maria Goreti", nomor_hp=SHARED_HP)
    submit(first, "/k/pintu-air", nama="Maria G.", nomor_hp=SHARED_HP)  # the same person, again
    submit(first, "/k/pintu-air", nama="Yohanes Bosco", nomor_hp="0813 3900 1122")
    maria, again = only(app, "Maria Goreti"), only(app, "Maria G.")
    rows = soup(pintu_air.get("/admin/tindak-lanjut/")).select("tbody tr")
    flagged = sorted(r.select_one("th a").get_text() for r in rows if "Mungkin ganda" in r.get_text())
    assert flagged == ["Maria G.", "Maria Goreti"]
    detail = soup(pintu_air.get(f"/admin/tindak-lanjut/{again.id}"))
    assert "Mungkin ganda" in detail.select_one(".admin-warning").get_text()
    # Staff of another cooperative cannot mark anything here.
    path = f"/admin/tindak-lanjut/{again.id}/ganda"
    assert obor_mas.post(path, data={"csrf_token": csrf(obor_mas, "/admin/sandi"),
                                     "asli": str(maria.id)}).status_code == 404
    done = pintu_air.post(path, data={"csrf_token": csrf(pintu_air, f"/admin/tindak-lanjut/{again.id}"),
                                      "asli": str(maria.id)})
    assert done.status_code == 303
    with app.app_context():
        assert db.session.get(Submission, again.id).duplicate_of_id == maria.id
        assert db.session.get(Submission, again.id).name == "Maria G."  # kept, not erased
        [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "tandai_ganda")).all()
        assert entry.submission_id == again.id and entry.actor == "ani"
    dashboard = soup(pintu_air.get("/admin/")).get_text(" ", strip=True)
    assert "2 pendaftar" in dashboard
    export = pintu_air.get("/admin/tindak-lanjut/ekspor.csv").get_data(as_text=True)
    assert "Maria Goreti" in export and "Maria G.," not in export and "Yohanes Bosco" in export
    recap = pintu_air.get("/admin/rat/pintu-air").get_data(as_text=True)
    assert "Maria" not in recap


@pytest.mark.parametrize("target", ["sendiri", "lain"])
def test_a_duplicate_must_share_the_phone_and_cooperative(app, staff, pintu_air, target):
    client = app.test_client()
    submit(client, "/k/pintu-air", nama="Maria Goreti", nomor_hp=SHARED_HP)
    submit(client, "/k/pintu-air", nama="Yohanes Bosco", nomor_hp="0813 3900 1122")
    maria, yohanes = only(app, "Maria Goreti"), only(app, "Yohanes Bosco")
    original = maria.id if target == "sendiri" else yohanes.id
    path = f"/admin/tindak-lanjut/{maria.id}/ganda"
    response = pintu_air.post(path, data={"csrf_token": csrf(pintu_air, f"/admin/tindak-lanjut/{maria.id}"),
                                          "asli": str(original)})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Submission, maria.id).duplicate_of_id is None


def test_staff_download_a_members_signed_record_and_it_is_audited(app, pintu_air, members):
    import json

    from portal.consent import proof

    maria = members["Maria Goreti"]
    response = pintu_air.get(f"/admin/tindak-lanjut/{maria}/bukti.json")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    document = json.loads(response.get_data(as_text=True))
    with app.app_context():
        assert proof.verify(document, proof.keys().published)[0] == proof.VALID
        [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "unduh_bukti")).all()
        assert (entry.actor, entry.submission_id) == ("ani", maria)
