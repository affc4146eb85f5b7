"""The handover to BPJS, its answer, and cover in the back office (``portal.bpjs``)."""
from . import cover_views, views  # noqa: F401  (registers the routes)
