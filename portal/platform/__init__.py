"""What every feature runs on: time in WITA (``clock``), logs without private
links (``logs``), security headers (``security``), the built site
(``static_site``), limits on URLs (``request_limits``), the form's rate limit
and the counters' storages (``rate_limits``, ``shared_limits``), gunicorn's
own error pages (``server_pages``), the database connection (``database``),
extensions' hooks confined to their blueprints (``blueprint_hooks``),
/healthz (``status``), uploaded files (``uploads``), files sent to be saved
(``downloads``), long lists a page at a time (``paging``), backups, restores
and retention (``backups``) and the jobs that run by themselves
(``scheduler``). Other packages import the modules
from here: ``from portal.platform import clock``."""
from .clock import WITA, local_time

__all__ = [
    "WITA", "local_time", "backups", "blueprint_hooks", "clock", "database", "downloads", "logs", "paging",
    "rate_limits", "request_limits", "scheduler", "security", "server_pages", "shared_limits", "static_site",
    "status", "uploads",
]
