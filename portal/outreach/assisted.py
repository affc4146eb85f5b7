"""Sign-up by a cooperative officer beside the member: where, how consent was
given, and by whom. Stored with the first consent event (``collection``)."""
from __future__ import annotations

from .. import consent
from . import paper

CHANNELS = {
    "kantor-cabang": "Kantor cabang",
    "rat": "RAT atau rapat anggota",
    "kunjungan": "Kunjungan ke rumah atau tempat kerja",
}
METHODS = {
    "dibaca-sendiri": "Anggota membaca sendiri dan mencentang",
    "dibacakan": "Petugas membacakan, anggota setuju secara lisan",
    "kertas": "Formulir kertas ditandatangani anggota",
    "cap-jempol": "Formulir kertas dengan cap jempol anggota",
}
# Consent given on paper: the signed or thumb-printed form must have a number.
PAPER_METHODS = ("kertas", "cap-jempol")
IMPORT_CHANNEL = "impor"


def collection(channel: str, method: str, entered_by: str, form_number: str | None) -> dict:
    """How an officer collected a consent, as stored with its first event."""
    record = {"channel": channel, "method": method, "entered_by": entered_by}
    if form_number:
        record["form_number"] = form_number
    return record


def register(*, key: str, values: dict, source: dict, actor: str, channel: str, method: str,
             form_number: str | None):
    """Store the member's interest once; a paper form number is then used up
    (the caller commits)."""
    stored = consent.submit(key=paper.idempotency_key(form_number) if form_number else key,
                            source=source, actor=actor,
                            collection=collection(channel, method, actor, form_number), **values)
    if form_number:
        paper.mark_used(form_number, stored.id)
    return stored
