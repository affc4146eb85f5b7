"""Database tables: submissions of interest and their consent history; staff
accounts, follow-up changes and the audit log of the back office."""
from __future__ import annotations

from datetime import date, datetime, timezone

from flask_login import UserMixin
from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, event, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db


def utcnow() -> datetime:
    """Now, in UTC, as every stored moment is."""
    return datetime.now(timezone.utc)


class Submission(db.Model):
    """A member's interest, with their current choices.

    Personal fields are nullable: erasure blanks them and keeps the row, so the
    consent history (which holds no personal data) still adds up.
    """

    __tablename__ = "submissions"
    __table_args__ = (
        # Not unique: households share one phone, and each person is their own
        # record. Staff see records sharing a number as "mungkin ganda".
        Index("ix_submissions_coop_phone", "cooperative_key", "phone"),
        Index("ix_submissions_idempotency_key", "idempotency_key", unique=True),
        # Covers every count staff see (dashboards, campaign view, RAT pack):
        # they read this index, never the rows, whatever the campaign's size.
        Index("ix_submissions_counts", "cooperative", "duplicate_of_id", "state", "follow_up_status",
              "shu_answer", "shu_kind", "shu_value", "package", "kabupaten", "occupation", "campaign",
              "contact", "created_at"),
        # The follow-up list's order, for keyset paging (portal.queries.page).
        Index("ix_submissions_listing", "created_at", "id"),
        Index("ix_submissions_coop_listing", "cooperative", "created_at", "id"),
        # Background export files made since an erasure are removed (portal.followup.export_jobs).
        Index("ix_submissions_erased_at", "erased_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_code: Mapped[str] = mapped_column(String(12), unique=True)
    # The key carried by the rendering of the form that made this record (see
    # consent.idempotency_key): unique, so a retried or double-tapped submit
    # collides in the database, whichever worker or instance receives it.
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
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
    cooperative: Mapped[str] = mapped_column(String(40))
    # Uniqueness key: the slug, or "lainnya:<name>" for other cooperatives.
    cooperative_key: Mapped[str] = mapped_column(String(170))
    kabupaten: Mapped[str | None] = mapped_column(String(8))
    occupation: Mapped[str | None] = mapped_column(String(20))
    choices: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(20), default="aktif")
    # First source that brought this member in; never overwritten.
    source: Mapped[dict] = mapped_column(JSON, default=dict)
    notice_version: Mapped[str] = mapped_column(String(20))
    erased_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
    # Where staff are in following up this interest (portal.consent.rules.FOLLOW_UP_LABELS;
    # the default is its NEW, written out here because the rules import these models).
    follow_up_status: Mapped[str] = mapped_column(
        String(20), default="baru", server_default="baru")
    # Set when staff mark this record as the same person as another one: it
    # then leaves every count and export, and is kept unless the member asks.
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))

    # Copies of the answers staff count by (answer_columns, kept in step on
    # every write), so counts read them from one covering index instead of
    # parsing every row's JSON. Not generated columns: SQLite 3.40 reads
    # a generated column from the row even when an index holds it.
    shu_answer: Mapped[str | None] = mapped_column(String(10))
    shu_kind: Mapped[str | None] = mapped_column(String(10))
    shu_value: Mapped[int | None] = mapped_column(BigInteger)
    package: Mapped[str | None] = mapped_column(String(20))
    campaign: Mapped[str | None] = mapped_column(String(30))
    contact: Mapped[bool | None] = mapped_column(Boolean)

    events: Mapped[list["ConsentEvent"]] = relationship(
        back_populates="submission", order_by="ConsentEvent.id")


ANSWER_COLUMNS = ("shu_answer", "shu_kind", "shu_value", "package", "campaign", "contact")


def answer_columns(chosen: dict | None, source: dict | None) -> dict:
    """The copies of a submission's answers kept in their own columns (see Submission)."""
    chosen, source = chosen or {}, source or {}
    value = chosen.get("shu_nilai")
    return {"shu_answer": chosen.get("shu"), "shu_kind": chosen.get("shu_cara"),
            "shu_value": value if isinstance(value, int) and not isinstance(value, bool) else None,
            "package": chosen.get("program"), "campaign": source.get("kampanye"),
            "contact": chosen.get("setuju_dihubungi") is True}


@event.listens_for(Submission, "before_insert")
@event.listens_for(Submission, "before_update")
def _copy_answers(mapper, connection, target):
    """Every write through the ORM keeps the copies in step with the JSON."""
    for name, value in answer_columns(target.choices, target.source).items():
        setattr(target, name, value)


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
    actor: Mapped[str] = mapped_column(String(40), default="anggota")
    # How the consent was collected (first event): channel, method, entered_by,
    # form_number. Empty on later events.
    collection: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")

    submission: Mapped[Submission] = relationship(back_populates="events")


