"""What the member's private page shows of their registration with BPJS."""
from __future__ import annotations

from sqlalchemy import select

from ..staff import audit
from ..consent import rules
from ..extensions import db
from ..models import HandoverEntry, Submission
from . import answer, handover, registration


def page(submission: Submission, address: str | None) -> dict | None:
    """The member's own NIK in full (one of the two places it is shown, so the
    view is audited; the caller commits), the KPJ number and BPJS's answer."""
    if not registration.may_register(submission):
        return None
    found = registration.get(submission)
    if found is None:
        return {"registration": None}
    audit.record("lihat_nik", actor=rules.MEMBER, cooperative=submission.cooperative,
                 submission_id=submission.id, detail={"halaman": "kelola"}, address=address)
    latest = db.session.scalar(select(HandoverEntry).where(HandoverEntry.submission_id == submission.id)
                               .order_by(HandoverEntry.id.desc()).limit(1))
    handed = latest is not None and latest.kind == handover.HANDED
    return {"registration": found, "nik": registration.nik(found), "shown": registration.describe(found),
            "entry": latest, "handed": handed,
            "registered": handed and latest.result == answer.REGISTERED,
            "refused": handed and latest.result == answer.REFUSED}
