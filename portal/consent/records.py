"""Give, correct, withdraw and erase consent; receipt codes and private links.

Every change is a new ConsentEvent; a past event is never edited. Erasure
blanks the personal fields of the submission and records an "erased" event,
so the history stays complete without holding anyone's name or number.

A record belongs to whoever holds its private link (or its receipt code and
phone number). Knowing a phone number gives nothing: the public form always
makes a new record, because a household often shares one phone.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import and_, bindparam, exists, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from kkbc import choices, data

from ..extensions import db
from ..platform import database
from ..models import (
    ANSWER_COLUMNS, BpjsRegistration, ConsentEvent, CoverPeriod, FollowUp, HandoverEntry, Submission, answer_columns,
    utcnow,
)
from . import rules

# Read aloud and typed from paper: no 0/O, 1/I/L, 2/Z, 5/S, 8/B, 6/G look-alikes.
RECEIPT_ALPHABET = "ACDEFHJKMNPQRTUVWXY3479"
RECEIPT_LENGTH = 8


def notice_version() -> str:
    """The privacy notice's version in force."""
    return str(data.privacy()["version"])


def new_receipt_code() -> str:
    """A new random receipt code."""
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


def normalise_receipt_code(text: str) -> str:
    """Accept 'abcd-efgh', 'ABCD EFGH' and other ways of writing the same code."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())[:RECEIPT_LENGTH * 2]


def format_receipt_code(code: str) -> str:
    """A receipt code as printed: ABCD-EFGH."""
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
    """The private link's signature belongs to this code."""
    return hmac.compare_digest(link_signature(code), signature or "")


def idempotency_key(form_key: str, values: dict) -> str:
    """The form's key plus a digest of what was sent: only a retry of the same
    answers from the same rendering of the form is the same submission."""
    digest = hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()
    return f"{form_key}.{digest[:20]}"


def cooperative_key(slug: str, other: str | None) -> str:
    """The key a cooperative is counted by: its slug, or 'lainnya:' and the name typed."""
    if slug == choices.OTHER_COOPERATIVE:
        return f"{slug}:{' '.join((other or '').lower().split())}"[:170]
    return slug


def _record(submission: Submission, kind: str, actor: str = rules.MEMBER,
            source: dict | None = None, collection: dict | None = None) -> ConsentEvent:
    """Append an event with the submission's current choices (flushes the submission)."""
    db.session.flush()
    event = ConsentEvent(submission_id=submission.id, kind=kind,
                         notice_version=submission.notice_version, choices=dict(submission.choices),
                         source=dict(submission.source if source is None else source),
                         collection=dict(collection or {}), actor=actor, created_at=utcnow())
    db.session.add(event)
    return event


def record_event(submission: Submission, kind: str, *, actor: str = rules.MEMBER,
                 collection: dict | None = None) -> ConsentEvent:
    """Record a consent event of another purpose (such as BPJS registration) with
    the submission's current choices; the caller commits."""
    return _record(submission, kind, actor=actor, collection=collection)


@dataclass(frozen=True)
class Stored:
    """What storing an interest gave back: enough for the receipt and for an
    officer's check that a paper form was not entered twice."""

    id: int
    receipt_code: str
    name: str | None
    phone: str | None


# Built once, run with parameters: the write every member makes. Plain
# INSERTs, not the ORM's unit of work, whose flush and bookkeeping cost
# several times the statements themselves. ON CONFLICT DO NOTHING turns a
# collision on either unique column, the idempotency key or the receipt code,
# into "no row": the common case, a new key, never raises.
_SUBMISSIONS, _EVENTS = Submission.__table__, ConsentEvent.__table__
_SUBMISSION_COLUMNS = ("idempotency_key", "receipt_code", "name", "phone", "member_number", "cooperative",
                       "cooperative_key", "cooperative_other", "kabupaten", "occupation", "choices", "state",
                       "source", "notice_version", "created_at", "updated_at", "follow_up_status",
                       *ANSWER_COLUMNS)
# What the first event takes from the submission it records.
_COPIED_TO_EVENT = ("notice_version", "choices", "source", "created_at")
_EVENT_PARAMETERS = ("kind", "collection", "actor")


def _insert_given_postgresql():
    """One statement (atomic even on an autocommit connection, one round trip):
    the submission, and its first event copied from the row just inserted;
    no row at all when the submission collided."""
    new = (postgresql.insert(_SUBMISSIONS).values({name: bindparam(name) for name in _SUBMISSION_COLUMNS})
           .on_conflict_do_nothing().returning(_SUBMISSIONS.c.id, *(_SUBMISSIONS.c[n] for n in _COPIED_TO_EVENT))
           .cte("new"))
    event = select(new.c.id, *(new.c[n] for n in _COPIED_TO_EVENT),
                   *(bindparam(n, type_=_EVENTS.c[n].type) for n in _EVENT_PARAMETERS))
    return (insert(_EVENTS).from_select(("submission_id", *_COPIED_TO_EVENT, *_EVENT_PARAMETERS), event)
            .returning(_EVENTS.c.submission_id))


