"""The RAT record: a cooperative's decision on SHU for contributions, from a
draft proposal to a final record, corrected only by a new version.

Views call these functions; each change is audited by the caller in the same
transaction (``access.record``), so a change and its trace commit together.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, func, select

from kkbc import data
from kkbc.formatting import long_date, rupiah
from kkbc.rates import Month

from ..extensions import db
from ..platform import database
from ..models import RatRecord, utcnow

DRAFT, FINAL = "draf", "final"
STATUS_LABELS = {DRAFT: "Draf", FINAL: "Final"}
ACCEPTED, REJECTED, POSTPONED = "diterima", "ditolak", "ditunda"
OUTCOMES = {ACCEPTED: "Diterima", REJECTED: "Ditolak", POSTPONED: "Ditunda"}
ALLOWANCES = {
    "pilihan": "Sesuai pilihan tiap anggota",
    "persen": "Paling banyak sekian persen SHU tiap anggota",
    "rupiah": "Paling banyak sekian rupiah per anggota",
}
# Fields staff fill in on the draft form, in the order of the form.
FIELDS = ("book_year", "held_on", "place", "agenda_item", "proposal", "allowance", "allowance_value",
          "package", "present", "quorum_rule", "quorum_met", "votes_for", "votes_against",
          "votes_abstain", "votes_invalid", "outcome", "signatories")
# What must be filled in before a record can be final.
REQUIRED_FOR_FINAL = {
    "held_on": "tanggal RAT", "place": "tempat RAT", "proposal": "teks usulan",
    "present": "jumlah anggota yang hadir", "quorum_met": "apakah kuorum tercapai",
    "votes_for": "jumlah suara setuju", "votes_against": "jumlah suara tidak setuju",
    "votes_abstain": "jumlah suara abstain", "votes_invalid": "jumlah suara tidak sah",
    "outcome": "hasil keputusan", "signatories": "penanda tangan berita acara",
}


NO_SCAN = ("Belum bisa final. Unggah scan berita acara yang sudah ditandatangani, "
           "atau tulis alasan mengapa scan belum ada")


class RatError(ValueError):
    """A change the record's state does not allow, in words for staff."""


def _fill(template: str, cooperative_name: str, year: int) -> str:
    return template.replace("[NAMA KOPERASI]", cooperative_name).replace("[TAHUN]", str(year))


def proposal_text(cooperative_name: str, year: int) -> str:
    """The site's draft decision text (data/rat.yml) as plain text, for one cooperative and year."""
    d = data.rat()["decision"]
    parts = ["\n".join(d["heading"]), d["opening"],
             "Menimbang:\n" + "\n".join(f"- {c}" for c in d["considering"]),
             "Mengingat:\n" + "\n".join(f"- {r}" for r in d["recalling"]), "MEMUTUSKAN:",
             "\n".join(f"{n}. {p}" for n, p in enumerate(d["points"], 1)), "\n".join(d["closing"])]
    return _fill("\n\n".join(parts), cooperative_name, year)


def agenda_text(cooperative_name: str, year: int) -> str:
    """The RAT agenda item, filled in for a cooperative and year."""
    return _fill(data.rat()["agenda_item"], cooperative_name, year)


# The draft text's [brackets] that the record itself answers, each with the
# words for what it means when the record does not know it yet.
BLANKS = {"[tanggal]": "tanggal", "[tempat]": "tempat", "[...] persen": "batas SHU per anggota",
          "[JKK dan JKM / JKK, JKM dan JHT]": "program", "[bulan dan tahun]": "bulan pertama iuran",
          "[nama dan tanda tangan]": "nama pimpinan rapat"}
BRACKET = re.compile(r"\[[^\[\]\n]{1,120}\]")
PACKAGE_WORDS = {"jkk-jkm": "JKK dan JKM", "jkk-jkm-jht": "JKK, JKM dan JHT"}


def _answers(record: RatRecord) -> dict[str, str]:
    """What the record says for each bracket it can fill (nothing for what it does not know yet)."""
    out = {}
    if record.held_on:
        out["[tanggal]"] = long_date(record.held_on)
        out["[bulan dan tahun]"] = first_month_after(record).label()
    if record.place:
        out["[tempat]"] = record.place
    if record.allowance == "persen" and record.allowance_value:
        out["[...] persen"] = f"{record.allowance_value} persen"
    elif record.allowance == "rupiah" and record.allowance_value:
        out["[...] persen"] = rupiah(record.allowance_value)
    elif record.allowance == "pilihan":
        out["paling banyak [...] persen"] = "sebesar pilihan anggota itu, sampai 100 persen"
    if record.package in PACKAGE_WORDS:
        out["[JKK dan JKM / JKK, JKM dan JHT]"] = PACKAGE_WORDS[record.package]
    # The chair signs the decision: the signatory named as such, else the first one.
    signatories = record.signatories or []
    chair = next((s["name"] for s in signatories if re.search(r"(?i)pimpin|ketua", s.get("role", ""))),
                 signatories[0]["name"] if signatories else None)
    if chair:
        out["[nama dan tanda tangan]"] = chair
    return out


