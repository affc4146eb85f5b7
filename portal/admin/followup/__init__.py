"""The dashboard, the follow-up list, its exports and the audit log in the back office (``portal.followup``)."""
from . import views  # noqa: F401  (registers the routes)