_INSERT_GIVEN = database.Prepared(_insert_given_postgresql())
_INSERT_SUBMISSION = database.Prepared(
    sqlite.insert(_SUBMISSIONS).values({name: bindparam(name) for name in _SUBMISSION_COLUMNS})
    .on_conflict_do_nothing().returning(_SUBMISSIONS.c.id))
_EVENT_COLUMNS = ("submission_id", *_COPIED_TO_EVENT, *_EVENT_PARAMETERS)
_INSERT_EVENT = database.Prepared(insert(_EVENTS).values({name: bindparam(name) for name in _EVENT_COLUMNS}))
_FIND_KEY = (select(_SUBMISSIONS.c.id, _SUBMISSIONS.c.receipt_code, _SUBMISSIONS.c.name, _SUBMISSIONS.c.phone)
             .where(_SUBMISSIONS.c.idempotency_key == bindparam("key")))


def _insert_given(conn, row: dict, event: dict) -> int | None:
    """Insert the submission and its first event; the new id, or None when
    the submission collided (and nothing was written)."""
    if conn.dialect.name == "postgresql":
        found = _INSERT_GIVEN.first(conn, {**row, **event})
        return None if found is None else found[0]
    # SQLite has no INSERT in a WITH clause: two statements, in the caller's
    # transaction (on SQLite every connection is in one, see platform.database.write_connection).
    found = _INSERT_SUBMISSION.first(conn, row)
    if found is None:
        return None
    _INSERT_EVENT.first(conn, {**event, "submission_id": found[0], **{name: row[name] for name in _COPIED_TO_EVENT}})
    return found[0]


def submit(*, key: str, name: str, phone: str, member_number: str | None,
           other_cooperative: str | None, chosen: dict, source: dict,
           actor: str = rules.MEMBER, collection: dict | None = None, connection=None) -> Stored:
    """Store a new interest once per idempotency key, on ``connection`` (the
    session's by default). The submission and its first event are written
    together or not at all: in the caller's transaction, which the caller
    commits, or on PostgreSQL also on an autocommit connection, where they
    are one statement.

    A retry of the same key (a double tap, a resend after a dropped
    connection, on any worker or instance) gets the record it made; anything
    else is a new record, even with a phone number seen before. On PostgreSQL
    a concurrent insert of the same key waits for the other transaction, and
    then finds its record.
    """
    conn = connection or db.session.connection()
    coop = chosen["koperasi"]
    now = utcnow()
    row = {"idempotency_key": key, "name": name, "phone": phone, "member_number": member_number or None,
           "cooperative": coop, "cooperative_key": cooperative_key(coop, other_cooperative),
           "cooperative_other": other_cooperative if coop == choices.OTHER_COOPERATIVE else None,
           "kabupaten": chosen.get("kabupaten"), "occupation": chosen.get("pekerjaan"), "choices": chosen,
           "state": rules.ACTIVE, "follow_up_status": rules.NEW, "source": source, "notice_version": notice_version(), "created_at": now,
           "updated_at": now, **answer_columns(chosen, source)}
    event = {"kind": rules.GIVEN, "collection": collection or {}, "actor": actor}
    for _ in range(5):  # a receipt code already drawn: draw again
        code = new_receipt_code()
        submission_id = _insert_given(conn, {**row, "receipt_code": code}, event)
        if submission_id is not None:
            return Stored(submission_id, code, name, phone)
        done = conn.execute(_FIND_KEY, {"key": key}).first()
        if done is not None:
            return Stored(*done)
    raise RuntimeError("no free receipt code after five draws")


def find(code: str) -> Submission | None:
    """A submission by its receipt code."""
    return db.session.scalar(select(Submission).where(Submission.receipt_code == code))


def find_by_code_and_phone(code: str, phone: str) -> Submission | None:
    """Both must match; the caller shows one neutral message otherwise."""
    submission = find(normalise_receipt_code(code))
    if submission is None or submission.phone is None:
        return None
    return submission if hmac.compare_digest(submission.phone, phone) else None


NO_SHU = {"shu": "tidak", "shu_cara": None, "shu_nilai": None}
NO_CONTACT = {"setuju_dihubungi": False, "kontak": [], "setuju_data": False}


def _change(submission: Submission, state: str, kind: str, updates: dict, actor: str = rules.MEMBER) -> None:
    """Apply a change to the current choices and record it as an event (the caller commits)."""
    submission.choices = {**submission.choices, **updates}
    submission.state = state
    submission.updated_at = utcnow()
    _record(submission, kind, actor=actor)


