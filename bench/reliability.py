"""Nothing lost, nothing duplicated: acknowledged submissions under load,
with a worker killed, across two instances, and rate limits shared in Redis.

    .venv/bin/python bench/reliability.py [--submissions 1000] [--connections 64]

Loopback only; bounded in count and time. PostgreSQL and Redis scenarios run
when TEST_DATABASE_URL (or BENCH_DATABASE_URL) and TEST_REDIS_URL are set.
Exits non-zero if any check fails. The scenarios are in harness/reliability.py.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import fresh_database  # noqa: E402
from harness.reliability import (scenario_load, scenario_shared_rate_limit,  # noqa: E402
                                 scenario_two_instances)

REDIS_URL = os.environ.get("TEST_REDIS_URL")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for kind in ("sqlite", "postgresql"):
            for kill in (False, True):
                url = fresh_database(kind, workdir)
                if url is None:
                    print(f"{kind}: skipped (no TEST_DATABASE_URL)")
                    break
                r = scenario_load(kind, url, workdir, args.submissions, args.connections, kill)
                name = f"{kind}, {args.connections} connections" + (", one worker SIGKILLed" if kill else "")
                print(f"{name}: {r}")
                if r["lost"] or r["duplicated"] or r["half stored"] or not r["recovered"] \
                        or r["unacknowledged"] or (kill and not r["killed"]):
                    failures.append(name)
        url = fresh_database("postgresql", workdir)
        if url:
            r = scenario_two_instances(url, workdir, args.submissions, args.connections)
            print(f"postgresql, two instances: {r}")
            if r["lost"] or r["duplicated"] or r["half stored"] or r["same_receipt"] != r["retried_elsewhere"]:
                failures.append("two instances")
        if REDIS_URL and url:
            for storage in (REDIS_URL, "memory://"):
                r = scenario_shared_rate_limit(url, workdir, storage)
                print(f"rate limit across 2 instances x 2 workers: {r}")
                if storage.startswith("redis") and r["allowed"] != r["limit"]:
                    failures.append("shared rate limit")
    print("FAILED: " + ", ".join(failures) if failures else "all checks passed: 0 lost, 0 duplicated")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
