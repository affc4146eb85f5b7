"""portal.consent.records: a submission stored once per key, changed only by
appending events, erased without losing its history, found by code and phone,
and marked as a duplicate; directly, on both databases."""
import re
import sqlite3

import psycopg
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import StatementError

from portal import consent, rat
from portal.extensions import db
from portal.platform.database import write_connection
from portal.models import ConsentEvent, Submission
from tests.portal.consent.helpers import CHOSEN, SOURCE, store


@pytest.fixture
def context(app):
    with app.app_context():
        yield app


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def history(submission) -> list[tuple]:
    """Every stored event as read from the database, oldest first."""
    db.session.expire_all()
    return [(e.id, e.kind, e.actor, e.notice_version, dict(e.choices), dict(e.source), e.created_at)
            for e in db.session.scalars(select(ConsentEvent).where(ConsentEvent.submission_id == submission.id)
                                        .order_by(ConsentEvent.id))]


# ---------------------------------------------------------------- giving consent

def test_submit_stores_the_record_with_its_first_event(context):
    submission = store()
    assert re.fullmatch(f"[{consent.records.RECEIPT_ALPHABET}]{{8}}", submission.receipt_code)
    assert (submission.name, submission.phone, submission.member_number) == (
        "Maria Goreti", "+6281234567890", "PA-01234")
    assert (submission.cooperative, submission.cooperative_key, submission.cooperative_other) == (
        "pintu-air", "pintu-air", None)
    assert (submission.kabupaten, submission.occupation) == ("53.07", "penenun")
    assert submission.state == consent.ACTIVE and submission.choices == CHOSEN
    assert submission.notice_version == consent.notice_version()
    [event] = submission.events
    assert (event.kind, event.actor, event.choices, event.source, event.collection) == (
        "diberikan", "anggota", CHOSEN, SOURCE, {})
    assert db.session.get(Submission, submission.id).idempotency_key == "kunci-1"


def test_the_same_key_gives_the_same_record(context):
    first = store("kunci-1")
    again = store("kunci-1", name="Maria Goreti Lein")  # a retry: what is stored stays
    assert again.id == first.id and again.name == "Maria Goreti"
    assert (count(Submission), count(ConsentEvent)) == (1, 1)


def test_a_receipt_code_already_drawn_is_drawn_again(context, monkeypatch):
    first = store("kunci-1")
    draws = iter([first.receipt_code, "WXY34799"])
    monkeypatch.setattr(consent.records, "new_receipt_code", lambda: next(draws))
    second = store("kunci-2")
    assert second.id != first.id and second.receipt_code == "WXY34799"
    assert (count(Submission), count(ConsentEvent)) == (2, 2)


def test_the_form_reads_without_holding_the_database(context):
    """Between the RAT decision read and the write, the member's answers are
    checked: meanwhile other workers must be able to write (on SQLite the
    write lock comes with the first write, on PostgreSQL no transaction is open)."""
    with write_connection() as connection:
        assert rat.notice("pintu-air", connection) is None
        raw = connection.connection.dbapi_connection
        if connection.dialect.name == "sqlite":
            assert not raw.in_transaction
            other = sqlite3.connect(connection.engine.url.database, timeout=0.1)
            other.execute("BEGIN IMMEDIATE")  # "database is locked" if the read had kept the lock
            other.rollback()
            other.close()
        else:
            assert raw.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        stored = consent.submit(key="kunci-1", chosen=CHOSEN, source=SOURCE, name="Maria Goreti",
                                phone="+6281234567890", member_number=None, other_cooperative=None,
                                connection=connection)
    assert db.session.get(Submission, stored.id).events[0].kind == "diberikan"


def test_a_record_is_never_stored_without_its_first_event(context):
    """The event fails after the submission's row went in: in the database
    on PostgreSQL (an actor longer than its column, inside the one statement),
    while binding the second statement on SQLite (which checks no lengths)."""
    postgres = db.engine.dialect.name == "postgresql"
    failing = {"actor": "x" * 41} if postgres else {"collection": {"entered_by": object()}}
    with pytest.raises(StatementError, match="too long" if postgres else "not JSON serializable"), \
            write_connection() as connection:
        consent.submit(key="kunci-1", chosen=CHOSEN, source=SOURCE, name="Maria Goreti", phone="+6281234567890",
                       member_number=None, other_cooperative=None, connection=connection, **failing)
    assert (count(Submission), count(ConsentEvent)) == (0, 0)