def decision_text(record: RatRecord) -> str:
    """The decision text with every bracket the record answers filled from the record,
    so it follows the record's date, place, share and programme as they change."""
    text = record.proposal or ""
    for blank, answer in sorted(_answers(record).items(), key=lambda pair: -len(pair[0])):
        text = text.replace(blank, answer)
    return text


def open_blanks(text: str) -> list[str]:
    """The brackets still in a text, in order, each once."""
    return list(dict.fromkeys(BRACKET.findall(text)))


def printed_parts(text: str) -> list[tuple[str, bool]]:
    """The text cut into (words, is_blank): a blank is printed as a line to write on, with its hint."""
    parts, at = [], 0
    for found in BRACKET.finditer(text):
        parts.append((text[at:found.start()], False))
        hint = BLANKS.get(found.group(0), found.group(0)[1:-1])
        parts.append((hint, True))
        at = found.end()
    parts.append((text[at:], False))
    return [p for p in parts if p[0]]


def default_book_year(today: date) -> int:
    """RATs from February to June decide on the book year that just ended."""
    return today.year - 1 if today.month <= 6 else today.year


def new_draft(cooperative: str, book_year: int, actor: str) -> RatRecord:
    """A first draft for a book year, starting from the site's proposal text."""
    name = data.cooperatives()[cooperative].name
    if latest(cooperative, book_year) is not None:
        raise RatError(f"Catatan RAT tahun buku {book_year} sudah ada. Buka catatan itu untuk mengubahnya")
    record = RatRecord(cooperative=cooperative, book_year=book_year, version=1, status=DRAFT,
                       agenda_item=agenda_text(name, book_year), proposal=proposal_text(name, book_year),
                       signatories=[], created_by=actor, created_at=utcnow(), updated_at=utcnow())
    db.session.add(record)
    db.session.flush()
    return record


def update_draft(record: RatRecord, values: dict) -> list[str]:
    """Apply the form's values to a draft; returns the names of the fields that changed."""
    if not is_draft(record):
        raise RatError("Catatan RAT yang sudah final tidak bisa diubah. Buat koreksi dengan alasannya")
    changed = []
    for name in FIELDS:
        if name in values and getattr(record, name) != values[name]:
            if name == "book_year" and values[name] != record.book_year:
                if record.version > 1 or latest(record.cooperative, values[name]) is not None:
                    raise RatError(f"Catatan RAT tahun buku {values[name]} sudah ada")
            setattr(record, name, values[name])
            changed.append(name)
    if changed:
        record.updated_at = utcnow()
    return changed


def missing_for_final(record: RatRecord) -> list[str]:
    """What is still empty, in words, before the record can be final."""
    missing = [noun for name, noun in REQUIRED_FOR_FINAL.items()
               if getattr(record, name) in (None, "", [])]
    if record.allowance in ("persen", "rupiah") and not record.allowance_value:
        missing.append("batas SHU per anggota")
    return missing


def finalise(record: RatRecord, actor: str, scan_missing_reason: str = "") -> None:
    """Make a draft final: everything filled, no bracket left, and the signed scan
    or a reason why there is none (kept and printed on the record)."""
    if not is_draft(record):
        raise RatError("Catatan RAT ini sudah final")
    missing = missing_for_final(record)
    if missing:
        raise RatError("Belum bisa final. Isi dulu: " + ", ".join(missing))
    text = decision_text(record)
    blanks = open_blanks(text)
    if blanks:
        raise RatError("Belum bisa final. Teks keputusan masih berisi bagian dalam kurung siku: "
                       + ", ".join(blanks) + ". Ganti dengan keputusan RAT")
    reason = (scan_missing_reason or "").strip()
    if not record.scan_sha256 and not reason:
        raise RatError(NO_SCAN)
    record.scan_missing_reason = None if record.scan_sha256 else reason
    record.proposal = text  # the signed record keeps the words as they were decided
    record.status = FINAL
    record.finalised_at = utcnow()
    record.finalised_by = actor


