"""Long back-office lists, a page at a time (the follow-up list, the audit log)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import tuple_

from ..extensions import db


def page(statement, number: int, per_page: int) -> Pagination:
    """Page ``number`` of the statement's rows. A number past the end gives the
    last page (a bookmarked page of a list that has since shrunk), anything
    below 1 the first; an empty list is one empty page."""
    found = db.paginate(statement, page=max(number, 1), per_page=per_page, error_out=False)
    if found.page > 1 and found.page > found.pages:
        found = db.paginate(statement, page=max(found.pages, 1), per_page=per_page, error_out=False)
    return found


EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
CURSOR = re.compile(r"(\d{1,18})-(\d{1,18})")


def cursor(moment: datetime, row_id: int) -> str:
    """A row's place in a newest-first list, for a link: microseconds since 1970, then its id."""
    if moment.tzinfo is None:  # SQLite gives back naive UTC
        moment = moment.replace(tzinfo=timezone.utc)
    return f"{(moment - EPOCH) // timedelta(microseconds=1)}-{row_id}"


def parse_cursor(text: str | None) -> tuple[datetime, int] | None:
    """The (moment, id) of a link's cursor; None for anything else (then the page number decides)."""
    found = CURSOR.fullmatch(text or "")
    if not found:
        return None
    try:
        return EPOCH + timedelta(microseconds=int(found.group(1))), int(found.group(2))
    except OverflowError:
        return None


@dataclass
class KeysetPage:
    """One page of a newest-first list, found by where the page before or after
    it ended (created_at, id) instead of by OFFSET: a page deep in the list
    costs what the first one does. Reads like a Flask-SQLAlchemy Pagination
    for the templates, plus the query arguments of its two links."""

    items: list
    page: int
    per_page: int
    total: int
    prev_args: dict = field(default_factory=dict)
    next_args: dict = field(default_factory=dict)

    @property
    def pages(self) -> int:
        """How many pages the list has."""
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        """There is a page before this one."""
        return self.page > 1

    @property
    def has_next(self) -> bool:
        """There is a page after this one."""
        return self.page < self.pages


def keyset(statement, moment_column, id_column, total: int, number: int, per_page: int,
           after: str | None = None, before: str | None = None) -> KeysetPage:
    """Page ``number`` of ``statement`` (no ORDER BY yet), newest first by
    (moment, id). ``after``/``before`` are the cursors of the links: the rows
    just older than the previous page's last, or just newer than the next
    page's first. Without a cursor: the first page, or the last one (read
    from the other end), and only a page number typed by hand in between is
    found by OFFSET."""
    pages = max(1, -(-total // per_page))
    number = min(max(number, 1), pages)
    newest, oldest = (moment_column.desc(), id_column.desc()), (moment_column.asc(), id_column.asc())
    key = tuple_(moment_column, id_column)
    if (place := parse_cursor(after)) is not None and number > 1:
        items = db.session.scalars(statement.where(key < tuple_(*place)).order_by(*newest).limit(per_page)).all()
    elif (place := parse_cursor(before)) is not None and number < pages:
        items = db.session.scalars(statement.where(key > tuple_(*place)).order_by(*oldest).limit(per_page)).all()[::-1]
    elif number == pages and number > 1:
        last = total - (pages - 1) * per_page
        items = db.session.scalars(statement.order_by(*oldest).limit(last)).all()[::-1]
    else:
        items = db.session.scalars(statement.order_by(*newest).offset((number - 1) * per_page)
                                   .limit(per_page)).all()
    result = KeysetPage(items, number, per_page, total)
    if items:
        first, last_item = items[0], items[-1]
        key_of = moment_column.key, id_column.key
        result.prev_args = {"halaman": number - 1,
                            "sebelum": cursor(getattr(first, key_of[0]), getattr(first, key_of[1]))}
        result.next_args = {"halaman": number + 1,
                            "setelah": cursor(getattr(last_item, key_of[0]), getattr(last_item, key_of[1]))}
    return result
