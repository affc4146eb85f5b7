"""Following up the members who signed up: the statuses and recorded changes
(``statuses``), the list with its filters and pages (``queries``), its
exports (``exports``) and the dashboard's counts and chart (``stats``,
``chart``). Import from here: ``from portal import followup``."""
from .statuses import ENROLLED, LIVE_STATES, NEW, SHU_SHORT, STATUSES, can_contact, change, contactable, history

__all__ = [
    "chart", "export_jobs", "exports", "figures", "queries", "stats", "statuses",
    "ENROLLED", "LIVE_STATES", "NEW", "SHU_SHORT", "STATUSES", "can_contact", "change", "contactable", "history",
]