def test_another_key_is_another_record_even_with_the_same_phone(context):
    first, second = store("kunci-1"), store("kunci-2")
    assert first.id != second.id and first.receipt_code != second.receipt_code
    assert count(Submission) == 2


def test_who_entered_it_and_how_is_kept_on_the_first_event(context):
    submission = store(actor="ani", collection={"channel": "kantor", "entered_by": "ani"})
    [event] = submission.events
    assert (event.actor, event.collection) == ("ani", {"channel": "kantor", "entered_by": "ani"})


def test_an_other_cooperative_is_keyed_by_its_written_name(context):
    submission = store(chosen={"koperasi": "lainnya"}, other_cooperative="  KSP  Sumba Jaya ")
    assert submission.cooperative_key == "lainnya:ksp sumba jaya"
    assert submission.cooperative_other == "  KSP  Sumba Jaya "
    assert consent.cooperative_key("pintu-air", "ignored") == "pintu-air"
    assert len(consent.cooperative_key("lainnya", "x" * 500)) == 170


# ---------------------------------------------------------------- codes and links

def test_receipt_codes_avoid_look_alike_characters():
    codes = {consent.new_receipt_code() for _ in range(200)}
    assert len(codes) == 200
    assert not set("".join(codes)) & set("0O1IL2Z5S8B6G")


@pytest.mark.parametrize("typed, code", [("acde-fhjk", "ACDEFHJK"), (" ACDE FHJK ", "ACDEFHJK"),
                                         ("ac.de/fh-jk", "ACDEFHJK"), (None, ""), ("A" * 40, "A" * 16)])
def test_receipt_codes_typed_any_way_normalise(typed, code):
    assert consent.normalise_receipt_code(typed) == code


def test_receipt_codes_are_shown_in_two_halves():
    assert consent.format_receipt_code("ACDEFHJK") == "ACDE-FHJK"


def test_the_private_link_is_derived_from_the_code_and_the_secret(context):
    signature = consent.link_signature("ACDEFHJK")
    assert re.fullmatch(r"[0-9a-f]{32}", signature)
    assert consent.link_signature("ACDEFHJK") == signature != consent.link_signature("ACDEFHJM")
    assert consent.check_signature("ACDEFHJK", signature)
    assert not consent.check_signature("ACDEFHJK", signature[:-1] + ("0" if signature[-1] != "0" else "1"))
    assert not consent.check_signature("ACDEFHJK", "")
    assert not consent.check_signature("ACDEFHJK", None)
    context.config["SECRET_KEY"] = "another secret"
    assert not consent.check_signature("ACDEFHJK", signature)


def test_an_idempotency_key_is_the_form_key_plus_what_was_sent():
    values = {"name": "Maria", "chosen": {"shu": "setuju"}}
    key = consent.idempotency_key("formkey", values)
    assert key.startswith("formkey.") and len(key) == len("formkey.") + 20
    assert consent.idempotency_key("formkey", {"chosen": {"shu": "setuju"}, "name": "Maria"}) == key
    assert consent.idempotency_key("formkey", {**values, "name": "Yohanes"}) != key
    assert consent.idempotency_key("other", values) != key


def test_found_only_by_its_code_and_its_phone(context):
    submission = store()
    code = submission.receipt_code
    assert consent.find(code) == submission
    assert consent.find_by_code_and_phone(f"{code[:4].lower()}-{code[4:].lower()}", "+6281234567890") == submission
    assert consent.find_by_code_and_phone(code, "+6281299999999") is None
    assert consent.find_by_code_and_phone("ACDEFHJK" if code != "ACDEFHJK" else "ACDEFHJM",
                                          "+6281234567890") is None
    consent.erase(submission)
    db.session.commit()
    assert consent.find(code) == submission  # the private link still shows what remains
    assert consent.find_by_code_and_phone(code, "+6281234567890") is None


# ---------------------------------------------------------------- changing consent

def test_a_correction_changes_the_record_and_appends_an_event(context):
    submission = store()
    changed = consent.correct(submission, name="Maria Goreti Lein", phone="+6281311112222", member_number="",
                              chosen={**CHOSEN, "pekerjaan": "pedagang", "shu_nilai": 25})
    db.session.commit()
    assert changed
    assert (submission.name, submission.phone, submission.member_number, submission.occupation) == (
        "Maria Goreti Lein", "+6281311112222", None, "pedagang")
    assert [(e.kind, e.choices["shu_nilai"]) for e in submission.events] == [("diberikan", 50), ("diubah", 25)]


