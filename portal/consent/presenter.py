"""One way to show a submission, for the member's pages, the back office and
the exports alike: labels instead of keys, and masking applied once."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from kkbc import choices, data

from ..extensions import db
from ..models import FollowUp, Submission
from ..platform import local_time
from . import phone, records, rules


@dataclass(frozen=True)
class Event:
    when: datetime
    kind: str
    label: str
    actor: str
    notice_version: str


@dataclass(frozen=True)
class Presented:
    """A submission as people read it. Personal fields are None once masked."""

    submission: Submission
    code: str
    state: str
    state_label: str
    erased: bool
    live: bool
    name: str | None
    phone: str | None          # for the member: their own number until erasure
    staff_phone: str | None    # for staff: hidden once all consent is withdrawn
    member_number: str | None
    cooperative: str
    kabupaten: str
    occupation: str
    package: str
    shu_short: str
    shu_answer: str
    shu_amount: str
    contact: bool
    channels: str
    data_consent: bool
    campaign: str
    notice_version: str
    created: datetime
    updated: datetime
    follow_up: str
    entered_by: str | None
    duplicate_of: str | None
    actions: tuple

    @property
    def entered_by_text(self) -> str:
        """Who entered the record for the member, in words, if an officer did."""
        return f"Didaftarkan oleh petugas {self.entered_by}" if self.entered_by else ""


def _first_collection(submission: Submission) -> dict:
    events = submission.events
    return (events[0].collection or {}) if events else {}


def present(submission: Submission, first_collection: dict | None = None) -> Presented:
    """Everything a page or a spreadsheet row shows of one submission (or of a
    row with its columns, with its first event's ``collection`` given)."""
    c = submission.choices or {}
    state = submission.state
    personal = rules.shows_personal_data(state)
    contact = rules.can_contact(state, c)
    original = db.session.get(Submission, submission.duplicate_of_id) if submission.duplicate_of_id else None
    return Presented(
        submission=submission,
        code=records.format_receipt_code(submission.receipt_code),
        state=state,
        state_label=rules.STATE_LABELS.get(state, state),
        erased=not personal,
        live=state in rules.LIVE_STATES,
        name=submission.name if personal else None,
        phone=phone.display(submission.phone) if personal and submission.phone else None,
        staff_phone=phone.display(submission.phone)
        if rules.staff_may_see_phone(state) and submission.phone else None,
        member_number=submission.member_number if personal else None,
        cooperative=choices.cooperative_label(submission.cooperative,
                                              submission.cooperative_other if personal else None),
        kabupaten=data.kabupaten().get(submission.kabupaten or "", ""),
        occupation=choices.OCCUPATIONS.get(submission.occupation or "", ""),
        package=choices.PACKAGES.get(c.get("program") or "", ""),
        shu_short=rules.SHU_SHORT.get(c.get("shu"), ""),
        shu_answer=rules.shu_answer(c),
        shu_amount=rules.shu_amount(c),
        contact=contact,
        channels=", ".join(choices.CONTACT_CHANNELS.get(k, k) for k in c.get("kontak") or []) if contact else "",
        data_consent=bool(c.get("setuju_data")),
        campaign=(submission.source or {}).get("kampanye") or "",
        notice_version=submission.notice_version,
        created=local_time(submission.created_at),
        updated=local_time(submission.updated_at),
        follow_up=rules.FOLLOW_UP_LABELS.get(submission.follow_up_status, submission.follow_up_status),
        entered_by=(_first_collection(submission) if first_collection is None
                    else first_collection).get("entered_by"),
        duplicate_of=records.format_receipt_code(original.receipt_code) if original else None,
        actions=tuple(rules.available_actions(state, c)),
    )


def events(submission: Submission) -> list[Event]:
    """The consent history in words, oldest first."""
    return [Event(local_time(e.created_at), e.kind, rules.EVENT_LABELS.get(e.kind, e.kind),
                  rules.actor_label(e.actor), e.notice_version) for e in submission.events]


@dataclass(frozen=True)
class MemberStatus:
    title: str
    next_step: str
    since: datetime


def member_status(submission: Submission) -> MemberStatus:
    """The follow-up status in the member's words, with the day it was reached.
    Staff notes never leave the back office."""
    changed = db.session.scalar(
        select(FollowUp.created_at).where(FollowUp.submission_id == submission.id,
                                          FollowUp.to_status == submission.follow_up_status,
                                          FollowUp.from_status != FollowUp.to_status)
        .order_by(FollowUp.id.desc()).limit(1))
    title, next_step = rules.MEMBER_STATUS.get(submission.follow_up_status, rules.MEMBER_STATUS[rules.NEW])
    return MemberStatus(title, next_step, local_time(changed or submission.created_at))
