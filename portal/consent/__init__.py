"""The consent domain: the rules of a submission (``rules``), storing and
changing it (``records``), showing it (``presenter``) and its signed proof
(``proof``), and members' phone numbers (``phone``). Import from here:
``from portal import consent``; ``rules``, ``proof`` and ``phone`` are public
modules of it too."""
from ..platform import WITA, local_time
from .presenter import events, member_status, present
from .records import (
    ACTION_FUNCTIONS, agreeing_to_shu, check_signature, cooperative_key, correct, counted, erase, find,
    find_by_code_and_phone, format_receipt_code, idempotency_key, link_signature, live, mark_duplicate,
    new_receipt_code, normalise_receipt_code, notice_version, perform, possible_duplicate, record_event, same_phone,
    submit, unmark_duplicate, withdraw_all, withdraw_shu,
)
from .rules import (
    ACTIONS, ACTIVE, ERASED, EVENT_LABELS, LIVE_STATES, SHU_SHORT, SHU_WITHDRAWN, STATE_LABELS,
    WITHDRAWN, available_actions,
)

__all__ = [
    "intake", "phone", "proof", "rules", "record_event", "agreeing_to_shu", "live",
    "WITA", "local_time", "events", "member_status", "present", "ACTION_FUNCTIONS", "check_signature",
    "cooperative_key", "correct", "counted", "erase", "find", "find_by_code_and_phone",
    "format_receipt_code", "idempotency_key", "link_signature", "mark_duplicate", "new_receipt_code",
    "normalise_receipt_code", "notice_version", "perform", "possible_duplicate", "same_phone", "submit",
    "unmark_duplicate", "withdraw_all", "withdraw_shu", "ACTIONS", "ACTIVE", "ERASED", "EVENT_LABELS",
    "LIVE_STATES", "SHU_SHORT", "SHU_WITHDRAWN", "STATE_LABELS", "WITHDRAWN", "available_actions",
]
