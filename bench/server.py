"""Throughput and latency of the portal under gunicorn with production settings.

For each database (SQLite, and PostgreSQL when BENCH_DATABASE_URL or
TEST_DATABASE_URL is set) and 16 and 64 connections, wrk (a separate, non-Python
process) drives: a bare `return "ok"` endpoint (the stack's ceiling), GET of
the form page, and POST of a complete valid submission with a real session,
CSRF token and form token. Every figure is also shown as a ratio to the bare
endpoint at the same concurrency.

    .venv/bin/python bench/server.py [--seconds 10] [--workers N] [--worker-class sync|gthread]
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

from bench.common import (ensure_tool, form_tokens, fresh_database, new_session,  # noqa: E402
                          production_server, static_fields)

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


def bench_database(kind: str, args, wrk: str, workdir: Path) -> list[dict]:
    url = fresh_database(kind, workdir)
    if url is None:
        print(f"# {kind}: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)")
        return []
    extra = ("--worker-class", args.worker_class) + (("--threads", "4") if args.worker_class == "gthread" else ())
    rows = []
    with production_server(url, workdir, workers=args.workers, args=extra) as (base, _):
        sessions = workdir / "sessions.txt"
        sessions.write_text("\n".join("\t".join(new_session(base)) for _ in range(64)) + "\n")
        for connections in (16, 64):
            ok = run_wrk(wrk, base + "/bench/ok", connections, args.seconds)
            form = run_wrk(wrk, base + "/daftar/", connections, args.seconds)
            tokens = workdir / "tokens.txt"
            tokens.write_text("\n".join(form_tokens(int(ok["rps"] * args.seconds * 0.6) + 1000)) + "\n")
            time.sleep(3.2)  # the form's minimum fill time counts from token issue
            post = run_wrk(wrk, base + "/daftar/", connections, args.seconds, str(HERE / "post.lua"),
                           {"BENCH_SESSIONS": str(sessions), "BENCH_TOKENS": str(tokens),
                            "BENCH_FIELDS": static_fields()})
            for name, result in (("bare ok", ok), ("GET /daftar/", form), ("POST /daftar/", post)):
                rows.append({"db": kind, "c": connections, "what": name, **result,
                             "ratio": result["rps"] / ok["rps"]})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
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
          f"seconds={args.seconds} cpus={os.cpu_count()}")
    print("| db | conns | request | req/s | p50 ms | p99 ms | x bare | non-2xx/3xx | socket errors |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---|")
    for r in rows:
        print(f"| {r['db']} | {r['c']} | {r['what']} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} "
              f"| {r['ratio']:.2f} | {r['bad']} | {r['socket'] or '-'} |")


if __name__ == "__main__":
    main()
