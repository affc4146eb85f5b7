"""The link kit, paper forms and their import, and assisted entry in the back office (``portal.outreach``)."""
from . import assisted, links, paper  # noqa: F401  (registers the routes)
