"""What one rate-limit check costs in each storage the form's limit can use:
in-process memory (per worker, the old default), the file every worker maps
(``file+shared://``, the default now) and Redis (BENCH_REDIS_URL, when given).

Each figure is the median of 5 runs of 20,000 hits of the form's two limits
("30 per minute;300 per hour") over 500 addresses, as ``limit_per_address``
makes them; the ratio is to memory.

    .venv/bin/python bench/rate_limits.py
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from limits import parse_many  # noqa: E402
from limits.storage import storage_from_string  # noqa: E402
from limits.strategies import FixedWindowRateLimiter  # noqa: E402

import portal.platform.rate_limits  # noqa: E402,F401 (registers memory+swept:// and file+shared://)

HITS, RUNS = 20_000, 5
LIMITS = parse_many("30 per minute;300 per hour")


def per_hit(uri: str) -> float:
    """Median microseconds per check of both limits."""
    window = FixedWindowRateLimiter(storage_from_string(uri))
    times = []
    for run in range(RUNS):
        start = time.perf_counter()
        for n in range(HITS):
            address = f"203.0.{run}.{n % 500}"
            for item in LIMITS:
                window.hit(item, "public.daftar", address)
        times.append((time.perf_counter() - start) / HITS * 1e6)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        uris = {"memory (per worker)": "memory+swept://", "shared file": f"file+shared://{tmp}/rate-limits"}
        if os.environ.get("BENCH_REDIS_URL"):
            uris["redis"] = os.environ["BENCH_REDIS_URL"]
        figures = {name: per_hit(uri) for name, uri in uris.items()}
    base = figures["memory (per worker)"]
    print(f"cpus={os.cpu_count()} hits={HITS} runs={RUNS}")
    print("| storage | µs per form check (2 limits) | x memory |")
    print("|---|---:|---:|")
    for name, micro in figures.items():
        print(f"| {name} | {micro:.1f} | {micro / base:.2f} |")


if __name__ == "__main__":
    main()
