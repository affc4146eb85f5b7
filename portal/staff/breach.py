"""What a breach notice must say was exposed (UU 27/2022 Art. 46): from the
audit log, who viewed or exported which members' personal data in a window.

``exposure`` is a pure row generator over the log; ``flask --app portal
audit exposure`` writes it as CSV (README, "When personal data may have leaked").
"""
from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import datetime, timezone
from typing import Iterator

import click
from flask.cli import AppGroup
from sqlalchemy import select

from . import audit
from ..platform import WITA, local_time
from ..consent import format_receipt_code
from ..extensions import db
from ..models import AuditEntry, Submission

# Entries that put members' personal data in front of someone: one member's
# page or record, a list, an export, the berita acara scan (names and
# signatures), the conversion sheet (names and amounts).
EXPOSING = ("lihat_data", "unduh_bukti", "lihat_daftar", "ekspor_csv", "ekspor_xlsx",
            "rat_berkas_unduh", "lembar_konversi")
COLUMNS = ("waktu_wita", "akun", "alamat", "tindakan", "koperasi", "kode_tanda_terima", "baris", "rincian")


def exposure(since: datetime, until: datetime) -> Iterator[dict]:
    """One row per exposing audit entry in [since, until), oldest first."""
    query = (select(AuditEntry, Submission.receipt_code)
             .outerjoin(Submission, Submission.id == AuditEntry.submission_id)
             .where(AuditEntry.action.in_(EXPOSING), AuditEntry.created_at >= since,
                    AuditEntry.created_at < until)
             .order_by(AuditEntry.created_at, AuditEntry.id))
    for entry, code in db.session.execute(query):
        yield {"waktu_wita": local_time(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
               "akun": entry.actor, "alamat": entry.address or "", "tindakan": audit.ACTIONS[entry.action],
               "koperasi": entry.cooperative or "semua", "kode_tanda_terima": format_receipt_code(code) if code else "",
               "baris": "" if entry.rows is None else entry.rows,
               "rincian": json.dumps(entry.detail or {}, ensure_ascii=False, sort_keys=True)}


def summary(rows: list[dict]) -> list[str]:
    """Lines for the notice: entries per account, members seen one by one, rows exported."""
    lines = [f"{len(rows)} entries in the window"]
    for actor, count in sorted(Counter(r["akun"] for r in rows).items()):
        mine = [r for r in rows if r["akun"] == actor]
        members = sorted({r["kode_tanda_terima"] for r in mine if r["kode_tanda_terima"]})
        exported = sum(r["baris"] or 0 for r in mine if r["baris"] != "")
        cooperatives = sorted({r["koperasi"] for r in mine})
        lines.append(f"{actor}: {count} entries; cooperatives {', '.join(cooperatives)}; "
                     f"{len(members)} member(s) one by one; {exported} row(s) in lists and exports")
    return lines


def _moment(text: str) -> datetime:
    """A date or date and time as staff write it, in WITA unless it says otherwise."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r}: write it as 2026-12-01 or 2026-12-01T14:30")
    return (moment if moment.tzinfo else moment.replace(tzinfo=WITA)).astimezone(timezone.utc)


audit_cli = AppGroup("audit", help="Read the audit log.")


@audit_cli.command("exposure")
@click.option("--since", required=True, help="Start of the window (WITA), e.g. 2026-12-01 or 2026-12-01T14:30.")
@click.option("--until", default=None, help="End of the window (WITA, not included); default now.")
def exposure_command(since, until):
    """List who viewed or exported members' data in a window, as CSV (for a breach notice)."""
    start, end = _moment(since), _moment(until) if until else datetime.now(timezone.utc)
    if end <= start:
        raise click.BadParameter("--until must come after --since")
    rows = list(exposure(start, end))
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    click.echo(out.getvalue(), nl=False)
    for line in summary(rows):
        click.echo(line, err=True)
