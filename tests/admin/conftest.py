"""Back-office fixtures: staff accounts, logged-in clients, a few members."""
from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from portal.staff import accounts
from portal.extensions import db
from portal.models import AuditEntry, Submission
from tests.actions import add_campaign_code, submit
from tests.conftest import soup

PASSWORD = "sapi merah makan rumput"
STAFF = {
    "tim": ("kampanye", None),
    "ani": ("koperasi", "pintu-air"),
    "oki": ("koperasi", "obor-mas"),
}


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    """Argon2 at production cost takes about 0.1 s a hash, which adds up over
    hundreds of logins; the code path is the same at a lower cost."""
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setattr(accounts, "_dummy_hash", None)


@pytest.fixture
def staff(app) -> dict[str, int]:
    """A campaign account and two cooperative accounts: {username: id}."""
    with app.app_context():
        ids = {name: accounts.create(name, PASSWORD, role, coop).id for name, (role, coop) in STAFF.items()}
        db.session.commit()
    return ids


def login(client, username: str, password: str = PASSWORD, **extra):
    """Log in through the form, as a person does."""
    page = soup(client.get("/admin/masuk"))
    token = page.select_one('input[name="csrf_token"]')["value"]
    return client.post("/admin/masuk", data={"csrf_token": token, "nama_pengguna": username,
                                             "kata_sandi": password, **extra})


def csrf(client, path: str) -> str:
    return soup(client.get(path)).select_one('input[name="csrf_token"]')["value"]


def logged_in(app, username: str):
    client = app.test_client()
    response = login(client, username)
    assert response.status_code == 303, response.get_data(as_text=True)
    return client


@pytest.fixture
def campaign(app, staff):
    return logged_in(app, "tim")


@pytest.fixture
def pintu_air(app, staff):
    """Staff of KSP Kopdit Pintu Air."""
    return logged_in(app, "ani")


@pytest.fixture
def obor_mas(app, staff):
    return logged_in(app, "oki")


@pytest.fixture
def members(app) -> dict[str, int]:
    """Four members: two of Pintu Air (one from a newsletter code), one of
    Obor Mas, one of a cooperative that is not a partner. {name: id}"""
    add_campaign_code(app, "pintu-air", "buletin-mei")
    member = app.test_client()
    assert submit(member, "/k/pintu-air/buletin-mei", nama="Maria Goreti", nomor_hp="0812 3456 7890",
                  kabupaten="53.07").status_code == 303
    assert submit(member, "/k/pintu-air", nama="Yohanes Bosco", nomor_hp="0813 3900 1122",
                  kabupaten="53.08", shu="belum", shu_cara="", shu_persen="",
                  pekerjaan="petani").status_code == 303
    assert submit(member, "/k/obor-mas", koperasi="obor-mas", nama="Fransiska Wae",
                  nomor_hp="0852 3800 4455").status_code == 303
    assert submit(member, "/daftar/", koperasi="lainnya", koperasi_lain="KSP Sumba Jaya",
                  nama="Umbu Ndaka", nomor_hp="0821 4400 6677", kabupaten="53.11").status_code == 303
    with app.app_context():
        return {s.name: s.id for s in db.session.scalars(select(Submission))}


def audit_entries(app, action: str | None = None) -> list[AuditEntry]:
    with app.app_context():
        query = select(AuditEntry).order_by(AuditEntry.id)
        if action:
            query = query.where(AuditEntry.action == action)
        entries = db.session.scalars(query).all()
        db.session.expunge_all()
        return entries
