"""The follow-up list: its filters as SQL conditions (always inside a scope),
its pages (by keyset), and its exports read from one server-side cursor."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import Text, cast, func, select, true
from sqlalchemy.orm import selectinload

from kkbc import choices

from .. import consent, followup
from . import exports
from ..platform import paging
from ..extensions import db
from ..models import ConsentEvent, Submission

PER_PAGE = 25
# The presenter reads each record's first event (who entered it): one query
# per page, not one per row (exports read it in their own query).
WITH_EVENTS = selectinload(Submission.events)


@dataclass(frozen=True)
class Scope:
    """The submissions one request may see: one cooperative, or all (None)."""

    cooperative: str | None

    def clause(self):
        """SQL condition for the submissions in scope."""
        return true() if self.cooperative is None else Submission.cooperative == self.cooperative

    @property
    def label(self) -> str:
        """The scope in words: a cooperative's name or 'Semua koperasi'."""
        if self.cooperative is None:
            return "Semua koperasi"
        return choices.cooperative_label(self.cooperative)


def campaign():
    """The campaign code that brought the member in (a column the database computes)."""
    return Submission.campaign


def shu():
    """The member's SHU answer (a column the database computes)."""
    return Submission.shu_answer


def _start_of(day: date) -> datetime:
    """Midnight in WITA, as a UTC moment: SQLite compares the stored UTC text."""
    return datetime.combine(day, time(), consent.WITA).astimezone(timezone.utc)


def search(text: str):
    """A name (any part, any case) or a phone number (any way it is written)."""
    digits = re.sub(r"\D", "", text)
    if len(digits) >= 4 and re.fullmatch(r"[\d\s+().-]+", text):
        if digits.startswith("0"):
            digits = "62" + digits[1:]
        return Submission.phone.contains(digits, autoescape=True)
    return func.lower(Submission.name).contains(text.lower(), autoescape=True)


def conditions(scope: Scope, filters: dict) -> list:
    """Every condition of the list: the scope first, then each filter given."""
    where = [scope.clause()]
    if filters.get("status"):
        where.append(Submission.follow_up_status == filters["status"])
    agreed = filters.get("persetujuan")
    if agreed == "hubungi":
        where += [followup.contactable(), Submission.follow_up_status == followup.NEW]
    elif agreed:
        where.append(Submission.state == agreed)
    if filters.get("kabupaten"):
        where.append(Submission.kabupaten == filters["kabupaten"])
    if filters.get("shu"):
        where.append(shu() == filters["shu"])
    code = filters.get("kampanye")
    if code == "-":
        where.append(campaign().is_(None))
    elif code:
        where.append(campaign() == code)
    if filters.get("dari"):
        where.append(Submission.created_at >= _start_of(date.fromisoformat(filters["dari"])))
    if filters.get("sampai"):
        end = date.fromisoformat(filters["sampai"]) + timedelta(days=1)
        where.append(Submission.created_at < _start_of(end))
    if filters.get("cari"):
        where.append(search(filters["cari"]))
    return where


def page(where: list, number: int, after: str | None = None, before: str | None = None,
         known_total: int | None = None) -> paging.KeysetPage:
    """One page of the list (``PER_PAGE`` rows), newest first, found by keyset
    from the cursor of the link followed (see paging.keyset).

    The list is counted when it is opened; its page links carry that count,
    so following them counts nothing again (200,000 records on PostgreSQL:
    the count cost more than the page)."""
    statement = select(Submission).where(*where).options(WITH_EVENTS)
    carried = known_total is not None and bool(paging.parse_cursor(after) or paging.parse_cursor(before))
    found = paging.keyset(statement, Submission.created_at, Submission.id,
                          known_total if carried else total(where), number, PER_PAGE, after, before)
    if found.items:
        found.prev_args["jumlah"] = found.next_args["jumlah"] = found.total
    return found


def _first_collection():
    """SQL: how a submission's consent was collected (its first event's ``collection``)."""
    return (select(cast(ConsentEvent.collection, Text)).where(ConsentEvent.submission_id == Submission.id)
            .order_by(ConsentEvent.id).limit(1).scalar_subquery().label("first_collection"))