def correct(submission: Submission, *, name: str, phone: str, member_number: str | None,
            chosen: dict) -> bool:
    """The member corrects their data and choices; False when nothing changed.

    The new phone number is what the code-plus-phone look-up uses from now on.
    Choosing SHU again after withdrawing it makes the record active again.
    """
    if submission.state not in rules.LIVE_STATES:
        raise ValueError(f"a record in state {submission.state!r} cannot be corrected")
    personal = (name, phone, member_number or None)
    before = (submission.name, submission.phone, submission.member_number)
    updated = {**submission.choices, **chosen}
    if personal == before and updated == submission.choices:
        return False
    submission.name, submission.phone, submission.member_number = personal
    submission.kabupaten, submission.occupation = updated["kabupaten"], updated["pekerjaan"]
    state = rules.ACTIVE if updated.get("shu") == rules.SHU_AGREE else submission.state
    _change(submission, state, rules.CHANGED, chosen)
    return True


def withdraw_shu(submission: Submission, actor: str = rules.MEMBER) -> None:
    """The member no longer agrees to SHU being used; other consents stay."""
    _change(submission, rules.SHU_WITHDRAWN, rules.SHU_WITHDRAWN, NO_SHU, actor=actor)


def withdraw_all(submission: Submission, actor: str = rules.MEMBER) -> None:
    """Stop all processing: no contact, no SHU, no follow-up."""
    _change(submission, rules.WITHDRAWN, rules.WITHDRAWN, {**NO_SHU, **NO_CONTACT}, actor=actor)


def erase(submission: Submission, actor: str = rules.MEMBER) -> None:
    """Blank every personal field; keep the anonymous history (the caller commits)."""
    submission.name = submission.phone = submission.member_number = None
    submission.cooperative_other = None
    # Made from a digest of the personal fields: it goes with them.
    submission.idempotency_key = None
    submission.erased_at = utcnow()
    _change(submission, rules.ERASED, rules.ERASED, NO_CONTACT, actor=actor)
    _erase_what_others_wrote(submission.id)


def _erase_what_others_wrote(submission_id: int) -> None:
    """Erasure reaches what staff and BPJS wrote about the member too, whoever
    asks for it (the member or the retention job).

    Staff notes are the only change ever made to a follow-up row, done in SQL
    so the models' append-only guard still stops every other edit.
    Registration data (the NIK with it) goes entirely; the handover keeps
    months and amounts, never who, and no reason BPJS gave in words; a cover
    period loses the member's own receipt."""
    for table, values in ((FollowUp.__table__, {"note": None}), (HandoverEntry.__table__, {"reason": None}),
                          (CoverPeriod.__table__, {"receipt": None})):
        db.session.execute(table.update().where(table.c.submission_id == submission_id).values(**values))
    registrations = BpjsRegistration.__table__
    db.session.execute(registrations.delete().where(registrations.c.submission_id == submission_id))


ACTION_FUNCTIONS = {rules.WITHDRAW_SHU: withdraw_shu, rules.WITHDRAW_ALL: withdraw_all, rules.ERASE: erase}


def perform(submission: Submission, action: str) -> None:
    """A withdrawal or erasure the member asked for from their private page."""
    if action not in rules.available_actions(submission.state, submission.choices):
        raise ValueError(f"{action!r} is not possible in state {submission.state!r}")
    ACTION_FUNCTIONS[action](submission)


# ---------------------------------------------------------------- duplicates

def counted():
    """SQL condition for records that count as a person: not marked as a duplicate."""
    return Submission.duplicate_of_id.is_(None)


def live():
    """SQL condition for records whose member still agrees to be processed (rules.LIVE_STATES)."""
    return Submission.state.in_(rules.LIVE_STATES)


def agreeing_to_shu():
    """SQL condition for records whose SHU consent is in force (rules.agrees_to_shu)."""
    return (Submission.state == rules.ACTIVE) & (Submission.shu_answer == rules.SHU_AGREE)


def possible_duplicate():
    """SQL condition: another record with personal data shares this record's
    phone number inside the same cooperative ("mungkin ganda")."""
    other = aliased(Submission)
    return exists().where(and_(other.id != Submission.id, other.phone.is_not(None),
                               other.phone == Submission.phone,
                               other.cooperative_key == Submission.cooperative_key))


def same_phone(submission: Submission) -> list[Submission]:
    """The other records in the same cooperative with the same phone number."""
    if submission.phone is None:
        return []
    return list(db.session.scalars(select(Submission).where(
        Submission.id != submission.id, Submission.phone == submission.phone,
        Submission.cooperative_key == submission.cooperative_key).order_by(Submission.id)))


def mark_duplicate(submission: Submission, original: Submission) -> None:
    """Staff say these two records are one person: the duplicate leaves every
    count. Only records sharing a phone in one cooperative qualify, and the
    original must not itself be a duplicate (no chains). The caller audits and commits."""
    if original.id == submission.id or original not in same_phone(submission):
        raise ValueError("only another record with the same phone number in the same cooperative")
    if original.duplicate_of_id is not None:
        raise ValueError("the original is itself marked as a duplicate")
    # Anything that pointed at this record now points at the original.
    for other in db.session.scalars(select(Submission).where(Submission.duplicate_of_id == submission.id)):
        other.duplicate_of_id = original.id
    submission.duplicate_of_id = original.id


def unmark_duplicate(submission: Submission) -> None:
    """The record counts as a person again (the caller commits)."""
    submission.duplicate_of_id = None
