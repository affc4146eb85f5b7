"""Following up an interest: statuses, who may be contacted, recorded changes."""
from __future__ import annotations

from sqlalchemy import select, update

from .. import consent
from ..consent import rules
from ..extensions import db
from ..models import FollowUp, Submission, User, utcnow

# Defined once, in the consent rules (the member's page shows them too).
NEW, ENROLLED, STATUSES = rules.NEW, rules.ENROLLED, rules.FOLLOW_UP_LABELS
SHU_SHORT = rules.SHU_SHORT
LIVE_STATES = rules.LIVE_STATES


def contactable():
    """SQL condition: the member agreed to be contacted and has not withdrawn."""
    return consent.live() & Submission.contact.is_(True)


def can_contact(submission: Submission) -> bool:
    """The member agreed to be contacted and has not withdrawn."""
    return rules.can_contact(submission.state, submission.choices or {})


def change(submission: Submission, user: User, status: str, note: str | None) -> FollowUp | None:
    """Record a new status and/or a note; the caller commits. None if nothing changed."""
    if status not in STATUSES:
        raise ValueError(f"unknown follow-up status {status!r}")
    note = (note or "").strip() or None
    if not rules.shows_personal_data(submission.state):
        note = None  # nothing may tie the anonymous record to a person again
    before = submission.follow_up_status
    if status == before and note is None:
        return None
    entry = FollowUp(submission_id=submission.id, user_id=user.id, actor=user.username,
                     from_status=before, to_status=status, note=note, created_at=utcnow())
    db.session.add(entry)
    if status != before:
        # Core UPDATE that keeps updated_at: the member's receipt shows that time,
        # and retention counts from the member's last change, not staff's.
        db.session.execute(update(Submission).where(Submission.id == submission.id)
                           .values(follow_up_status=status, updated_at=Submission.updated_at)
                           .execution_options(synchronize_session="fetch"))
    return entry


def history(submission: Submission) -> list[FollowUp]:
    """Every recorded status change and note of one submission, newest first."""
    return list(db.session.scalars(select(FollowUp).where(FollowUp.submission_id == submission.id)
                                   .order_by(FollowUp.id.desc())))
