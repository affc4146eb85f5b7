"""The member's registration data for BPJS and their cover, on their private page (``portal.bpjs``)."""
from . import cover_views, views  # noqa: F401  (registers the routes)
