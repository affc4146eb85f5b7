"""The cooperative's side at the largest partner's size, on SQLite and on
PostgreSQL: 200,000 + 3 x 20,000 submissions seeded through the tables
(harness/seed.py), the real gunicorn with the project's settings (3 sync
workers, 30 s timeout), and for each operation staff run its time, what came
back, and the workers' peak memory (VmHWM, from each operation's start) and CPU seconds, with the load average; then members submitting while
staff read, and the first retention run while the campaign view is read.

Run: .venv/bin/python bench/scale.py [sqlite] [postgresql] [--no-retention] [--only=WORDS]
(PostgreSQL from BENCH_DATABASE_URL or TEST_DATABASE_URL; --only=conversion measures only the
operations whose label holds those words). Opt-in, a few minutes a database;
results in bench/RESULTS.md."""
from __future__ import annotations

import csv
import io
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, insert, select, update  # noqa: E402

from bench.common import ROOT, fresh_database  # noqa: E402
from harness import scale, seed, servers  # noqa: E402
from harness.reliability import worker_pids  # noqa: E402
from kkbc.rates import Month  # noqa: E402
from portal.bpjs.cover import add_months  # noqa: E402
from portal.models import CoverPeriod, RatRecord, Submission  # noqa: E402
from portal.platform.paging import cursor  # noqa: E402

SHU_ROWS = 445_000  # the largest partner's members (data/cooperatives.yml)
ERASED = 10_352      # the first retention run of the issue
ONLY = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--only=")), "")


def peak_mb(master: int) -> int:
    """The largest peak resident memory of the workers, in MB."""
    peaks = []
    for pid in worker_pids(master):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) // 1024)
        except OSError:
            pass
    return max(peaks, default=0)


def worker_cpu(master: int) -> float:
    """CPU seconds (user + system) the workers have used so far: what an
    operation cost, whatever else the shared machine was doing."""
    total = 0
    for pid in worker_pids(master):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return total / os.sysconf("SC_CLK_TCK")


def reset_peaks(master: int) -> None:
    """Start each worker's peak memory (VmHWM) again from what it holds now, so
    each operation's peak is its own (Linux: clear_refs 5)."""
    for pid in worker_pids(master):
        try:
            Path(f"/proc/{pid}/clear_refs").write_text("5")
        except OSError:
            pass


def load() -> str:
    """The machine's load average over the last minute, as it stood."""
    return f"load {os.getloadavg()[0]:.1f}"


def cover_periods(url: str, every: int = 4) -> int:
    """Cover paid from the SHU for every ``every``-th Pintu Air member, ending
    from four months ago to four months ahead: the lapse list, the funnel and
    the published figures then read tens of thousands of periods."""
    engine = create_engine(url)
    now = datetime.now(timezone.utc)
    this = Month(now.year, now.month)
    with engine.begin() as conn:
        ids = conn.scalars(select(Submission.id).where(Submission.cooperative == "pintu-air")
                           .order_by(Submission.id)).all()[::every]
        rows = []
        for n, member in enumerate(ids):
            last = add_months(this, n % 9 - 4)
            first = add_months(last, -11)
            rows.append({"submission_id": member, "first": str(first), "last": str(last), "programme": "jkk-jkm",
                         "payer": "shu", "monthly": [], "amount": 201_600, "confirmed": True, "receipt": None,
                         "handover_entry_id": None, "created_at": now, "created_by": "bench"})
        for i in range(0, len(rows), 5000):
            conn.execute(insert(CoverPeriod.__table__), rows[i:i + 5000])
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:  # as autovacuum would after a bulk insert
            conn.exec_driver_sql("ANALYZE cover_periods")
    engine.dispose()
    return len(rows)


def timed(opener, url, data=None, headers=None):
    started = time.perf_counter()
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        response = opener.open(request, timeout=60)
    except urllib.error.HTTPError as error:
        response = error
    body = response.read()
    return response.status, body, time.perf_counter() - started


def rat_record(url: str) -> int:
    """A final, accepted RAT record for the largest partner (the pack and the sheet need one)."""
    engine = create_engine(url)
    with engine.begin() as conn:
        now = datetime.now(timezone.utc)
        values = dict(cooperative="pintu-air", book_year=2026, version=1, status="final", held_on=date(2027, 3, 13),
                      place="Maumere", agenda_item="SHU untuk iuran", proposal="Usulan", allowance="pilihan",
                      package="jkk-jkm", present=900, quorum_rule="", quorum_met=True, votes_for=800,
                      votes_against=50, votes_abstain=40, votes_invalid=10, outcome="diterima",
                      signatories=[{"name": "Ketua", "role": "Ketua"}], created_at=now, created_by="bench",
                      updated_at=now, finalised_at=now, finalised_by="bench", revision=1)
        record = conn.execute(RatRecord.__table__.insert().values(**values).returning(RatRecord.id)).scalar()
    engine.dispose()
    return record


