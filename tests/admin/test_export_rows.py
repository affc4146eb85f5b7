"""The CSV export's fast rows (plain columns, the date formatted by the
database) give exactly the file the row generator gives from whole records,
on SQLite and PostgreSQL: hostile text, erased and withdrawn members, an
officer's entry, a number that is not a mobile, another cooperative's name."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import insert, select

from harness import seed
from portal import consent, rat
from portal.followup import exports, queries
from portal.extensions import db
from portal.models import ConsentEvent, Submission, answer_columns


def _add(receipt: str, created: datetime, collection: dict, **changes) -> None:
    chosen = {"program": "jkk-jkm", "shu": "setuju", "shu_cara": "rupiah", "shu_nilai": 400_000,
              "setuju_dihubungi": True, "kontak": ["sms", "telepon"]}
    source = {"kampanye": "=buletin"}
    row = dict(receipt_code=receipt, idempotency_key=receipt, created_at=created, updated_at=created,
               name="=HYPERLINK(\"x\")", phone="+62361234567", member_number="@PA-9",
               cooperative="lainnya", cooperative_other="-Kopdit Baru", cooperative_key="lainnya:kopdit baru",
               kabupaten="99.99", occupation="lain", choices=chosen, state="aktif", source=source,
               notice_version="2026-11", follow_up_status="baru", **answer_columns(chosen, source))
    row.update(changes)
    new_id = db.session.execute(insert(Submission).returning(Submission.id), [row]).scalar_one()
    db.session.execute(insert(ConsentEvent), [{
        "submission_id": new_id, "kind": "diberikan", "created_at": created, "notice_version": "2026-11",
        "choices": chosen, "source": source, "actor": "ani", "collection": collection}])


def test_fast_csv_rows_equal_the_row_generator(app):
    seed.seed(app.config["SQLALCHEMY_DATABASE_URI"], {"pintu-air": 60, "obor-mas": 20})
    with app.app_context():
        # Just before midnight UTC: the WITA date is the next day.
        late = datetime(2026, 11, 24, 23, 59, 59, 999_000, tzinfo=timezone.utc)
        _add("ACDEFHJK", late, {"channel": "rat", "method": "dibacakan", "entered_by": "=ani"})
        _add("ACDEFHJM", late - timedelta(days=1), {}, phone="bukan nomor", kontak=None)
        db.session.commit()
        people = db.session.scalars(select(Submission).where(Submission.cooperative == "pintu-air")
                                    .order_by(Submission.id).limit(3)).all()
        consent.erase(people[0])
        consent.withdraw_all(people[1])
        consent.withdraw_shu(people[2])
        db.session.commit()
        where = queries.conditions(queries.Scope(None), {}) + [consent.counted()]
        decisions = rat.decisions()
        records = db.session.scalars(select(Submission).where(*where).order_by(
            Submission.created_at.desc(), Submission.id.desc())).all()
        slow = "".join(exports.csv_chunks(exports.rows(records, decisions)))
        fast = "".join(exports.csv_chunks(queries.csv_export_rows(where, decisions)))
    assert fast.count("\n") == len(records) + 1 == 83
    assert "2026-11-25 07:59" in fast and "'=ani" in fast and "'=HYPERLINK" in fast
    assert fast == slow
