"""Nobody lapses unnoticed: members whose cover ends within the next two
months, and those whose cover has ended, per cooperative, with a WhatsApp link
that opens the officer's own WhatsApp (nothing is sent by the server).

After three unpaid months participation becomes non-active, and JKM pays only
for a death during active participation (FACTS.md, "Questions members ask
first"), so the list starts two months ahead.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from sqlalchemy import func, select

from kkbc import choices, data
from kkbc.rates import Month

from ..staff import audit
from .. import consent
from ..extensions import db
from ..models import AuditEntry, CoverPeriod, Submission
from . import cover

WARN_MONTHS = 2
SHOWN = 200  # members a list shows on one page; the rest are counted
MARK_ACTION = "tanda_perlindungan"
REMINDED, PAYS_THEMSELVES = "diingatkan", "bayar_sendiri"
MARKS = {REMINDED: "Sudah diingatkan", PAYS_THEMSELVES: "Lanjut bayar sendiri"}


@dataclass
class Row:
    submission: Submission
    until: Month
    lapsed: bool
    programme: str
    whatsapp: str | None
    reason: str | None  # why there is no WhatsApp link
    mark: str | None  # the latest mark for this cover's end, if any
    unconfirmed: list[CoverPeriod]

    @property
    def callable_phone(self) -> bool:
        """Staff may call or text this member (they agreed to be contacted)."""
        return consent.rules.can_contact(self.submission.state, self.submission.choices)


def message(submission: Submission, until: Month, lapsed: bool, programme: str) -> str:
    """The prefilled WhatsApp text, short and plain."""
    name = (submission.name or "").split(" ")[0]
    coop = data.cooperatives()[submission.cooperative].short_name
    after = until.next().label()
    if lapsed:
        return (f"Halo {name}, perlindungan BPJS Ketenagakerjaan ({programme}) Anda lewat {coop} sudah berakhir "
                f"{until.label()}. Setelah 3 bulan tidak dibayar, kepesertaan tidak aktif. Bayar lagi agar "
                "terlindungi, atau setujui SHU untuk iuran di RAT berikutnya. Tanya kami kalau perlu bantuan.")
    return (f"Halo {name}, perlindungan BPJS Ketenagakerjaan ({programme}) Anda lewat {coop} berlaku sampai "
            f"{until.label()}. Agar tetap terlindungi, bayar sendiri mulai {after}, atau setujui SHU untuk iuran "
            "di RAT berikutnya. Cek di aplikasi JMO atau telepon 175.")


def _no_link_reason(submission: Submission) -> str | None:
    if not consent.rules.can_contact(submission.state, submission.choices):
        return "Tidak setuju dihubungi: ingatkan lewat koperasi, misalnya saat datang ke kantor"
    if not submission.phone:
        return "Tidak ada nomor HP"
    chosen = submission.choices.get("kontak") or []
    if "whatsapp" not in chosen:
        ways = ", ".join(choices.CONTACT_CHANNELS.get(c, c) for c in chosen) or "cara lain"
        return f"Tidak memilih WhatsApp: minta dihubungi lewat {ways}"
    return None


def _marks(*members) -> dict[int, dict]:
    """Each member's latest mark (from the audit log, where marks are recorded),
    for the members these conditions on Submission select: a join, not a list
    of every covered member's id."""
    latest: dict[int, dict] = {}
    for entry in db.session.scalars(select(AuditEntry).join(Submission, AuditEntry.submission_id == Submission.id)
                                    .where(AuditEntry.action == MARK_ACTION, *members).order_by(AuditEntry.id)):
        latest[entry.submission_id] = entry.detail or {}
    return latest


class Listed(list):
    """The rows shown, soonest first, and how many members the list holds in all."""

    total = 0


def rows(cooperative: str, now: Month | None = None, limit: int | None = SHOWN) -> tuple[Listed, Listed]:
    """(ending within two months, already ended) for one cooperative, soonest
    first: the first ``limit`` of each as rows to act on (None: every one), and
    how many each holds. The database picks and counts them (a cooperative may
    have 50,000 members with cover); only the rows shown are read whole."""
    now = now or cover.this_month()
    counted = (Submission.cooperative == cooperative, consent.counted(), Submission.state != consent.ERASED)
    # Each member's last confirmed month, for those within the lists' window,
    # as plain rows ("YYYY-MM": text order is month order).
    last = func.max(CoverPeriod.last)
    this, soon = str(now), str(cover.add_months(now, WARN_MONTHS))
    due = db.session.execute(select(CoverPeriod.submission_id, last)
                             .join(Submission, CoverPeriod.submission_id == Submission.id)
                             .where(*counted, CoverPeriod.confirmed).group_by(CoverPeriod.submission_id)
                             .having(last <= soon)).all()
    ending_all = sorted((month, member) for member, month in due if month >= this)
    ended_all = sorted(((month, member) for member, month in due if month < this), reverse=True)
    ending_ids = [member for _, member in ending_all[:limit]]
    ended_ids = [member for _, member in ended_all[:limit]]
    ending_total, ended_total = len(ending_all), len(ended_all)
    shown = Submission.id.in_(ending_ids + ended_ids)
    found = cover.all_periods(shown) if ending_ids or ended_ids else {}
    members = {s.id: s for s in db.session.scalars(select(Submission).where(shown))}
    marks = _marks(shown) if members else {}
    ending, ended = Listed(), Listed()
    ending.total, ended.total = ending_total, ended_total
    for submission_id in ending_ids + ended_ids:
        periods = found[submission_id]
        last_month = cover.until(periods)
        submission, lapsed = members[submission_id], last_month < now
        programme = cover.PROGRAMME_WORDS.get(periods[-1].programme, "JKK dan JKM")
        reason = _no_link_reason(submission)
        link = None if reason else (f"https://wa.me/{submission.phone.lstrip('+')}?text="
                                    + quote(message(submission, last_month, lapsed, programme)))
        mark = marks.get(submission_id, {})
        row = Row(submission, last_month, lapsed, programme, link, reason,
                  mark.get("tanda") if mark.get("sampai") == str(last_month) else None,
                  [p for p in periods if not p.confirmed])
        (ended if lapsed else ending).append(row)
    return ending, ended


def mark(submission: Submission, kind: str, actor: str, user_id: int | None, address: str | None) -> None:
    """Record "sudah diingatkan" or "lanjut bayar sendiri" as an audited event (the caller commits)."""
    if kind not in MARKS:
        raise ValueError(kind)
    last = cover.until(cover.periods(submission.id))
    audit.record(MARK_ACTION, actor=actor, user_id=user_id, cooperative=submission.cooperative,
                 submission_id=submission.id, detail={"tanda": kind, "sampai": str(last) if last else None},
                 address=address)


def confirm(period: CoverPeriod, actor: str) -> None:
    """Staff checked with BPJS (JMO, 175 or the branch) that the member's own payment is there."""
    period.confirmed = True
    period.created_by = actor[:40]