def deep_page(url: str, page: int, per_page: int = 25) -> str:
    """The link staff follow to reach ``page`` of the cooperative's list (its keyset cursor)."""
    engine = create_engine(url)
    with engine.connect() as conn:
        row = conn.execute(select(Submission.created_at, Submission.id).where(Submission.cooperative == "pintu-air")
                           .order_by(Submission.created_at.desc(), Submission.id.desc())
                           .offset((page - 1) * per_page - 1).limit(1)).first()
    engine.dispose()
    return f"/admin/tindak-lanjut/?halaman={page}&setelah={cursor(*row)}"


def multipart(fields: dict, file_name: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="berkas"; filename="{file_name}"\r\n'
                 "Content-Type: text/csv\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def shu_list() -> bytes:
    rng = random.Random(1)
    return ("Nomor anggota;SHU\n" + "".join(f"{seed.member_number('pintu-air', n)};{rng.randrange(50, 5000) * 1000}\n"
                                            for n in range(1, SHU_ROWS + 1))).encode()


def shu_list_xlsx() -> bytes:
    """The same list as finance staff save it from a spreadsheet."""
    from portal.followup import exports

    lines = csv.reader(io.StringIO(shu_list().decode()), delimiter=";")
    header = next(lines)
    return exports.xlsx_bytes([("Daftar SHU", header, ([number, int(amount)] for number, amount in lines))])


def csrf(opener, url: str) -> str:
    from bs4 import BeautifulSoup

    _, body, _ = timed(opener, url)
    return BeautifulSoup(body, "html.parser").select_one('input[name="csrf_token"]')["value"]


def retention_while_read(env: dict, url: str, base: str, staff) -> dict:
    """Make ERASED records due, run the retention command, and read the campaign view meanwhile."""
    engine = create_engine(url)
    with engine.begin() as conn:
        ids = select(Submission.id).where(Submission.cooperative == "swasti-sari").limit(ERASED).scalar_subquery()
        conn.execute(update(Submission).where(Submission.id.in_(ids)).values(
            updated_at=datetime.now(timezone.utc) - timedelta(days=1000)))
    engine.dispose()
    statuses, stop = [], threading.Event()

    def read():
        while not stop.is_set():
            statuses.append(timed(staff, base + "/admin/kampanye/")[0])

    reader = threading.Thread(target=read)
    reader.start()
    started = time.perf_counter()
    done = subprocess.run([str(servers.BIN / "flask"), "--app", "portal", "retention"], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    stop.set()
    reader.join()
    return {"seconds": seconds, "result": done.stdout.splitlines()[0] if done.stdout else done.stderr[-200:],
            "reads": len(statuses), "reads ok": statuses.count(200)}


class Printed(list):
    """The results, each printed as it comes (a run takes minutes)."""

    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind

    def append(self, item: tuple[str, str]) -> None:
        super().append(item)
        print(f"{self.kind:10} | {item[0]} | {item[1]}", flush=True)


def run(kind: str, workdir: Path) -> list[tuple[str, str]]:
    out = Printed(kind)
    url = fresh_database(kind, workdir)
    if url is None:
        out.append(("PostgreSQL", "not measured: no BENCH_DATABASE_URL or TEST_DATABASE_URL"))
        return out
    started = time.perf_counter()
    env = scale.prepared(url, workdir, {})  # migrated, with the campaign team's account
    counts = seed.seed(url)
    out.append(("seed", f"{counts['submissions']:,} submissions, {counts['events']:,} events in "
                        f"{time.perf_counter() - started:.1f} s"))
    scale.make_account(env, "ani.pintuair", "--role", "koperasi", "--koperasi", "pintu-air")
    record = rat_record(url)
    out.append(("cover periods", f"{cover_periods(url):,} seeded for the lapse list and the funnel"))
    deep = deep_page(url, 8000)
    content = shu_list()
    with servers.gunicorn(env, workers=3) as (base, master):
        campaign, coop = scale.log_in(base, "tim.kampanye"), scale.log_in(base, "ani.pintuair")

        def measure(label, opener, path, data=None, headers=None, check=None):
            if ONLY not in label:
                return
            reset_peaks(master.pid)
            before, cpu = load(), worker_cpu(master.pid)
            status, body, seconds = timed(opener, base + path, data, headers)
            note = check(body) if check and status == 200 else ""
            out.append((label, f"{seconds:.2f} s, workers' CPU {worker_cpu(master.pid) - cpu:.2f} s, "
                               f"status {status}, {len(body) / 1e6:.1f} MB{note}, "
                               f"worker peak {peak_mb(master.pid)} MB, {before}"))

        def in_background(label, fmt, check):
            if ONLY not in label:
                return
            reset_peaks(master.pid)
            before, cpu = load(), worker_cpu(master.pid)
            body, ready = scale.background_export(coop, base, fmt)
            out.append((label, f"made in the background, ready after {ready:.1f} s, workers' CPU "
                               f"{worker_cpu(master.pid) - cpu:.1f} s, {len(body) / 1e6:.1f} MB{check(body)}, "
                               f"worker peak {peak_mb(master.pid)} MB, {before}"))

        def last_line(body):
            text = body.decode("utf-8-sig")
            rows = list(csv.reader(io.StringIO(text)))
            return f", {len(rows) - 2:,} rows, last line: {rows[-1][0]!r}"

        def last_row(body):
            from openpyxl import load_workbook

            sheet = load_workbook(io.BytesIO(body), read_only=True).active
            rows = list(sheet.iter_rows(values_only=True))
            return f", {len(rows) - 2:,} rows, last row: {rows[-1][0]!r}"

        for _ in range(2):  # the second of each: templates and caches warm, as in daily use
            measure("dashboard, cooperative", coop, "/admin/")
            measure("dashboard, campaign team", campaign, "/admin/")
        measure("campaign view", campaign, "/admin/kampanye/")
        measure("follow-up list, page 1", coop, "/admin/tindak-lanjut/")
        measure("follow-up list, page 8,000", coop, deep)
        measure("follow-up list, last page", coop, "/admin/tindak-lanjut/?halaman=999999")
        measure("RAT pack", coop, f"/admin/rat/pintu-air/{record}/paket")
        measure("lapse list, Pintu Air", coop, "/admin/perlindungan/pintu-air/")
        measure("funnel (Capaian), cooperative", coop, "/admin/capaian/")
        measure("funnel (Capaian), campaign team", campaign, "/admin/capaian/")
        measure("funnel, CSV for the campaign team", campaign, "/admin/capaian/unduh.csv")
        in_background("follow-up CSV, 200,000", "csv", last_line)
        in_background("follow-up XLSX, 200,000", "xlsx", last_row)
        path = f"/admin/rat/pintu-air/{record}/konversi"
        for shape in ("layar", "csv", "xlsx"):
            body, kind_header = multipart({"csrf_token": csrf(coop, base + path), "mulai": "2027-04",
                                           "bentuk": shape}, "shu.csv", content)
            measure(f"conversion sheet ({shape}), {SHU_ROWS:,}-row SHU list", coop, path, body,
                    {"Content-Type": kind_header}, check={"csv": last_line, "xlsx": last_row}.get(shape))
        body, kind_header = multipart({"csrf_token": csrf(coop, base + path), "mulai": "2027-04", "bentuk": "layar"},
                                      "shu.xlsx", shu_list_xlsx())
        measure(f"conversion sheet (layar), {SHU_ROWS:,}-row SHU list as XLSX", coop, path, body,
                {"Content-Type": kind_header})
        if ONLY:
            return out
        members = scale.members_while_staff_read(base, members=30)
        out.append(("members while staff read", ", ".join(f"{k} {v}" for k, v in members.items())))
        if "--no-retention" in sys.argv:  # unchanged by a change elsewhere: minutes saved
            return out
        kept = retention_while_read(env, url, base, campaign)
        out.append(("first retention run", f"{kept['seconds']:.1f} s ({kept['result']}); campaign view read "
                                           f"{kept['reads']} times, {kept['reads ok']} answered 200"))
    return out


def main() -> None:
    kinds = [a for a in sys.argv[1:] if not a.startswith("--")] or ["sqlite", "postgresql"]
    print(f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {load()}")
    for kind in kinds:
        with tempfile.TemporaryDirectory() as tmp:
            run(kind, Path(tmp))


if __name__ == "__main__":
    main()
