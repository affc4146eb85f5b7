"""One page of a long list: the follow-up list and the audit log both page this way."""
import pytest
from sqlalchemy import select

from portal.staff import audit
from portal.platform import paging
from portal.extensions import db
from portal.models import AuditEntry

NEWEST_FIRST = select(AuditEntry).order_by(AuditEntry.id.desc())


def entries(app, count: int) -> None:
    with app.app_context():
        for n in range(count):
            audit.record("masuk", actor=f"staf-{n}")
        db.session.commit()


def shown(app, number: int, per_page: int = 2):
    with app.app_context():
        found = paging.page(NEWEST_FIRST, number, per_page)
        return found.page, found.pages, found.total, [e.actor for e in found.items]


@pytest.mark.parametrize("number, expected", [
    (1, (1, 3, 5, ["staf-4", "staf-3"])),
    (2, (2, 3, 5, ["staf-2", "staf-1"])),
    (3, (3, 3, 5, ["staf-0"])),  # the last page is not full
    (4, (3, 3, 5, ["staf-0"])),  # past the end: the last page
    (999999, (3, 3, 5, ["staf-0"])),
    (0, (1, 3, 5, ["staf-4", "staf-3"])),  # below the start: the first page
    (-1, (1, 3, 5, ["staf-4", "staf-3"])),
])
def test_pages_at_their_boundaries(app, number, expected):
    entries(app, 5)
    assert shown(app, number) == expected


def test_a_list_that_fills_its_last_page_exactly(app):
    entries(app, 4)
    assert shown(app, 2) == (2, 2, 4, ["staf-1", "staf-0"])
    assert shown(app, 3) == (2, 2, 4, ["staf-1", "staf-0"])


def test_an_empty_list_is_one_empty_page(app):
    assert shown(app, 1) == (1, 0, 0, [])
    assert shown(app, 5) == (1, 0, 0, [])


def test_the_audit_log_pages_newest_first(app, monkeypatch):
    monkeypatch.setattr(audit, "PER_PAGE", 3)
    entries(app, 4)
    with app.app_context():
        first, second = audit.page(1), audit.page(2)
        assert [e.actor for e in first.items] == ["staf-3", "staf-2", "staf-1"]
        assert [e.actor for e in second.items] == ["staf-0"] and second.pages == 2


def test_a_cursor_names_a_rows_place_and_anything_else_is_ignored():
    from datetime import datetime, timezone

    moment = datetime(2026, 12, 6, 10, 30, 5, 123456, tzinfo=timezone.utc)
    assert paging.parse_cursor(paging.cursor(moment, 42)) == (moment, 42)
    assert paging.parse_cursor(paging.cursor(moment.replace(tzinfo=None), 42)) == (moment, 42)  # SQLite's naive UTC
    for text in (None, "", "abc", "1-2-3", "-5-1", "9" * 18 + "-1", "1" * 19 + "-1"):
        assert paging.parse_cursor(text) is None, text