class User(UserMixin, db.Model):
    """A staff account: the campaign team (role "kampanye") sees every
    cooperative; cooperative staff (role "koperasi") only their own."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(12))
    # A partner cooperative's slug for role "koperasi"; empty for "kampanye".
    cooperative: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of the session's identity: renewed when the password changes or the
    # account is disabled, which ends every session already open.
    session_token: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))

    @property
    def is_active(self) -> bool:
        """Flask-Login: a disabled account cannot log in."""
        return self.active

    @property
    def is_campaign(self) -> bool:
        """The account belongs to the campaign team."""
        return self.role == "kampanye"

    def get_id(self) -> str:
        """Flask-Login: the session's identity, which changes when the password does."""
        return f"{self.id}:{self.session_token}"


class FollowUp(db.Model):
    """One change of a submission's follow-up status or one note, by whom and when.

    Kept apart from consent_events: those record what the member decided,
    these what staff did about it.
    """

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    # Blanked when the member's data is erased: staff may have written a name in it.
    note: Mapped[str | None] = mapped_column(Text)


class AuditEntry(db.Model):
    """Who saw or exported personal data, or changed an account, and when.

    Holds no personal data itself (a search term is recorded masked), so it
    can outlive the data it speaks about. Append-only, like consent events.
    """

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(30), index=True)
    cooperative: Mapped[str | None] = mapped_column(String(40))
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    rows: Mapped[int | None]
    address: Mapped[str | None] = mapped_column(String(45))


class CampaignCode(db.Model):
    """A code a cooperative prints or posts (/k/<cooperative>/<code>) to learn
    which newsletter, poster or WhatsApp group brought members in.

    Retiring hides a code from the lists; its links keep attributing.
    """

    __tablename__ = "campaign_codes"
    __table_args__ = (UniqueConstraint("cooperative", "code", name="uq_campaign_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative: Mapped[str] = mapped_column(String(40), index=True)
    code: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    retired_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))