def test_a_correction_that_changes_nothing_records_nothing(context):
    submission = store()
    assert not consent.correct(submission, name="Maria Goreti", phone="+6281234567890",
                               member_number="PA-01234", chosen=dict(CHOSEN))
    db.session.commit()
    assert [e.kind for e in submission.events] == ["diberikan"]


def test_agreeing_to_shu_again_makes_a_record_active_again(context):
    submission = store()
    consent.withdraw_shu(submission)
    consent.correct(submission, name="Maria Goreti", phone="+6281234567890", member_number="PA-01234",
                    chosen={"kontak": ["sms"]})
    assert submission.state == consent.SHU_WITHDRAWN  # another change keeps the withdrawal
    consent.correct(submission, name="Maria Goreti", phone="+6281234567890", member_number="PA-01234",
                    chosen={"shu": "setuju", "shu_cara": "bulan", "shu_nilai": 6})
    db.session.commit()
    assert submission.state == consent.ACTIVE
    assert [e.kind for e in submission.events] == ["diberikan", "shu_ditarik", "diubah", "diubah"]


@pytest.mark.parametrize("end", [consent.withdraw_all, consent.erase])
def test_a_withdrawn_or_erased_record_cannot_be_corrected(context, end):
    submission = store()
    end(submission)
    db.session.commit()
    with pytest.raises(ValueError, match="cannot be corrected"):
        consent.correct(submission, name="X", phone="+6281311112222", member_number=None, chosen={})
    assert len(submission.events) == 2


def test_withdrawing_shu_keeps_the_other_consents(context):
    submission = store()
    consent.withdraw_shu(submission)
    db.session.commit()
    assert submission.state == consent.SHU_WITHDRAWN
    assert (submission.choices["shu"], submission.choices["shu_cara"], submission.choices["shu_nilai"]) == (
        "tidak", None, None)
    assert submission.choices["setuju_dihubungi"] and submission.choices["setuju_data"]
    assert submission.events[-1].kind == "shu_ditarik" and submission.events[-1].choices == submission.choices


def test_withdrawing_everything_stops_contact_and_processing(context):
    submission = store()
    consent.withdraw_all(submission, actor=consent.rules.SYSTEM)
    db.session.commit()
    assert submission.state == consent.WITHDRAWN
    assert {k: submission.choices[k] for k in ("shu", "setuju_dihubungi", "kontak", "setuju_data")} == {
        "shu": "tidak", "setuju_dihubungi": False, "kontak": [], "setuju_data": False}
    assert (submission.events[-1].kind, submission.events[-1].actor) == ("ditarik", "sistem")
    assert submission.name == "Maria Goreti"  # erasure is its own step


def test_erasure_blanks_every_personal_field_and_keeps_an_anonymous_history(context):
    submission = store(chosen={"koperasi": "lainnya"}, other_cooperative="KSP Sumba Jaya")
    consent.erase(submission, actor="ani")
    db.session.commit()
    assert (submission.name, submission.phone, submission.member_number, submission.cooperative_other,
            submission.idempotency_key) == (None, None, None, None, None)
    assert submission.erased_at is not None and submission.state == consent.ERASED
    assert [(e.kind, e.actor) for e in submission.events] == [("diberikan", "anggota"), ("dihapus", "ani")]
    for event in submission.events:
        assert not re.search("Maria|3456|PA-01234|Sumba", repr((event.choices, event.source, event.collection)))


@pytest.mark.parametrize("state_of, action", [
    (lambda s: consent.withdraw_shu(s), "tarik-shu"),
    (lambda s: consent.withdraw_all(s), "tarik-shu"),
    (lambda s: consent.withdraw_all(s), "tarik-semua"),
    (lambda s: consent.erase(s), "hapus"),
    (lambda s: None, "terbang"),
])
def test_an_action_the_state_does_not_allow_is_refused_and_records_nothing(context, state_of, action):
    submission = store()
    state_of(submission)
    db.session.commit()
    before = history(submission)
    with pytest.raises(ValueError, match="not possible"):
        consent.perform(submission, action)
    assert history(submission) == before


@pytest.mark.parametrize("action, state", [("tarik-shu", "shu_ditarik"), ("tarik-semua", "ditarik"),
                                           ("hapus", "dihapus")])
