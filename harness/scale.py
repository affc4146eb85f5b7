"""The cooperative's side at the largest partner's size: staff keep reading
(the dashboard, the campaign view) while members submit, on the real gunicorn
with the project's settings. bench/scale.py measures with it; a test in
tests/test_scale.py checks that every member is acknowledged."""
from __future__ import annotations

import subprocess
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bs4 import BeautifulSoup

from harness import seed, servers
from harness.reliability import Job, _open, phones, prepare

PASSWORD = "sapi merah makan rumput di bukit"
STAFF_PAGES = ("/admin/", "/admin/kampanye/")


def make_account(env: dict, username: str, *args: str) -> None:
    """A staff account made as operators make one (flask users create)."""
    subprocess.run([str(servers.BIN / "flask"), "--app", "portal", "users", "create", "--password-stdin",
                    *args, username], input=PASSWORD + "\n", text=True, env=env, cwd=servers.ROOT,
                   check=True, capture_output=True)


def log_in(base: str, username: str):
    """An opener holding a logged-in staff session."""
    opener = servers.browser_like()
    _, _, body = servers.fetch(opener, base + "/admin/masuk")
    token = BeautifulSoup(body, "html.parser").select_one('input[name="csrf_token"]')["value"]
    status, _, _ = servers.fetch(opener, base + "/admin/masuk", {
        "csrf_token": token, "nama_pengguna": username, "kata_sandi": PASSWORD})
    assert status == 303, status
    return opener


def prepared(url: str, workdir: Path, sizes: dict[str, int], **extra) -> dict:
    """A migrated database seeded with ``sizes`` and a campaign-team account; the server's environment."""
    env = servers.server_env(url, servers.ROOT / "site", workdir, FORM_RATE_LIMIT="1000000 per minute",
                             **extra)
    servers.migrate(env)
    seed.seed(url, sizes)
    make_account(env, "tim.kampanye", "--role", "kampanye")
    return env


def members_while_staff_read(base: str, members: int, connections: int = 2) -> dict:
    """Members submit (and open their private page) while one staff member
    reloads the dashboard and the campaign view without pause."""
    staff = log_in(base, "tim.kampanye")
    jobs = [Job(p) for p in phones(7, members)]
    for job in jobs:
        prepare(job, base)
    stop = threading.Event()
    reads: list[tuple[str, int, float]] = []

    def reload():
        while not stop.is_set():
            for path in STAFF_PAGES:
                started = time.perf_counter()
                status, _, _ = servers.fetch(staff, base + path)
                reads.append((path, status, time.perf_counter() - started))

    def member(job: Job):
        started = time.perf_counter()
        status, headers, _ = _open(base + "/daftar/", job.body, job.cookie)
        job.status, job.location = status, headers.get("Location")
        page = None
        if status == 303:
            page = _open(urllib.parse.urljoin(base + "/daftar/", job.location), cookie=job.cookie)[0]
        job.history.append((status, page, time.perf_counter() - started))

    reader = threading.Thread(target=reload)
    reader.start()
    time.sleep(0.5)  # the first dashboard is already being read when members start
    try:
        with ThreadPoolExecutor(connections) as pool:
            list(pool.map(member, jobs))
    finally:
        stop.set()
        reader.join()
    answered = [h for job in jobs for h in job.history]
    return {
        "members": members,
        "acknowledged": sum(1 for status, _, _ in answered if status == 303),
        "private page shown": sum(1 for _, page, _ in answered if page == 200),
        "slowest member (s)": round(max(seconds for _, _, seconds in answered), 3),
        "staff reads": len(reads),
        "staff reads ok": sum(1 for _, status, _ in reads if status == 200),
    }


def background_export(opener, base: str, fmt: str, timeout: float = 900) -> tuple[bytes, float]:
    """Ask for a large follow-up export as staff do (the button on the page the
    export link opens), follow its page until the file is made, then download
    it: (the file, seconds from asking until it was ready)."""
    _, _, page = servers.fetch(opener, base + f"/admin/tindak-lanjut/ekspor.{fmt}")
    form = BeautifulSoup(page, "html.parser").select_one("form[action*=ekspor-besar]")
    assert form is not None, page[:500]
    started = time.perf_counter()
    status, headers, _ = servers.fetch(opener, base + form["action"],
                                       {"csrf_token": form.select_one('input[name="csrf_token"]')["value"]})
    assert status == 303, status
    job = base + headers["Location"]
    while time.perf_counter() - started < timeout:
        _, _, page = servers.fetch(opener, job)
        link = BeautifulSoup(page, "html.parser").select_one('a[href$="/unduh"]')
        if link is not None:
            ready = time.perf_counter() - started
            with opener.open(base + link["href"], timeout=120) as response:
                return response.read(), ready
        assert b"Berkas tidak jadi dibuat" not in page, page[:2000]
        time.sleep(1)
    raise TimeoutError(f"{job} not ready after {timeout} s")