class RatRecord(db.Model):
    """What one cooperative's RAT decided about SHU for contributions, for one
    book year: a draft until staff finalise it, then never edited again. A
    correction is a new version (``replaces_id``) with a reason.

    The tally is the hall's count, as numbers: never who voted how.
    """

    __tablename__ = "rat_records"
    __table_args__ = (UniqueConstraint("cooperative", "book_year", "version", name="uq_rat_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative: Mapped[str] = mapped_column(String(40), index=True)
    book_year: Mapped[int]
    version: Mapped[int] = mapped_column(default=1)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("rat_records.id"))
    correction_reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="draf")  # portal.rat.DRAFT / FINAL

    held_on: Mapped[date | None] = mapped_column(db.Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    agenda_item: Mapped[str] = mapped_column(Text, default="")
    proposal: Mapped[str] = mapped_column(Text, default="")
    # What the proposal allows per member: "persen" (a share ceiling), "rupiah"
    # (a ceiling in rupiah) or "pilihan" (as each member chooses).
    allowance: Mapped[str] = mapped_column(String(10), default="pilihan")
    allowance_value: Mapped[int | None]
    package: Mapped[str] = mapped_column(String(20), default="jkk-jkm")

    present: Mapped[int | None]
    quorum_rule: Mapped[str] = mapped_column(String(300), default="")
    quorum_met: Mapped[bool | None] = mapped_column(Boolean)
    votes_for: Mapped[int | None]
    votes_against: Mapped[int | None]
    votes_abstain: Mapped[int | None]
    votes_invalid: Mapped[int | None]
    outcome: Mapped[str | None] = mapped_column(String(10))  # diterima, ditolak, ditunda
    # [{"name": ..., "role": ...}]: the people who sign the berita acara.
    signatories: Mapped[list] = mapped_column(JSON, default=list)

    # The signed berita acara, in the database so every instance and every backup has it.
    scan: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    scan_type: Mapped[str | None] = mapped_column(String(10))
    scan_sha256: Mapped[str | None] = mapped_column(String(64))
    scan_size: Mapped[int | None]
    # A record finalised without its signed scan says why, and the printed record shows it.
    scan_missing_reason: Mapped[str | None] = mapped_column(Text)

    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    finalised_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
    finalised_by: Mapped[str | None] = mapped_column(String(40))
    # Bumped on every write: two staff saving or finalising the same draft at
    # once cannot both win (the second gets StaleDataError, shown as a conflict).
    revision: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": revision}


@event.listens_for(RatRecord, "before_update")
def _final_is_final(mapper, connection, target):
    """A final RAT record is never changed, whatever code path tries."""
    before = inspect(target).attrs.status.history
    if "final" in (before.deleted or before.unchanged or ()):
        raise RuntimeError("a final RAT record is never edited; correct it with a new version")


@event.listens_for(RatRecord, "before_delete")
def _rat_kept(mapper, connection, target):
    raise RuntimeError("rat_records are never deleted")
class LoginAttempt(db.Model):
    """One staff login attempt, counted in the database so every worker and
    instance sees the same numbers (portal.throttle)."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_address", "address", "id"),
                      Index("ix_login_attempts_username", "username", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    address: Mapped[str] = mapped_column(String(45))
    username: Mapped[str] = mapped_column(String(40))
    # "checking" while the password is checked, then "failed" or "ok";
    # "refused" when a limit stopped it before any check (never counted).
    outcome: Mapped[str] = mapped_column(String(10))


class ScheduledJob(db.Model):
    """When a periodic job last ran, so one instance runs it per period."""

    __tablename__ = "scheduled_jobs"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_started_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
    last_finished_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
    last_result: Mapped[str | None] = mapped_column(String(200))


class CooperativeContact(db.Model):
    """The person members can ask at a cooperative, printed on its posters."""

    __tablename__ = "cooperative_contacts"

    cooperative: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    phone: Mapped[str] = mapped_column(String(30), default="")
    place: Mapped[str] = mapped_column(String(80), default="")
    updated_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class PaperBatch(db.Model):
    """A numbered batch of paper forms printed for one cooperative (e.g. 50 for a branch)."""

    __tablename__ = "paper_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative: Mapped[str] = mapped_column(String(40), index=True)
    size: Mapped[int]
    note: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    forms: Mapped[list["PaperForm"]] = relationship(order_by="PaperForm.sequence")


class PaperForm(db.Model):
    """One printed form number; used once, by assisted entry or by import."""

    __tablename__ = "paper_forms"

    # Digits only: the batch, the form's place in it (3 digits), a check digit.
    number: Mapped[str] = mapped_column(String(12), primary_key=True)
    sequence: Mapped[int]
    batch_id: Mapped[int] = mapped_column(ForeignKey("paper_batches.id"), index=True)
    cooperative: Mapped[str] = mapped_column(String(40))
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), unique=True)
    used_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))


class PendingImport(db.Model):
    """An uploaded spreadsheet between its preview and staff's confirmation.

    Held server-side (never in the session cookie) and only briefly: deleted on
    confirmation, and once expired by the next upload or the retention job.
    """

    __tablename__ = "pending_imports"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    cooperative: Mapped[str] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(db.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow, index=True)


class BpjsRegistration(db.Model):
    """What BPJS Ketenagakerjaan needs to register one member, given with its
    own consent (portal.bpjs.registration). Deleted with the member's erasure.

    The NIK is only ever stored encrypted (``nik_encrypted`` starts with its
    key id) with a keyed hash beside it (portal.bpjs.vault).
    """

    __tablename__ = "bpjs_registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), unique=True)
    nik_encrypted: Mapped[str] = mapped_column(String(120))
    nik_hash: Mapped[str] = mapped_column(String(64), index=True)
    ktp_name: Mapped[str] = mapped_column(String(120))
    birth_date: Mapped[date] = mapped_column(db.Date)
    sex: Mapped[str] = mapped_column(String(1))
    phone: Mapped[str] = mapped_column(String(20))
    occupation: Mapped[str] = mapped_column(String(20))
    kabupaten: Mapped[str] = mapped_column(String(8))
    programme: Mapped[str] = mapped_column(String(20))
    income: Mapped[int]
    # How consent to registration was given, as in assisted entry (or "daring").
    collection: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(40))
    # From BPJS's answer: the participant number (digits, personal: masked in lists).
    kpj: Mapped[str | None] = mapped_column(String(20))


class BpjsBranch(db.Model):
    """A BPJS branch office and the list layout it asks for: the handover's
    columns and date format, and the columns of the answer it sends back."""

    __tablename__ = "bpjs_branches"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    # [[field, header], ...] in order (portal.bpjs.handover.FIELDS).
    columns: Mapped[list] = mapped_column(JSON, default=list)
    date_format: Mapped[str] = mapped_column(String(12), default="%d-%m-%Y")
    # {field: header in BPJS's file} (portal.bpjs.answer.FIELDS), remembered from the last import.
    answer_columns: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(40), default="")


class HandoverBatch(db.Model):
    """One list handed to BPJS for one cooperative and RAT, with its totals."""

    __tablename__ = "handover_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative: Mapped[str] = mapped_column(String(40), index=True)
    rat_id: Mapped[int] = mapped_column(ForeignKey("rat_records.id"))
    branch_id: Mapped[int] = mapped_column(ForeignKey("bpjs_branches.id"))
    start: Mapped[str] = mapped_column(String(7))  # first month paid, YYYY-MM
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(40))
    # Members in the conversion sheet left out, by id, with what is missing.
    missing: Mapped[list] = mapped_column(JSON, default=list)
    # The SHA-256 of BPJS's last answer file applied to this batch.
    answer_sha256: Mapped[str | None] = mapped_column(String(64))

    entries: Mapped[list["HandoverEntry"]] = relationship(order_by="HandoverEntry.id")
    branch: Mapped[BpjsBranch] = relationship()


class HandoverEntry(db.Model):
    """The handover event of one member in a batch ("serah"), or the flag that a
    member handed over before has withdrawn ("tarik"); then BPJS's answer."""

    __tablename__ = "handover_entries"
    __table_args__ = (UniqueConstraint("batch_id", "submission_id", name="uq_handover_member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("handover_batches.id"), index=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    months: Mapped[int] = mapped_column(default=0)
    amount: Mapped[int] = mapped_column(default=0)
    first: Mapped[str | None] = mapped_column(String(7))
    last: Mapped[str | None] = mapped_column(String(7))
    result: Mapped[str | None] = mapped_column(String(10))  # terdaftar, ditolak
    reason: Mapped[str | None] = mapped_column(String(200))
    payment_code: Mapped[str | None] = mapped_column(String(40))
    payment_amount: Mapped[int | None]
    months_paid: Mapped[int | None]
    answered_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))


class CoverPeriod(db.Model):
    """Months of BPJS cover one member has, from what was paid (portal.bpjs.cover):
    which programme, who paid, and each month's contribution from the rates
    data. Never the SHU amount. A payment the member reports themselves is
    their word (``confirmed`` false) until BPJS's answer or staff confirm it."""

    __tablename__ = "cover_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    first: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    last: Mapped[str] = mapped_column(String(7))
    programme: Mapped[str] = mapped_column(String(20))  # a package of data/rates.yml
    payer: Mapped[str] = mapped_column(String(10))  # shu, anggota, wadah
    # [["YYYY-MM", rupiah], ...]: the contribution of each month at the rate in force then.
    monthly: Mapped[list] = mapped_column(JSON, default=list)
    amount: Mapped[int] = mapped_column(default=0)
    confirmed: Mapped[bool] = mapped_column(Boolean, default=True)
    # The member's receipt number for a payment they made themselves (blanked on erasure).
    receipt: Mapped[str | None] = mapped_column(String(40))
    handover_entry_id: Mapped[int | None] = mapped_column(ForeignKey("handover_entries.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(40))


class CoveragePublication(db.Model):
    """Figures the campaign team publishes for the site's "Capaian" page: per
    cooperative, members protected through the SHU conversion as of a date.
    Aggregates only (groups under five are left out before they are stored)."""

    __tablename__ = "coverage_publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    as_of: Mapped[date] = mapped_column(db.Date)
    figures: Mapped[dict] = mapped_column(JSON, default=dict)
    published_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    published_by: Mapped[str] = mapped_column(String(40))


@event.listens_for(ConsentEvent, "before_update")
@event.listens_for(ConsentEvent, "before_delete")
@event.listens_for(FollowUp, "before_update")
@event.listens_for(FollowUp, "before_delete")
@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _append_only(mapper, connection, target):
    raise RuntimeError(f"{mapper.local_table.name} is append-only")


class ExportJob(db.Model):
    """A large export made in the background (portal.followup.export_jobs): who asked,
    for which scope and filters, how far it got, and its file until it expires."""

    __tablename__ = "export_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    fmt: Mapped[str] = mapped_column(String(4))
    # The scope: one cooperative, or None for every cooperative (campaign team).
    cooperative: Mapped[str | None] = mapped_column(String(40))
    # The list's filters, kept only until the file is made (a search may hold a name).
    filters: Mapped[dict | None] = mapped_column(JSON)
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    # menunggu, berjalan, selesai, gagal, kedaluwarsa (portal.followup.export_jobs.STATES)
    status: Mapped[str] = mapped_column(String(12), default="menunggu")
    expected: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    attempts: Mapped[int] = mapped_column(default=0)
    # Which worker holds it ("host:pid:random") and when it last said it is alive.
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    heartbeat_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
    file_name: Mapped[str | None] = mapped_column(String(80))
    size: Mapped[int | None] = mapped_column(BigInteger)
    message: Mapped[str | None] = mapped_column(String(300))

    __table_args__ = (Index("ix_export_jobs_status", "status"),)


class CountedFigures(db.Model):
    """Figures a dashboard counted, kept a short while for every worker and
    instance (portal.followup.figures): the raw counts, never a name or a number."""

    __tablename__ = "counted_figures"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    counted_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True))
    counts: Mapped[list] = mapped_column(JSON)
