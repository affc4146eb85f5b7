"""Throughput and latency of the portal under gunicorn with production settings,
side by side with a minimal reference app on the same gunicorn settings.

For each database (SQLite, and PostgreSQL when BENCH_DATABASE_URL or
TEST_DATABASE_URL is set) and 16 and 64 connections, wrk (a separate, non-Python
process) drives three requests on each app:

- bare: `return "ok"`; on the reference it is plain Flask, on the portal it
  goes through everything the portal puts around every request;
- GET of the form page (the reference's has the same controls, with CSRF);
- POST of a complete valid submission with a real session and CSRF token
  (the portal's also with a form token), each a new record.

The reference (bench/reference.py) runs before and after the portal and its
figures are averaged; every portal figure is printed as a ratio to it.

    .venv/bin/python bench/server.py [--seconds 5] [--workers N] [--worker-class sync|gthread]
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (REDIS_URL, ensure_tool, form_tokens, fresh_database, new_session,  # noqa: E402
                          production_server, reference_server, static_fields)

HERE = Path(__file__).resolve().parent


def run_wrk(wrk: str, url: str, connections: int, seconds: int, script: str | None = None,
            env: dict | None = None) -> dict:
    threads = 2
    cmd = [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if script:
        cmd += ["-s", script]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True,
                         env={**os.environ, **(env or {}), "BENCH_THREADS": str(threads)}).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(p):
        value, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rps": rps, "p50": pct(50), "p99": pct(99), "requests": total,
            "bad": int(errors.group(1)) if errors else 0,
            "socket": socket_errors.group(1) if socket_errors else ""}


REQUESTS = ("bare", "GET /daftar/", "POST /daftar/")


def measure(wrk: str, base: str, bare: str, connections: int, seconds: int, workdir: Path,
            tokens: int) -> dict:
    """req/s, p50 and p99 of the three requests on one running app."""
    sessions = workdir / "sessions.txt"
    sessions.write_text("\n".join("\t".join(new_session(base)) for _ in range(64)) + "\n")
    out = {"bare": run_wrk(wrk, base + bare, connections, seconds),
           "GET /daftar/": run_wrk(wrk, base + "/daftar/", connections, seconds)}
    token_file = workdir / "tokens.txt"
    token_file.write_text("\n".join(form_tokens(tokens)) + "\n")
    time.sleep(3.2)  # the portal's minimum fill time counts from token issue
    out["POST /daftar/"] = run_wrk(
        wrk, base + "/daftar/", connections, seconds, str(HERE / "post.lua"),
        {"BENCH_SESSIONS": str(sessions), "BENCH_TOKENS": str(token_file), "BENCH_FIELDS": static_fields()})
    return out


def average(a: dict, b: dict) -> dict:
    return {k: (a[k] + b[k]) / 2 if isinstance(a[k], (int, float)) else a[k] or b[k] for k in a}


def bench_database(kind: str, args, wrk: str, workdir: Path) -> list[dict]:
    url = fresh_database(kind, workdir)
    if url is None:
        print(f"# {kind}: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)")
        return []
    extra = ("--worker-class", args.worker_class) + (("--threads", "4") if args.worker_class == "gthread" else ())
    tokens = args.seconds * 1500 + 1000  # more than any run posts: each POST is a new record
    rows = []
    with production_server(url, workdir, workers=args.workers, args=extra) as (base, _), \
            reference_server(kind, url, workdir, workers=args.workers, args=extra) as reference:
        for connections in (16, 64):
            before = measure(wrk, reference, "/ok", connections, args.seconds, workdir, tokens)
            portal = measure(wrk, base, "/bench/ok", connections, args.seconds, workdir, tokens)
            after = measure(wrk, reference, "/ok", connections, args.seconds, workdir, tokens)
            for what in REQUESTS:
                ref = average(before[what], after[what])
                rows.append({"db": kind, "c": connections, "what": what, **portal[what],
                             "ref": ref["rps"], "ref_spread": abs(before[what]["rps"] - after[what]["rps"]),
                             "ratio": portal[what]["rps"] / ref["rps"],
                             "bad_ref": before[what]["bad"] + after[what]["bad"]})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=None, help="default: gunicorn.conf.py")
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    wrk = ensure_tool("wrk", "wrk")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind in args.databases.split(","):
            rows += bench_database(kind, args, wrk, Path(tmp))
    print(f"\nworkers={args.workers or 'gunicorn.conf.py'} class={args.worker_class} "
          f"seconds={args.seconds} cpus={os.cpu_count()} "
          f"rate limits={'redis (BENCH_REDIS_URL)' if REDIS_URL else 'shared file (file+shared://, the default)'}")
    print("reference: bare = plain Flask `return 'ok'`; GET and POST = bench/reference.py "
          "(mean of the runs before and after the portal, and their difference)")
    print("| db | conns | request | req/s | p50 ms | p99 ms | reference req/s | x reference "
          "| non-2xx/3xx (portal, reference) | socket errors |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        print(f"| {r['db']} | {r['c']} | {r['what']} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} "
              f"| {r['ref']:.0f} ± {r['ref_spread'] / 2:.0f} | **{r['ratio']:.2f}** | {r['bad']}, {r['bad_ref']} "
              f"| {r['socket'] or '-'} |")


if __name__ == "__main__":
    main()
