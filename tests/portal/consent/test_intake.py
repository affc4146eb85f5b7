"""portal.consent.intake: one sending of the public form, judged in order
(honeypot, stale page, too fast, invalid) and stored once per token."""
from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from harness.samples import VALID
from portal.consent import intake
from portal.extensions import db
from portal.models import Submission
from portal.platform import database
from portal.public import InterestForm

TOKEN = ({"k": "kunci-satu", "s": {"jalur": "formulir"}}, 30.0)


def take(app, token=TOKEN, min_seconds=3, **changes):
    fields = MultiDict({**VALID, **changes})
    with app.test_request_context("/daftar/", method="POST", data=fields):
        app.config["WTF_CSRF_ENABLED"] = False
        with database.write_connection() as connection:
            return intake.take(InterestForm(), token, connection=connection, min_seconds=min_seconds)


def stored(app) -> int:
    with app.app_context():
        return db.session.query(Submission).count()


@pytest.mark.parametrize("changes, token, kind, new_token", [
    ({"situs_web": "http://spam.example"}, TOKEN, intake.SPAM, False),
    ({"situs_web": "http://spam.example"}, None, intake.SPAM, False),  # the honeypot is judged first
    ({}, None, intake.STALE, True),
    ({}, ({"k": "kunci-satu", "s": {}}, 1.0), intake.TOO_FAST, False),
    ({"nama": ""}, TOKEN, intake.INVALID, False),
])
def test_what_is_turned_away_stores_nothing(app, changes, token, kind, new_token):
    outcome = take(app, token, **changes)
    assert (outcome.kind, outcome.submission, outcome.new_token) == (kind, None, new_token)
    assert outcome.notice == intake.NOTICES.get(kind)
    assert stored(app) == 0


def test_a_good_sending_is_stored_once_per_token(app):
    first = take(app)
    assert first.kind == intake.STORED and first.notice is None
    again = take(app)  # a double tap: the same token and answers
    assert again.submission.receipt_code == first.submission.receipt_code
    assert stored(app) == 1
    other = take(app, ({"k": "kunci-dua", "s": {}}, 30.0))
    assert other.submission.receipt_code != first.submission.receipt_code
    assert stored(app) == 2