def correct(record: RatRecord, reason: str, actor: str) -> RatRecord:
    """A new draft version of a final record, with the reason; the old one stays in force
    until the correction is final."""
    if not is_final(record):
        raise RatError("Hanya catatan final yang dikoreksi. Draf bisa langsung diubah")
    if latest(record.cooperative, record.book_year).id != record.id:
        raise RatError("Sudah ada versi yang lebih baru. Koreksi versi terbaru")
    copy = RatRecord(cooperative=record.cooperative, book_year=record.book_year,
                     version=record.version + 1, replaces_id=record.id, correction_reason=reason,
                     status=DRAFT, created_by=actor, created_at=utcnow(), updated_at=utcnow(),
                     **{name: getattr(record, name) for name in FIELDS if name != "book_year"})
    # The old scan is signed for the old text: the correction needs its own, newly signed.
    copy.signatories = [dict(s) for s in record.signatories or []]
    db.session.add(copy)
    db.session.flush()
    return copy


def attach_scan(record: RatRecord, content: bytes, kind: str, digest: str) -> None:
    """Keep the signed berita acara with a draft (the caller commits)."""
    if not is_draft(record):
        raise RatError("Catatan final tidak bisa diubah. Buat koreksi untuk menambah berkas")
    record.scan, record.scan_type, record.scan_sha256, record.scan_size = content, kind, digest, len(content)
    record.updated_at = utcnow()


def is_draft(record: RatRecord) -> bool:
    """Still a draft: staff may edit it; members see nothing of it."""
    return record.status == DRAFT


def is_final(record: RatRecord) -> bool:
    """Finalised: the RAT's decision as recorded, changed only by a correction."""
    return record.status == FINAL


def converts_shu(record: RatRecord) -> bool:
    """A final record of a RAT that accepted paying contributions from SHU."""
    return is_final(record) and record.outcome == ACCEPTED


def sheet_applies(record: RatRecord) -> bool:
    """A conversion sheet may be made from this record: it converts SHU and is
    the record in force for its cooperative and book year (not a replaced version)."""
    if not converts_shu(record):
        return False
    current = in_force(record.cooperative, record.book_year)
    return current is not None and current.id == record.id


def get(record_id: int) -> RatRecord | None:
    """A RAT record by its id."""
    return db.session.get(RatRecord, record_id)


def latest(cooperative: str, book_year: int) -> RatRecord | None:
    """The newest version for a book year, draft or final."""
    return db.session.scalar(select(RatRecord).where(
        RatRecord.cooperative == cooperative, RatRecord.book_year == book_year)
        .order_by(RatRecord.version.desc()).limit(1))


def _in_force(*columns):
    return (select(*columns).where(RatRecord.cooperative == bindparam("cooperative"), RatRecord.status == FINAL)
            .order_by(RatRecord.book_year.desc(), RatRecord.version.desc()).limit(1))


def in_force(cooperative: str, book_year: int | None = None) -> RatRecord | None:
    """The final record that applies: the newest final version of the newest
    book year with one (or of the given book year)."""
    query = _in_force(RatRecord)
    if book_year is not None:
        query = query.where(RatRecord.book_year == book_year)
    return db.session.scalar(query, {"cooperative": cooperative})


# Every form page and submission asks what members are told: one statement,
# built once, of the table's columns it needs (not the ORM entity).
_NOTICE = _in_force(*(RatRecord.__table__.c[name] for name in (
    "book_year", "held_on", "package", "outcome", "allowance", "allowance_value")))


# What a member's submission is checked against: only the outcome, read on
# the driver's cursor (the form page's full notice goes through SQLAlchemy).
_OUTCOME = database.Prepared(_in_force(RatRecord.__table__.c.outcome))


def asks_shu(cooperative: str | None, connection=None) -> bool:
    """Whether the form asks about SHU for this cooperative's members: not
    after the RAT in force said "ditolak" (``Notice.asks_shu``)."""
    if cooperative not in data.cooperatives():
        return True
    row = _OUTCOME.first(connection or db.session.connection(), {"cooperative": cooperative})
    return row is None or row[0] != REJECTED


def records(cooperative: str) -> list[RatRecord]:
    """Every version of every book year, newest first."""
    return list(db.session.scalars(select(RatRecord).where(RatRecord.cooperative == cooperative)
                                   .order_by(RatRecord.book_year.desc(), RatRecord.version.desc())))


def latest_per_cooperative() -> dict[str, RatRecord]:
    """For the campaign view: each cooperative's newest version of its newest book year."""
    newest = (select(RatRecord.cooperative, func.max(RatRecord.book_year * 1000 + RatRecord.version).label("k"))
              .group_by(RatRecord.cooperative).subquery())
    rows = db.session.scalars(select(RatRecord).join(
        newest, (RatRecord.cooperative == newest.c.cooperative)
        & (RatRecord.book_year * 1000 + RatRecord.version == newest.c.k)))
    return {r.cooperative: r for r in rows}


