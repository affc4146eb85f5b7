"""How fast the follow-up exports write rows, in-process: the largest
partner's submissions seeded through the tables (harness/seed.py), then the
export's whole path (server-side cursor, cells, writer) read to the end for
CSV and XLSX, with wall time, CPU time (which the shared machine's load does
not inflate) and rows per CPU-second.

Run: .venv/bin/python bench/exports.py [sqlite|postgresql] [rows] [--profile] [--csv-only|--xlsx-only]
(PostgreSQL from BENCH_DATABASE_URL or TEST_DATABASE_URL); results in bench/RESULTS.md."""
from __future__ import annotations

import cProfile
import pstats
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import fresh_database  # noqa: E402
from harness import seed, servers  # noqa: E402


def measure(app, fmt: str, profile: bool = False) -> tuple[int, int]:
    """Write the whole export once: (rows, bytes). Prints its times."""
    from portal import consent, rat
    from portal.followup import exports, queries
    from portal.admin.followup.views import EXPORT_TYPES
    from portal.extensions import db

    with app.app_context():
        where = queries.conditions(queries.Scope("pintu-air"), {}) + [consent.counted()]
        expected = queries.total(where)
        decisions = rat.decisions()
        db.session.commit()
        writer, source = EXPORT_TYPES[fmt]
        profiler = cProfile.Profile() if profile else None
        wall, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        size = sum(len(chunk) for chunk in writer(exports.completed(
            source(where, decisions), expected, time.monotonic() + 3600)))
        if profiler:
            profiler.disable()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"{fmt:4} | {expected:,} rows, {size / 1e6:.1f} MB | wall {wall:.1f} s | CPU {cpu:.1f} s | "
          f"{expected / cpu:,.0f} rows per CPU-second | process peak {peak} MB", flush=True)
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(18)
    return expected, size


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    kind = args[0] if args else "sqlite"
    rows = int(args[1]) if len(args) > 1 else seed.FULL["pintu-air"]
    with tempfile.TemporaryDirectory() as tmp:
        url = fresh_database(kind, Path(tmp))
        if url is None:
            print("PostgreSQL: not measured (no BENCH_DATABASE_URL or TEST_DATABASE_URL)")
            return
        env = servers.server_env(url, servers.ROOT / "site", Path(tmp))
        servers.migrate(env)
        started = time.perf_counter()
        seed.seed(url, {"pintu-air": rows})
        print(f"{kind}: seeded {rows:,} submissions in {time.perf_counter() - started:.1f} s", flush=True)
        from portal import create_app

        app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": url, "SITE_DIR": tmp})
        only = [f for f in ("csv", "xlsx") if f"--{f}-only" in sys.argv]
        for fmt in only or ("csv", "xlsx"):
            measure(app, fmt, "--profile" in sys.argv)


if __name__ == "__main__":
    main()
