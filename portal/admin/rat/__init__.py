"""The RAT record, its pack, the conversion sheet and the campaign view in the back office (``portal.rat``)."""
from . import views  # noqa: F401  (registers the routes)
