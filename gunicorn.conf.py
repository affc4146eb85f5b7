"""gunicorn settings for `make run` and the Procfile (override with GUNICORN_CMD_ARGS)."""
import gc
import multiprocessing
import os
import tempfile
from pathlib import Path

from portal.platform import server_pages

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Sync workers, one per core plus one to cover a worker waiting on a commit.
# Measured (bench/RESULTS.md): a submission is CPU-bound (about 1.6 ms: CSRF,
# validation, the RAT decision, two inserts); 2 or 3 sync workers give the same throughput,
# while gthread halved GET throughput on PostgreSQL and pushed p99 to a second,
# because keep-alive clients pile onto one threaded worker.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
# A worker restarted now and then cannot leak memory for months.
max_requests = 5000
max_requests_jitter = 500
# The application is built once, in the master, before the workers fork: a
# worker replaced after max_requests serves at once, instead of spending a
# second of CPU importing and building the app again while its peers carry
# the load (bench/RESULTS.md). Nothing in create_app() opens a connection.
preload_app = True
accesslog = "-"
# Private links (/kelola/<code>/<sig>) are credentials: the access log shows them without the secret.
logger_class = "portal.platform.logs.RedactingLogger"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Request line and headers: gunicorn's maximum, so a long URL reaches the app,
# which answers it with its own page (portal.platform.request_limits); beyond these,
# gunicorn answers with the Indonesian pages of portal.platform.server_pages.
limit_request_line = 8190
limit_request_field_size = 8190
server_pages.install()
# gunicorn 27 listens for `gunicornc` on ~/.gunicorn/gunicorn.ctl by default,
# one path for every instance of the user on the host: each instance gets its
# own, in its instance folder (this file runs in the master, so the pid names
# it), or in a private temporary folder when that path is too long for a socket.
_instance = Path(os.environ.get("PORTAL_INSTANCE_DIR", Path(__file__).resolve().parent / "instance"))
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET") or str(_instance / f"gunicorn-{os.getpid()}.ctl")
if len(control_socket) > 100:
    control_socket = str(Path(tempfile.mkdtemp(prefix="kkbc-gunicorn-")) / "gunicorn.ctl")


def when_ready(server):
    """Compile every template once in the master, so forked workers share them;
    then move everything built so far out of the garbage collector's reach: a
    worker's collections no longer walk (and copy) the app's long-lived objects."""
    env = server.app.wsgi().jinja_env
    for name in env.list_templates():
        env.get_template(name)
    gc.collect()
    gc.freeze()


def post_worker_init(worker):
    """Each worker runs the retention job's timer and looks for background
    exports (the database picks one runner for each)."""
    from portal.followup import export_jobs
    from portal.platform import scheduler

    scheduler.start(worker.wsgi)
    export_jobs.start(worker.wsgi)
