"""Registration data for BPJS Ketenagakerjaan: asked only at the handover,
given by the member on their private page or by an officer with them, with a
consent of its own ("pendaftaran ke BPJS Ketenagakerjaan").

Giving it, changing it and withdrawing it are consent events. The event and
the signed consent record carry only that the data was given
(``daftar_bpjs``), never the data itself.
"""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func, select

from kkbc import choices, data

from .. import consent
from ..extensions import db
from ..models import BpjsRegistration, Submission, utcnow
from . import nik as nik_rules
from . import vault

# BPJS's lowest declared income for a BPU worker (FACTS.md: Rp1 juta; the branch confirms).
MIN_INCOME = 1_000_000
MAX_INCOME = 100_000_000
CHOICE = "daftar_bpjs"
GIVEN, WITHDRAWN = consent.rules.BPJS_GIVEN, consent.rules.BPJS_WITHDRAWN
ONLINE = {"channel": "daring", "method": "dibaca-sendiri"}


def get(submission: Submission) -> BpjsRegistration | None:
    """The member's registration data, if given."""
    return db.session.scalar(select(BpjsRegistration).where(BpjsRegistration.submission_id == submission.id))


def may_register(submission: Submission) -> bool:
    """Members still in the campaign can give or change their registration data."""
    return submission.state in consent.LIVE_STATES


def save(submission: Submission, values: dict, *, actor: str, collection: dict | None = None) -> BpjsRegistration:
    """Store (or replace) the registration data and record the consent event; the caller commits.

    ``values``: nik (already checked by ``nik.check``), ktp_name, birth_date,
    sex, phone, occupation, kabupaten, programme, income.
    """
    if not may_register(submission):
        raise ValueError(f"a record in state {submission.state!r} cannot give registration data")
    registration = get(submission) or BpjsRegistration(submission_id=submission.id, created_at=utcnow())
    nik = values["nik"]
    registration.nik_encrypted = vault.encrypt(nik)
    registration.nik_hash = vault.keyed_hash(nik)
    for name in ("ktp_name", "birth_date", "sex", "phone", "occupation", "kabupaten", "programme", "income"):
        setattr(registration, name, values[name])
    registration.collection = dict(collection or ONLINE)
    registration.updated_at, registration.updated_by = utcnow(), actor
    db.session.add(registration)
    # The member agreed to the notice that names this purpose: its version goes with the event.
    submission.notice_version = consent.notice_version()
    submission.choices = {**submission.choices, CHOICE: True}
    submission.updated_at = utcnow()
    consent.record_event(submission, GIVEN, actor=actor, collection=collection or ONLINE)
    return registration


def withdraw(submission: Submission, actor: str = consent.rules.MEMBER) -> None:
    """The member no longer wants to be registered through the cooperative: the data goes."""
    registration = get(submission)
    if registration is not None:
        db.session.delete(registration)
    submission.choices = {**submission.choices, CHOICE: False}
    submission.updated_at = utcnow()
    consent.record_event(submission, WITHDRAWN, actor=actor)


def wants_registration(submission: Submission) -> bool:
    """The member asked to be registered and has not withdrawn."""
    return bool(submission.choices.get(CHOICE)) and submission.state in consent.LIVE_STATES


def nik(registration: BpjsRegistration) -> str:
    """The NIK in the clear: only for the handover list and the member's own page (the caller audits)."""
    return vault.decrypt(registration.nik_encrypted)


def masked_nik(registration: BpjsRegistration) -> str:
    """The NIK with all but its last digits hidden."""
    return nik_rules.mask(nik(registration))


def same_nik(registration: BpjsRegistration) -> list[BpjsRegistration]:
    """Other registrations with the same NIK (a household's slip, or two
    cooperatives), found by the keyed hash without decrypting anything."""
    return list(db.session.scalars(select(BpjsRegistration).where(
        BpjsRegistration.nik_hash == registration.nik_hash, BpjsRegistration.id != registration.id)
        .order_by(BpjsRegistration.id)))


