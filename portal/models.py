"""Database tables: submissions of interest and their consent history."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Submission(db.Model):
    """A member's interest, with their current choices.

    Personal fields are nullable: erasure blanks them and keeps the row, so the
    consent history (which holds no personal data) still adds up.
    """

    __tablename__ = "submissions"
    __table_args__ = (
        # One interest per phone number per cooperative; a repeat updates it.
        UniqueConstraint("cooperative_key", "phone", name="uq_submission_coop_phone"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_code: Mapped[str] = mapped_column(String(12), unique=True)
    manage_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        db.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    # Personal data (blanked on erasure).
    name: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(20))
    member_number: Mapped[str | None] = mapped_column(String(40))
    cooperative_other: Mapped[str | None] = mapped_column(String(120))

    # Which cooperative: a partner's slug, or "lainnya".
    cooperative: Mapped[str] = mapped_column(String(40), index=True)
    # Uniqueness key: the slug, or "lainnya:<name>" for other cooperatives.
    cooperative_key: Mapped[str] = mapped_column(String(170))
    kabupaten: Mapped[str | None] = mapped_column(String(8))
    occupation: Mapped[str | None] = mapped_column(String(20))
    choices: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(20), default="aktif", index=True)
    # First source that brought this member in; never overwritten.
    source: Mapped[dict] = mapped_column(JSON, default=dict)
    notice_version: Mapped[str] = mapped_column(String(20))
    erased_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))

    events: Mapped[list["ConsentEvent"]] = relationship(
        back_populates="submission", order_by="ConsentEvent.id")


class ConsentEvent(db.Model):
    """One thing that happened to a consent: given, changed, withdrawn, erased.

    Append-only: rows are never updated or deleted (enforced below). They hold
    the choices and the notice version, never a name or a phone number.
    """

    __tablename__ = "consent_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    notice_version: Mapped[str] = mapped_column(String(20))
    choices: Mapped[dict] = mapped_column(JSON, default=dict)
    source: Mapped[dict] = mapped_column(JSON, default=dict)
    # Who acted: "anggota" (the member), "sistem" (retention job) or a staff account.
    actor: Mapped[str] = mapped_column(String(20), default="anggota")

    submission: Mapped[Submission] = relationship(back_populates="events")


class IdempotencyKey(db.Model):
    """The key carried by one rendering of the form, and what it produced.

    The primary key makes a retried or double-tapped submit collide in the
    database, whichever worker or instance receives it.
    """

    __tablename__ = "idempotency_keys"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"))
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)


@event.listens_for(ConsentEvent, "before_update")
@event.listens_for(ConsentEvent, "before_delete")
def _append_only(mapper, connection, target):
    raise RuntimeError("consent events are append-only")