def replaced_by(records: list[RatRecord]) -> dict[int, int]:
    """For each version a final correction replaced: the number of the version that replaced it."""
    return {r.replaces_id: r.version for r in records if r.replaces_id and is_final(r)}


def first_month_after(record: RatRecord) -> Month:
    """Contributions paid from the SHU start the month after the RAT."""
    held = record.held_on
    return Month(held.year, held.month).next()


@dataclass(frozen=True)
class Notice:
    """What members are told about their cooperative's RAT decision, in plain words."""

    title: str
    sentences: tuple[str, ...]
    outcome: str
    short: str
    cap_percent: int | None = None  # the RAT's ceiling per member, when it set one
    cap_rupiah: int | None = None

    @property
    def asks_shu(self) -> bool:
        """After "ditolak" there is no SHU conversion this year: the form asks only for interest."""
        return self.outcome != REJECTED

    def capped(self, chosen: dict | None) -> str:
        """A sentence for a member whose chosen share is above the RAT's ceiling (else empty):
        the choice stands, but the cooperative converts no more than the ceiling."""
        kind, value = (chosen or {}).get("shu_cara"), (chosen or {}).get("shu_nilai")
        if self.outcome == REJECTED or not isinstance(value, int):
            return ""
        if kind == "persen" and self.cap_percent and value > self.cap_percent:
            return (f"Anda memilih {value}% SHU. Menurut keputusan RAT, koperasi memakai paling banyak "
                    f"{self.cap_percent}% SHU tiap anggota untuk iuran; sisanya dibayar tunai.")
        if kind == "rupiah" and self.cap_rupiah and value > self.cap_rupiah:
            return (f"Anda memilih {rupiah(value)}. Menurut keputusan RAT, koperasi memakai paling banyak "
                    f"{rupiah(self.cap_rupiah)} SHU tiap anggota untuk iuran; sisanya dibayar tunai.")
        return ""


def _allowed(record) -> str:
    if record.allowance == "persen" and record.allowance_value:
        return f" (paling banyak {record.allowance_value}% SHU tiap anggota)"
    if record.allowance == "rupiah" and record.allowance_value:
        return f" (paling banyak {rupiah(record.allowance_value)} per anggota)"
    return ""


def notice(cooperative: str | None, connection=None) -> Notice | None:
    """The decision in force for a cooperative's members, or None before any
    final record; read on ``connection`` (the session's by default)."""
    if cooperative not in data.cooperatives():
        return None
    record = (connection or db.session.connection()).execute(_NOTICE, {"cooperative": cooperative}).first()
    if record is None:
        return None
    name = data.cooperatives()[cooperative].short_name
    held = long_date(record.held_on)
    rat = f"RAT Kopdit {name} tahun buku {record.book_year} pada {held}"
    package = data.rates()["packages"][record.package]["label"]
    short = f"{OUTCOMES[record.outcome]} (RAT {held})"
    caps = {"cap_percent": record.allowance_value if record.allowance == "persen" else None,
            "cap_rupiah": record.allowance_value if record.allowance == "rupiah" else None}
    if record.outcome == ACCEPTED:
        return Notice(f"Keputusan RAT Kopdit {name}", (
            f"{rat} menyetujui: anggota boleh memakai sebagian SHU{_allowed(record)} untuk membayar iuran {package}.",
            "Keputusan ini tidak mewajibkan Anda. SHU Anda hanya dipakai kalau Anda sendiri setuju, "
            "dan Anda bisa menarik persetujuan kapan saja."), record.outcome, short, **caps)
    if record.outcome == REJECTED:
        return Notice(f"Keputusan RAT Kopdit {name}", (
            f"{rat} tidak menyetujui usul memakai SHU untuk iuran.",
            "Jadi tahun ini tidak ada SHU yang dipakai untuk iuran: SHU Anda dibayar seperti biasa. "
            "Anda tetap bisa mendaftar minat perlindungan BPJS Ketenagakerjaan dan membayar iurannya sendiri."),
            record.outcome, short)
    return Notice(f"Keputusan RAT Kopdit {name}", (
        f"{rat} menunda keputusan tentang memakai SHU untuk iuran.",
        "Pilihan Anda tentang SHU tetap dicatat, tetapi baru dipakai kalau RAT nanti menyetujuinya. "
        "Anda tetap memutuskan sendiri."), record.outcome, short, **caps)


def decisions() -> dict[str, str]:
    """Each cooperative's decision in force, in a few words, for lists and exports."""
    out = {}
    for slug in data.cooperatives():
        found = notice(slug)
        out[slug] = found.short if found else "Belum ada keputusan RAT"
    return out