# The columns an export row is made of. The JSON columns come as their text:
# exports.rows() parses each distinct text once, not each row's.
EXPORT_COLUMNS = (
    Submission.receipt_code, Submission.created_at, Submission.name, Submission.phone,
    Submission.member_number, Submission.cooperative, Submission.cooperative_other, Submission.kabupaten,
    Submission.occupation, Submission.state, Submission.follow_up_status, Submission.notice_version,
    cast(Submission.choices, Text).label("choices"), cast(Submission.source, Text).label("source"))


# Rows the export's cursor hands over at a time: memory stays flat whatever the list's size.
EXPORT_BATCH = 1000
SQLITE_MMAP = 1 << 30


def export_rows(where: list, decisions: dict):
    """The export's spreadsheet rows, in the list's order, read as plain rows
    (no ORM objects) from one server-side cursor on a connection of its own.

    The read takes no lock on SQLite (extensions._sqlite_lock_at_first_write)
    and holds no transaction open on the session while the client downloads."""
    statement = (select(*EXPORT_COLUMNS, _first_collection()).where(*where)
                 .order_by(Submission.created_at.desc(), Submission.id.desc()))
    with db.engine.connect() as connection:
        result = connection.execution_options(stream_results=True, yield_per=EXPORT_BATCH).execute(statement)
        yield from exports.rows(result, decisions)


def _entered_by():
    """SQL: who entered the record for the member (its first event's ``collection``), as text."""
    return (select(ConsentEvent.collection["entered_by"].as_string())
            .where(ConsentEvent.submission_id == Submission.id)
            .order_by(ConsentEvent.id).limit(1).scalar_subquery())


def _local_minute(dialect: str):
    """SQL: the submission's moment in WITA (UTC+8, no daylight saving), to the
    minute, as the CSV shows it: formatted by the database, not per row in Python."""
    if dialect == "postgresql":
        return func.to_char(func.timezone("Asia/Makassar", Submission.created_at), "YYYY-MM-DD HH24:MI")
    return func.strftime("%Y-%m-%d %H:%M", Submission.created_at, "+8 hours")  # SQLite keeps UTC text


def csv_columns(dialect: str) -> tuple:
    """The columns of a CSV export row, in the order exports.csv_rows() reads them."""
    return (Submission.receipt_code, _local_minute(dialect), Submission.name, Submission.phone,
            Submission.member_number, Submission.cooperative, Submission.cooperative_other,
            Submission.kabupaten, Submission.occupation, Submission.state, Submission.follow_up_status,
            Submission.notice_version, cast(Submission.choices, Text), Submission.campaign, _entered_by())


def csv_export_rows(where: list, decisions: dict):
    """The CSV export's rows (exports.csv_rows), in the list's order, as plain
    tuples from one server-side cursor on a connection of its own."""
    statement = (select(*csv_columns(db.engine.dialect.name)).where(*where)
                 .order_by(Submission.created_at.desc(), Submission.id.desc()))
    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # Read the pages through a memory map, not a read() call each: the
            # rows come in the list's order, scattered over the whole file.
            connection.exec_driver_sql(f"PRAGMA mmap_size={SQLITE_MMAP}")
        result = connection.execution_options(stream_results=True, yield_per=EXPORT_BATCH).execute(statement)
        try:
            yield from exports.csv_rows(result, decisions)
        finally:
            result.close()
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql("PRAGMA mmap_size=0")  # the pooled connection maps nothing after


def possible_duplicates(ids: list[int]) -> set[int]:
    """Which of these records share a phone number with another one in their cooperative."""
    if not ids:
        return set()
    return set(db.session.scalars(select(Submission.id).where(
        Submission.id.in_(ids), consent.possible_duplicate())))


def count(where: list):
    """A statement counting the submissions that match."""
    return select(func.count()).select_from(Submission).where(*where)


def total(where: list) -> int:
    """How many submissions meet the conditions."""
    return db.session.scalar(count(where))
