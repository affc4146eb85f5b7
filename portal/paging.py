"""Long back-office lists, a page at a time (the follow-up list, the audit log)."""
from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination

from .extensions import db


def page(statement, number: int, per_page: int) -> Pagination:
    """Page ``number`` of the statement's rows. A number past the end gives the
    last page (a bookmarked page of a list that has since shrunk), anything
    below 1 the first; an empty list is one empty page."""
    found = db.paginate(statement, page=max(number, 1), per_page=per_page, error_out=False)
    if found.page > 1 and found.page > found.pages:
        found = db.paginate(statement, page=max(found.pages, 1), per_page=per_page, error_out=False)
    return found
