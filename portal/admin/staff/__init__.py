"""Logging in and out, passwords and staff accounts in the back office (``portal.staff``)."""
from . import views  # noqa: F401  (registers the routes)
