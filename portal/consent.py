"""Give, change, withdraw and erase consent; receipt codes and private links.

Every change is a new ConsentEvent; a past event is never edited. Erasure
blanks the personal fields of the submission and records an "erased" event,
so the history stays complete without holding anyone's name or number.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from . import choices, data
from .extensions import db
from .models import ConsentEvent, IdempotencyKey, Submission, utcnow

# Read aloud and typed from paper: no 0/O, 1/I/L, 2/Z, 5/S, 8/B, 6/G look-alikes.
RECEIPT_ALPHABET = "ACDEFHJKMNPQRTUVWXY3479"
RECEIPT_LENGTH = 8
WITA = ZoneInfo("Asia/Makassar")

ACTIVE, SHU_WITHDRAWN, WITHDRAWN, ERASED = "aktif", "shu_ditarik", "ditarik", "dihapus"
STATE_LABELS = {
    ACTIVE: "Aktif",
    SHU_WITHDRAWN: "Persetujuan SHU ditarik",
    WITHDRAWN: "Semua persetujuan ditarik",
    ERASED: "Data dihapus",
}


def notice_version() -> str:
    return str(data.privacy()["version"])


def new_receipt_code() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


def normalise_receipt_code(text: str) -> str:
    """Accept 'abcd-efgh', 'ABCD EFGH' and other ways of writing the same code."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())[:RECEIPT_LENGTH * 2]


def format_receipt_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def link_signature(code: str) -> str:
    """The secret half of a member's private link, derived from the receipt code.

    Nothing secret is stored: the link is an HMAC under SECRET_KEY, so the same
    link can be shown again after a retried submission on any instance.
    """
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, b"kelola:" + code.encode(), hashlib.sha256).digest()
    return digest[:16].hex()


def check_signature(code: str, signature: str) -> bool:
    return hmac.compare_digest(link_signature(code), signature or "")


def idempotency_key(form_key: str, values: dict) -> str:
    """The form's key plus a digest of what was sent: a retry of the same
    answers is one record, while going back and changing an answer on the same
    page is a real change."""
    digest = hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()
    return f"{form_key}.{digest[:20]}"


def cooperative_key(slug: str, other: str | None) -> str:
    if slug == choices.OTHER_COOPERATIVE:
        return f"{slug}:{' '.join((other or '').lower().split())}"[:170]
    return slug


def _record(submission: Submission, kind: str, actor: str = "anggota",
            source: dict | None = None) -> ConsentEvent:
    """Append an event with the submission's current choices (flushes the submission)."""
    db.session.flush()
    event = ConsentEvent(submission_id=submission.id, kind=kind,
                         notice_version=submission.notice_version, choices=dict(submission.choices),
                         source=dict(submission.source if source is None else source),
                         actor=actor, created_at=utcnow())
    db.session.add(event)
    return event


def submit(*, key: str, name: str, phone: str, member_number: str | None,
           other_cooperative: str | None, chosen: dict, source: dict) -> Submission:
    """Store an interest exactly once per form key; a repeat phone updates.

    Safe to call concurrently from several workers and instances: the database
    constraints decide, and a collision is retried as the update it really is.
    """
    for attempt in range(3):
        try:
            submission = _submit_once(key, name, phone, member_number,
                                      other_cooperative, chosen, source)
            db.session.commit()
            return submission
        except IntegrityError:
            db.session.rollback()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _submit_once(key, name, phone, member_number, other, chosen, source) -> Submission:
    done = db.session.get(IdempotencyKey, key)
    if done is not None:
        return db.session.get(Submission, done.submission_id)

    coop = chosen["koperasi"]
    coop_key = cooperative_key(coop, other)
    submission = db.session.scalar(select(Submission).where(
        Submission.cooperative_key == coop_key, Submission.phone == phone))
    if submission is None:
        submission = Submission(receipt_code=new_receipt_code(), phone=phone,
                                cooperative=coop, cooperative_key=coop_key,
                                source=source, created_at=utcnow())
        db.session.add(submission)
        kind = "diberikan"
    else:
        kind = "diberikan" if submission.state != ACTIVE else "diubah"
    submission.name = name
    submission.member_number = member_number or None
    submission.cooperative_other = other if coop == choices.OTHER_COOPERATIVE else None
    submission.kabupaten = chosen["kabupaten"]
    submission.occupation = chosen["pekerjaan"]
    submission.choices = chosen
    submission.state = ACTIVE
    submission.notice_version = notice_version()
    submission.updated_at = utcnow()
    # The event says where this particular submission came from; the
    # submission keeps the first source that ever brought the member.
    _record(submission, kind, source=source)
    db.session.add(IdempotencyKey(key=key, submission_id=submission.id))
    return submission


def find(code: str) -> Submission | None:
    return db.session.scalar(select(Submission).where(Submission.receipt_code == code))


def find_by_code_and_phone(code: str, phone: str) -> Submission | None:
    """Both must match; the caller shows one neutral message otherwise."""
    submission = find(normalise_receipt_code(code))
    if submission is None or submission.phone is None:
        return None
    return submission if hmac.compare_digest(submission.phone, phone) else None


NO_SHU = {"shu": "tidak", "shu_cara": None, "shu_nilai": None}
NO_CONTACT = {"setuju_dihubungi": False, "kontak": [], "setuju_data": False}


def _change(submission: Submission, state: str, kind: str, updates: dict, actor: str = "anggota") -> None:
    """Apply a withdrawal or erasure to the current choices and record it as an event."""
    submission.choices = {**submission.choices, **updates}
    submission.state = state
    _record(submission, kind, actor=actor)
    db.session.commit()


def withdraw_shu(submission: Submission) -> None:
    """The member no longer agrees to SHU being used; other consents stay."""
    _change(submission, SHU_WITHDRAWN, "shu_ditarik", NO_SHU)


def withdraw_all(submission: Submission) -> None:
    """Stop all processing: no contact, no SHU, no follow-up."""
    _change(submission, WITHDRAWN, "ditarik", {**NO_SHU, **NO_CONTACT})


def erase(submission: Submission, actor: str = "anggota") -> None:
    """Blank every personal field; keep the anonymous history."""
    submission.name = submission.phone = submission.member_number = None
    submission.cooperative_other = None
    submission.erased_at = utcnow()
    _change(submission, ERASED, "dihapus", NO_CONTACT, actor=actor)


def local_time(moment: datetime) -> datetime:
    """Time in WITA (UTC+8), the time zone of NTT."""
    if moment.tzinfo is None:  # SQLite gives back naive UTC
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(WITA)


def counted():
    """SQL condition for the records that count as people (erased ones do not)."""
    return Submission.state != ERASED