def test_an_allowed_action_is_performed(context, action, state):
    submission = store()
    consent.perform(submission, action)
    db.session.commit()
    assert submission.state == state and submission.events[-1].kind == state


def test_events_are_only_ever_appended(context):
    submission = store()
    steps = [
        lambda: consent.correct(submission, name="Maria Goreti", phone="+6281234567890", member_number="PA-01234",
                                chosen={"shu_nilai": 25}),
        lambda: consent.withdraw_shu(submission),
        lambda: consent.withdraw_all(submission),
        lambda: consent.erase(submission),
    ]
    db.session.commit()
    seen = history(submission)
    for step in steps:
        step()
        db.session.commit()
        now = history(submission)
        assert now[:len(seen)] == seen and len(now) == len(seen) + 1  # the past, exactly as it was
        seen = now
    assert [kind for _, kind, *_ in seen] == ["diberikan", "diubah", "shu_ditarik", "ditarik", "dihapus"]
    assert seen[0][4]["shu_nilai"] == 50 and seen[1][4]["shu_nilai"] == 25


def test_a_stored_event_cannot_be_edited(context):
    store()
    event = db.session.scalar(select(ConsentEvent))
    event.kind = "diubah"
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.commit()
    db.session.rollback()


def test_a_stored_event_cannot_be_deleted(context):
    store()
    db.session.delete(db.session.scalar(select(ConsentEvent)))
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.commit()
    db.session.rollback()
    assert count(ConsentEvent) == 1


# ---------------------------------------------------------------- duplicates

def test_same_phone_looks_in_the_same_cooperative_only(context):
    maria = store("k1")
    again = store("k2", name="Maria G.")
    store("k3", chosen={"koperasi": "obor-mas"})
    store("k4", phone="+6281311112222")
    db.session.commit()
    assert consent.same_phone(maria) == [again]
    assert consent.same_phone(again) == [maria]
    consent.erase(again)
    db.session.commit()
    assert consent.same_phone(maria) == [] and consent.same_phone(again) == []


def test_possible_duplicates_and_counted_records_as_sql_conditions(context):
    maria, again, other = store("k1"), store("k2"), store("k3", phone="+6281311112222")
    flagged = set(db.session.scalars(select(Submission.id).where(consent.possible_duplicate())))
    assert flagged == {maria.id, again.id}
    consent.mark_duplicate(again, maria)
    db.session.commit()
    assert set(db.session.scalars(select(Submission.id).where(consent.counted()))) == {maria.id, other.id}
    consent.unmark_duplicate(again)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Submission).where(consent.counted())) == 3


def test_only_another_record_with_the_same_phone_can_be_the_original(context):
    maria, again = store("k1"), store("k2")
    stranger = store("k3", phone="+6281311112222")
    elsewhere = store("k4", chosen={"koperasi": "obor-mas"})
    for original in (maria, stranger, elsewhere):
        with pytest.raises(ValueError, match="only another record"):
            consent.mark_duplicate(maria, original)
    consent.mark_duplicate(again, maria)
    third = store("k5")
    with pytest.raises(ValueError, match="itself marked"):
        consent.mark_duplicate(third, again)


def test_marking_the_original_of_duplicates_moves_them_to_the_new_original(context):
    first, second, third = store("k1"), store("k2"), store("k3")
    consent.mark_duplicate(second, first)
    consent.mark_duplicate(third, first)
    db.session.commit()
    consent.unmark_duplicate(third)
    consent.mark_duplicate(first, third)  # staff decide the third is the record to keep
    db.session.commit()
    assert (first.duplicate_of_id, second.duplicate_of_id, third.duplicate_of_id) == (third.id, third.id, None)


def test_the_answers_staff_count_by_follow_every_change_of_the_choices(app):
    """The copies of the answers (indexed for the counts) are written with the
    submission and follow a withdrawal made through the ORM."""
    from portal.models import ANSWER_COLUMNS

    def copies(submission_id):
        return tuple(db.session.execute(select(*(getattr(Submission, n) for n in ANSWER_COLUMNS))
                                        .where(Submission.id == submission_id)).one())

    with app.app_context():
        stored = store()
        assert copies(stored.id) == ("setuju", "persen", 50, "jkk-jkm", "buletin-mei", True)
        consent.withdraw_shu(stored)
        db.session.commit()
        assert copies(stored.id)[:3] == ("tidak", None, None)
