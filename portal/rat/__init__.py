"""The RAT: a cooperative's decision on SHU for contributions (``record``:
draft, final, corrections, the notice members see), the printable pack
(``pack``), the signed berita acara (``documents``), the conversion sheet
for finance staff (``conversion``) and the campaign view across
cooperatives (``campaign``). Import from here: ``from portal import rat``."""
from .record import (
    ACCEPTED, ALLOWANCES, DRAFT, FINAL, OUTCOMES, POSTPONED, REJECTED, STATUS_LABELS, Notice, RatError, asks_shu,
    attach_scan, converts_shu, correct, decision_text, decisions, default_book_year, finalise, first_month_after,
    get, in_force, is_draft, is_final, latest, latest_per_cooperative, missing_for_final, new_draft, notice,
    open_blanks, printed_parts, records, replaced_by, sheet_applies, update_draft,
)

__all__ = [
    "campaign", "conversion", "documents", "pack", "record",
    "ACCEPTED", "ALLOWANCES", "DRAFT", "FINAL", "OUTCOMES", "POSTPONED", "REJECTED", "STATUS_LABELS", "Notice",
    "RatError", "asks_shu", "attach_scan", "converts_shu", "correct", "decision_text", "decisions",
    "default_book_year", "finalise", "first_month_after", "get", "in_force", "is_draft", "is_final", "latest",
    "latest_per_cooperative", "missing_for_final", "new_draft", "notice", "open_blanks", "printed_parts",
    "records", "replaced_by", "sheet_applies", "update_draft",
]
