"""Numbered paper forms: batches printed for one cooperative, each number used once.

A number is the batch id, the form's place in the batch (3 digits) and a Luhn
check digit, printed as ``0012-034-5``: staff can sort forms by batch, and a
digit mistyped from paper is caught before it can match another form.
Numbers are derived from the batch id, so two batches made at once never collide.
"""
from __future__ import annotations

import re

from sqlalchemy import func, select, update

from ..extensions import db
from ..models import PaperBatch, PaperForm, utcnow

MAX_BATCH = 200
UNKNOWN = "Nomor formulir ini tidak dikenal. Periksa lagi angkanya di pojok kanan atas formulir"
USED = "Nomor formulir ini sudah dipakai. Satu formulir hanya untuk satu pendaftaran"


def check_digit(digits: str) -> str:
    """Luhn: catches every single wrong digit and most swapped neighbours."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return str((10 - total % 10) % 10)


def number_for(batch_id: int, place: int) -> str:
    """A form's number: the batch, its place, and a check digit."""
    digits = f"{batch_id:04d}{place:03d}"
    return digits + check_digit(digits)


def display(number: str) -> str:
    """0012-034-5."""
    return f"{number[:-4]}-{number[-4:-1]}-{number[-1]}"


def normalise(text: str | None) -> str | None:
    """The stored number for what staff typed ('12-034-5', '0012 0345'), or None."""
    digits = re.sub(r"[\s\-./]", "", text or "")
    if not digits.isdigit() or not 5 <= len(digits) <= 12:
        return None
    digits = digits.lstrip("0").rjust(8, "0")
    return digits if check_digit(digits[:-1]) == digits[-1] else None


def create_batch(cooperative: str, size: int, note: str, user_id: int | None) -> PaperBatch:
    """A batch of ``size`` new numbers (the caller audits and commits)."""
    batch = PaperBatch(cooperative=cooperative, size=size, note=note or "", created_by=user_id,
                       created_at=utcnow())
    db.session.add(batch)
    db.session.flush()
    db.session.add_all(PaperForm(number=number_for(batch.id, place), sequence=place, batch_id=batch.id,
                                 cooperative=cooperative) for place in range(1, size + 1))
    return batch


def batches(cooperative: str) -> list[PaperBatch]:
    """The cooperative's batches, newest first."""
    return list(db.session.scalars(select(PaperBatch).where(PaperBatch.cooperative == cooperative)
                                   .order_by(PaperBatch.id.desc())))


def used_per_batch(cooperative: str) -> dict[int, int]:
    """How many forms of each of the cooperative's batches are entered: {batch id: count}."""
    return dict(db.session.execute(select(PaperForm.batch_id, func.count()).where(
        PaperForm.cooperative == cooperative, PaperForm.submission_id.is_not(None))
        .group_by(PaperForm.batch_id)).all())


def batch(cooperative: str, batch_id: int) -> PaperBatch | None:
    """One of the cooperative's batches; another cooperative's answers like a missing one."""
    found = db.session.get(PaperBatch, batch_id)
    return found if found is not None and found.cooperative == cooperative else None


def problem(text: str | None, cooperative: str) -> str | None:
    """Why this number cannot be used for a new entry of this cooperative, or None.

    A number of another cooperative answers like an unknown one.
    """
    number = normalise(text)
    form = db.session.get(PaperForm, number) if number else None
    if form is None or form.cooperative != cooperative:
        return UNKNOWN
    if form.submission_id is not None:
        return USED
    return None


def mark_used(number: str, submission_id: int) -> None:
    """Tie the number to the submission it produced (once; a retry changes nothing)."""
    db.session.execute(update(PaperForm).where(
        PaperForm.number == number, PaperForm.submission_id.is_(None)).values(
        submission_id=submission_id, used_at=utcnow()))


def idempotency_key(number: str) -> str:
    """One record per paper form, however often it is entered or imported."""
    return f"kertas:{number}"