def find_by_nik(nik: str) -> list[BpjsRegistration]:
    """Registrations with this NIK, found by its keyed hash."""
    return list(db.session.scalars(select(BpjsRegistration).where(
        BpjsRegistration.nik_hash == vault.keyed_hash(nik)).order_by(BpjsRegistration.id)))


def overview(submissions: list[Submission]) -> list[dict]:
    """Each member with their registration, the NIK masked, how many other
    registrations share that NIK (one grouped query), and the KPJ masked."""
    regs = {r.submission_id: r for r in db.session.scalars(select(BpjsRegistration).where(
        BpjsRegistration.submission_id.in_([s.id for s in submissions])))}
    hashes = {r.nik_hash for r in regs.values()}
    counts = dict(db.session.execute(select(BpjsRegistration.nik_hash, func.count()).where(
        BpjsRegistration.nik_hash.in_(hashes)).group_by(BpjsRegistration.nik_hash)).all()) if hashes else {}
    rows = []
    for submission in submissions:
        found = regs.get(submission.id)
        rows.append({"submission": submission, "registration": found,
                     "masked": masked_nik(found) if found else "",
                     "twins": counts.get(found.nik_hash, 1) - 1 if found else 0,
                     "kpj": mask_kpj(found.kpj) if found else ""})
    return rows


def missing(submission: Submission, registration: BpjsRegistration | None) -> list[str]:
    """What keeps this member off the handover list, in staff's words."""
    out = []
    if registration is None:
        out.append("data pendaftaran BPJS (NIK, nama sesuai KTP, tanggal lahir, dan lainnya) belum diisi")
    if not submission.member_number:
        out.append("nomor anggota")
    return out


KPJ = re.compile(r"^\d{1,20}$")


def normalise_kpj(text: str | None) -> str | None:
    """The KPJ as digits; None when it is not one. Its length is not published
    (FACTS.md, fourth check), so only digits and a sane upper bound are checked."""
    digits = re.sub(r"[\s.\-]", "", text or "")
    return digits if KPJ.match(digits) else None


def mask_kpj(kpj: str | None) -> str:
    """A KPJ number with all but its last four digits hidden."""
    if not kpj:
        return ""
    return "•" * max(0, len(kpj) - 4) + kpj[-4:]


def describe(registration: BpjsRegistration) -> dict:
    """The registration as words for a page (without the NIK: the caller adds it masked or not)."""
    return {
        "ktp_name": registration.ktp_name,
        "birth_date": registration.birth_date.strftime("%d-%m-%Y"),
        "sex": nik_rules.SEX_LABELS.get(registration.sex, registration.sex),
        "phone": registration.phone,
        "occupation": choices.OCCUPATIONS.get(registration.occupation, registration.occupation),
        "kabupaten": data.kabupaten().get(registration.kabupaten, registration.kabupaten),
        "programme": choices.PACKAGES.get(registration.programme, registration.programme),
        "income": registration.income,
        "kpj": registration.kpj,
    }


def age_on(birth: date, today: date) -> int:
    """A person's age in whole years on a day."""
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def rotate_keys() -> dict[str, int]:
    """Re-encrypt every NIK under the current key and recompute its keyed hash
    (the caller commits). Returns how many values were under each old key id,
    so the operator knows when an old key may be removed from NIK_KEYS."""
    moved: dict[str, int] = {}
    for registration in db.session.scalars(select(BpjsRegistration).order_by(BpjsRegistration.id)):
        clear = vault.decrypt(registration.nik_encrypted)  # a missing or wrong key stops here, loudly
        if vault.needs_rotation(registration.nik_encrypted):
            old = vault.key_id(registration.nik_encrypted)
            moved[old] = moved.get(old, 0) + 1
            registration.nik_encrypted = vault.encrypt(clear)
        registration.nik_hash = vault.keyed_hash(clear)
    return moved
