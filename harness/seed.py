"""A large campaign, written straight into the tables in bulk: the partner
cooperatives' submissions and their consent history, shaped as the form's
own code path writes them (portal.consent.submit), for tests and benchmarks
at full size."""
from __future__ import annotations

import random
import secrets
from datetime import datetime, timedelta, timezone

from sqlalchemy import create_engine, func, insert, select

from portal.models import ConsentEvent, Submission, answer_columns

# The shape: the largest partner with 200,000 and three others with 20,000 each.
FULL = {"pintu-air": 200_000, "swasti-sari": 20_000, "obor-mas": 20_000, "sangosay": 20_000}
BATCH = 5_000
KABUPATEN = ["53.07", "53.10", "53.71", "53.01"]
OCCUPATIONS = ["petani", "nelayan", "penenun", "pedagang", "ojek"]
PREFIX = {"pintu-air": "PA", "swasti-sari": "SS", "obor-mas": "OM", "sangosay": "SG"}


def member_number(cooperative: str, n: int) -> str:
    """The n-th seeded member's number, as the cooperative's SHU list writes it."""
    return f"{PREFIX.get(cooperative, 'XX')}-{n:07d}"


def _choices(rng: random.Random, cooperative: str) -> dict:
    shu = rng.choices(["setuju", "belum", "tidak"], [75, 15, 10])[0]
    kind, value = (None, None)
    if shu == "setuju":
        kind = rng.choice(["persen", "rupiah", "bulan"])
        value = {"persen": rng.choice([25, 50, 100]), "rupiah": rng.choice([200_000, 400_000, 600_000]),
                 "bulan": rng.choice([6, 12, 24])}[kind]
    contact = rng.random() < 0.8
    return {"koperasi": cooperative, "kabupaten": rng.choice(KABUPATEN), "pekerjaan": rng.choice(OCCUPATIONS),
            "usia_18": True, "program": rng.choice(["jkk-jkm", "jkk-jkm-jht"]), "shu": shu, "shu_cara": kind,
            "shu_nilai": value, "setuju_dihubungi": contact, "kontak": ["whatsapp"] if contact else [],
            "setuju_data": True}


def _rows(cooperative: str, count: int, rng: random.Random, now: datetime, phone_base: int):
    for n in range(1, count + 1):
        chosen = _choices(rng, cooperative)
        created = now - timedelta(seconds=rng.randrange(300 * 86400))
        withdrawn = rng.random() < 0.2
        source = {"kampanye": rng.choice(["warta-maret", "poster-rat", None])} if rng.random() < 0.7 else {}
        yield {
            "receipt_code": secrets.token_hex(6).upper(), "idempotency_key": secrets.token_hex(16),
            "created_at": created, "updated_at": created, "name": f"Anggota {cooperative} {n}",
            "phone": f"+62812{phone_base + n:08d}", "member_number": member_number(cooperative, n),
            "cooperative": cooperative, "cooperative_key": cooperative, "kabupaten": chosen["kabupaten"],
            "occupation": chosen["pekerjaan"], "choices": chosen, "state": "shu_ditarik" if withdrawn else "aktif",
            "source": source, "notice_version": "2026-11",
            "follow_up_status": rng.choice(["baru", "baru", "dihubungi", "terdaftar"]),
            **answer_columns(chosen, source),
        }, withdrawn


def seed(url: str, sizes: dict[str, int] = FULL, seed_value: int = 1) -> dict:
    """Insert the submissions (and one or two consent events each) through the
    tables in batches; returns the counts written."""
    rng = random.Random(seed_value)
    engine = create_engine(url)
    now = datetime.now(timezone.utc)
    submissions = events = 0
    with engine.begin() as conn:
        next_id = (conn.scalar(select(func.max(Submission.id))) or 0) + 1
        for index, (cooperative, count) in enumerate(sizes.items()):
            batch, later = [], []

            def flush():
                nonlocal submissions, events
                conn.execute(insert(Submission.__table__), batch)
                given = [{"submission_id": r["id"], "kind": "diberikan", "created_at": r["created_at"],
                          "notice_version": r["notice_version"], "choices": r["choices"], "source": r["source"],
                          "actor": "anggota", "collection": {}} for r in batch]
                conn.execute(insert(ConsentEvent.__table__), given + later)
                submissions += len(batch)
                events += len(given) + len(later)
                batch.clear()
                later.clear()

            for row, withdrawn in _rows(cooperative, count, rng, now, index * 1_000_000):
                row["id"] = next_id
                next_id += 1
                batch.append(row)
                if withdrawn:  # a later event: the member withdrew the SHU part
                    later.append({"submission_id": row["id"], "kind": "shu_ditarik",
                                  "created_at": row["created_at"] + timedelta(days=3),
                                  "notice_version": row["notice_version"],
                                  "choices": {**row["choices"], "shu": "tidak", "shu_cara": None, "shu_nilai": None},
                                  "source": {}, "actor": "anggota", "collection": {}})
                if len(batch) >= BATCH:
                    flush()
            if batch:
                flush()
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:  # the next member's id follows the seeded ones
            conn.exec_driver_sql("SELECT setval(pg_get_serial_sequence('submissions', 'id'), "
                                 "(SELECT max(id) FROM submissions))")
            conn.exec_driver_sql("ANALYZE")
    engine.dispose()
    return {"submissions": submissions, "events": events}
