"""The person members can ask at each cooperative, as printed on its posters."""
from __future__ import annotations

from ..extensions import db
from ..models import CooperativeContact, utcnow


def get(cooperative: str) -> CooperativeContact | None:
    """The cooperative's contact person, if set."""
    return db.session.get(CooperativeContact, cooperative)


def save(cooperative: str, *, name: str, phone: str, place: str, user_id: int) -> list[str]:
    """Set the contact; returns the names of the fields that changed (the caller audits and commits)."""
    contact = get(cooperative)
    if contact is None:
        contact = CooperativeContact(cooperative=cooperative, name="", phone="", place="")
        db.session.add(contact)
    new = {"name": name, "phone": phone or "", "place": place or ""}
    changed = [field for field, value in new.items() if getattr(contact, field) != value]
    for field, value in new.items():
        setattr(contact, field, value)
    contact.updated_at, contact.updated_by = utcnow(), user_id
    return changed
