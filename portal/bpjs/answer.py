"""BPJS's answer to a handover: per member (by NIK or member number) the KPJ
number, registered or refused with the reason, the payment code and amount
for the batch, and later the months paid.

The column names of a branch's file are chosen once and remembered on the
branch. An import is previewed first, matches only the members of that batch
(so of that cooperative), lists every row it cannot match, and applying the
same file twice changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kkbc.formatting import parse_rupiah, rupiah

from ..rat import conversion
from ..platform import uploads
from ..models import HandoverBatch, utcnow
from . import cover, handover, nik as nik_rules, registration, vault

MAX_BYTES = 1024 * 1024
MAX_ROWS = 5000
FIELDS = {
    "nik": "NIK",
    "nomor_anggota": "Nomor anggota koperasi",
    "kpj": "Nomor KPJ",
    "status": "Status",
    "alasan": "Alasan",
    "kode_iuran": "Kode iuran",
    "jumlah": "Jumlah iuran",
    "bulan_dibayar": "Bulan dibayar",
}
REGISTERED, REFUSED = "terdaftar", "ditolak"
RESULT_LABELS = {REGISTERED: "Terdaftar", REFUSED: "Ditolak"}
# How branches write the outcome; anything else is a problem of that row.
STATUS_WORDS = {
    "terdaftar": REGISTERED, "diterima": REGISTERED, "berhasil": REGISTERED, "aktif": REGISTERED, "ya": REGISTERED,
    "ditolak": REFUSED, "gagal": REFUSED, "tidak": REFUSED, "tolak": REFUSED,
}
UNMATCHED = "Tidak cocok dengan anggota di daftar ini"


def mapping(batch: HandoverBatch) -> dict[str, str]:
    """The branch's remembered column names, our own names where none was chosen."""
    return {key: (batch.branch.answer_columns or {}).get(key) or label for key, label in FIELDS.items()}


@dataclass
class Change:
    member: handover.Member
    values: dict
    row: int

    @property
    def changed(self) -> bool:
        """BPJS's answer differs from what is recorded for the member."""
        entry, reg = self.member.entry, self.member.registration
        current = {"result": entry.result, "reason": entry.reason, "payment_code": entry.payment_code,
                   "payment_amount": entry.payment_amount, "months_paid": entry.months_paid,
                   "kpj": reg.kpj if reg else None}
        return any(current[k] != v for k, v in self.values.items())


@dataclass
class Preview:
    changes: list[Change] = field(default_factory=list)
    unmatched: list[tuple[int, str]] = field(default_factory=list)
    problems: list[tuple] = field(default_factory=list)

    @property
    def to_apply(self) -> list[Change]:
        """The changes that change something."""
        return [c for c in self.changes if c.changed]


def _values(number: int, row: dict, problems: list) -> dict | None:
    """What one row says, checked; None (with its problems noted) when it cannot be used."""
    values, before = {}, len(problems)
    if row.get("kpj"):
        kpj = registration.normalise_kpj(row["kpj"])
        if kpj is None:
            problems.append((number, FIELDS["kpj"], "Nomor KPJ hanya berisi angka (paling banyak 20)"))
        values["kpj"] = kpj
    if row.get("status"):
        result = STATUS_WORDS.get(row["status"].strip().lower())
        if result is None:
            problems.append((number, FIELDS["status"], "Status harus terdaftar atau ditolak"))
        values["result"] = result
    if row.get("alasan"):
        values["reason"] = row["alasan"][:200]
    if row.get("kode_iuran"):
        values["payment_code"] = row["kode_iuran"][:40]
    for key, target, limit in (("jumlah", "payment_amount", 10**10), ("bulan_dibayar", "months_paid", 120)):
        if row.get(key):
            value = parse_rupiah(row[key])
            if value is None or value > limit:
                problems.append((number, FIELDS[key], f"{FIELDS[key]} harus berupa angka utuh"))
            values[target] = value
    if values.get("result") == REFUSED and "kpj" in values:
        problems.append((number, FIELDS["kpj"], "Anggota yang ditolak tidak punya nomor KPJ"))
    return values if len(problems) == before else None


def preview(batch: HandoverBatch, content: bytes, columns: dict[str, str]) -> Preview:
    """Read BPJS's file against this batch, changing nothing."""
    table = uploads.read_table(content, columns, max_rows=MAX_ROWS, max_bytes=MAX_BYTES)
    out = Preview(problems=[tuple(p) for p in table.problems])
    if table.rows and not any(k in columns for k in ("nik", "nomor_anggota")):
        out.problems.append((None, None, "Pilih kolom NIK atau nomor anggota"))
        return out
    listed = [m for m in handover.members(batch) if m.entry.kind == handover.HANDED]
    by_hash = {m.registration.nik_hash: m for m in listed if m.registration}
    by_number = {conversion.normalise_member_number(m.submission.member_number or ""): m
                 for m in listed if m.submission.member_number}
    for number, row in table.rows:
        member = None
        if row.get("nik"):
            member = by_hash.get(vault.keyed_hash(nik_rules.normalise(row["nik"])))
        elif row.get("nomor_anggota"):
            member = by_number.get(conversion.normalise_member_number(row["nomor_anggota"]))
        if member is None:
            # Foreign or unknown alike: a row never says whose it might be.
            out.unmatched.append((number, UNMATCHED))
            continue
        values = _values(number, row, out.problems)
        if values is not None:
            out.changes.append(Change(member, values, number))
    return out


def apply(preview_: Preview) -> int:
    """Write what changed; the number of members changed (the caller audits and commits)."""
    now, changes = utcnow(), preview_.to_apply
    for change in changes:
        entry, reg = change.member.entry, change.member.registration
        for name, value in change.values.items():
            if name == "kpj":
                if reg is not None:
                    reg.kpj = value
            else:
                setattr(entry, name, value)
        entry.answered_at = now
    # Registered with months paid is cover: kept in step with every answer applied.
    cover.record_answer([change.member.entry for change in changes], actor="jawaban BPJS")
    return len(changes)


def describe(values: dict) -> str:
    """A row's effect in a few words, for the preview (KPJ masked)."""
    parts = []
    if values.get("result"):
        parts.append(RESULT_LABELS[values["result"]])
    if values.get("kpj"):
        parts.append(f"KPJ {registration.mask_kpj(values['kpj'])}")
    if values.get("reason"):
        parts.append(f"alasan: {values['reason']}")
    if values.get("payment_code"):
        parts.append(f"kode iuran {values['payment_code']}")
    if values.get("payment_amount") is not None:
        parts.append(rupiah(values["payment_amount"]))
    if values.get("months_paid") is not None:
        parts.append(f"{values['months_paid']} bulan dibayar")
    return ", ".join(parts)
