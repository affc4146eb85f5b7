"""Forms of the RAT record, the berita acara upload and the conversion sheet."""
from __future__ import annotations

import re
from datetime import date

from flask_wtf.file import FileField
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import ValidationError

from kkbc import choices
from kkbc.formatting import number, rupiah

from ... import rat
from ...forms import BaseForm, options
from ...validators import CONTROL, MaxLength, OneOf, PlainText, Required, WholeNumber, parse_month

YES_NO = {"ya": "Ya, kuorum tercapai", "tidak": "Tidak tercapai", "": "Belum diisi"}
MAX_PEOPLE = 1_000_000
MAX_SIGNATORIES = 10


def _number(noun: str, minimum: int = 0, maximum: int = MAX_PEOPLE):
    """An optional whole number (a draft may be incomplete); parsed into ``field.parsed``."""
    checker = WholeNumber(noun, minimum, maximum, number)

    def check(form, field):
        field.parsed = None
        if field.data:
            checker(form, field)
            field.parsed = checker.parse(field.data)
    return check


def _no_controls(noun: str):
    def check(form, field):
        if field.data and CONTROL.search(re.sub(r"[\n\r\t]", "", field.data)):
            raise ValidationError(f"{noun} berisi karakter yang tidak bisa dicetak. Ketik ulang tanpa menempel")
    return check


class RatForm(BaseForm):
    """A draft RAT record; every field may stay empty until the record is finalised."""

    tahun_buku = StringField("Tahun buku", validators=[Required("Tulis tahun buku, misalnya 2026"),
                                                       _number("tahun buku", 2020, 2100)])
    tanggal = StringField("Tanggal RAT")
    tempat = StringField("Tempat RAT", validators=[MaxLength("Tempat", 200), PlainText("Tempat")])
    agenda = TextAreaField("Acara RAT", validators=[MaxLength("Acara RAT", 1000), _no_controls("Acara RAT")])
    usulan = TextAreaField("Teks usulan keputusan", validators=[MaxLength("Teks usulan", 10_000),
                                                                _no_controls("Teks usulan")])
    batas = RadioField("Yang diperbolehkan keputusan ini", choices=options(rat.ALLOWANCES), validate_choice=False,
                       validators=[Required("Pilih yang diperbolehkan keputusan ini"),
                                   OneOf(rat.ALLOWANCES, "Pilih dari daftar")])
    batas_nilai = StringField("Batas per anggota (persen atau rupiah)")
    program = RadioField("Perlindungan yang dibayar", choices=options(choices.PACKAGES), validate_choice=False,
                         validators=[Required("Pilih perlindungan"), OneOf(choices.PACKAGES, "Pilih dari daftar")])
    hadir = StringField("Anggota yang hadir", validators=[_number("jumlah yang hadir")])
    kuorum_aturan = StringField("Aturan kuorum menurut AD/ART", validators=[
        MaxLength("Aturan kuorum", 300), PlainText("Aturan kuorum")])
    kuorum = RadioField("Apakah kuorum tercapai?", choices=options(YES_NO), validate_choice=False,
                        validators=[OneOf(YES_NO, "Pilih dari daftar")])
    setuju = StringField("Suara setuju", validators=[_number("jumlah suara setuju")])
    tidak_setuju = StringField("Suara tidak setuju", validators=[_number("jumlah suara tidak setuju")])
    abstain = StringField("Abstain (tidak memilih)", validators=[_number("jumlah abstain")])
    tidak_sah = StringField("Suara tidak sah", validators=[_number("jumlah suara tidak sah")])
    hasil = RadioField("Hasil keputusan", choices=options({**rat.OUTCOMES, "": "Belum diputuskan"}),
                       validate_choice=False, validators=[OneOf({*rat.OUTCOMES, ""}, "Pilih dari daftar")])
    penanda_tangan = TextAreaField("Penanda tangan berita acara", validators=[
        MaxLength("Daftar penanda tangan", 2000), _no_controls("Daftar penanda tangan")])

    def validate_tanggal(self, field):
        """The RAT's date, when given, as a real date."""
        field.parsed = None
        if field.data:
            try:
                field.parsed = date.fromisoformat(field.data)
            except ValueError:
                raise ValidationError("Tulis tanggal RAT seperti 2027-03-13 (tahun-bulan-tanggal)") from None
            if not 2020 <= field.parsed.year <= 2100:
                raise ValidationError("Tanggal RAT tidak masuk akal. Periksa tahunnya")

    def validate_batas_nilai(self, field):
        """The cap's value, read as a percent or an amount as the cap's kind says."""
        field.parsed = None
        kind = self.batas.data
        if kind == "persen":
            field.parsed = _parse(field, WholeNumber("batas persen", 1, 100, lambda n: f"{n}%"))
        elif kind == "rupiah":
            field.parsed = _parse(field, WholeNumber("batas rupiah", 1000, 100_000_000, rupiah))

    def validate_tidak_sah(self, field):
        """No more votes than members present."""
        present = getattr(self.hadir, "parsed", None)
        votes = [getattr(f, "parsed", None) for f in (self.setuju, self.tidak_setuju, self.abstain, field)]
        if present is not None and all(v is not None for v in votes) and sum(votes) > present:
            raise ValidationError("Jumlah suara lebih banyak dari anggota yang hadir. Periksa hitungannya")

    def validate_penanda_tangan(self, field):
        """The signatories, one per line as 'name, role'."""
        field.parsed = []
        for line in (field.data or "").splitlines():
            if not line.strip():
                continue
            name, role = _split(line)
            if not name or not role:
                raise ValidationError("Tulis satu orang per baris: nama, lalu koma, lalu jabatan. "
                                      "Misalnya: Yakobus Jano, Ketua")
            if re.search(r"[<>]", line):
                raise ValidationError("Nama dan jabatan hanya boleh berisi huruf, angka dan tanda baca biasa")
            field.parsed.append({"name": name[:120], "role": role[:120]})
        if len(field.parsed) > MAX_SIGNATORIES:
            raise ValidationError(f"Paling banyak {MAX_SIGNATORIES} penanda tangan")

    def values(self) -> dict:
        """The form's answers as RAT record fields."""
        return {
            "book_year": self.tahun_buku.parsed, "held_on": self.tanggal.parsed,
            "place": self.tempat.data or "", "agenda_item": self.agenda.data or "",
            "proposal": (self.usulan.data or "").replace("\r\n", "\n"),
            "allowance": self.batas.data, "allowance_value": self.batas_nilai.parsed,
            "package": self.program.data, "present": self.hadir.parsed,
            "quorum_rule": self.kuorum_aturan.data or "",
            "quorum_met": {"ya": True, "tidak": False}.get(self.kuorum.data or ""),
            "votes_for": self.setuju.parsed, "votes_against": self.tidak_setuju.parsed,
            "votes_abstain": self.abstain.parsed, "votes_invalid": self.tidak_sah.parsed,
            "outcome": self.hasil.data or None, "signatories": self.penanda_tangan.parsed,
        }

    @classmethod
    def for_record(cls, record, **kwargs):
        """The form filled with a draft record's values."""
        def text(n):
            return "" if n is None else str(n)
        return cls(
            formdata=None, tahun_buku=str(record.book_year),
            tanggal=record.held_on.isoformat() if record.held_on else "", tempat=record.place,
            agenda=record.agenda_item, usulan=record.proposal, batas=record.allowance,
            batas_nilai=text(record.allowance_value), program=record.package, hadir=text(record.present),
            kuorum_aturan=record.quorum_rule,
            kuorum={True: "ya", False: "tidak"}.get(record.quorum_met, ""),
            setuju=text(record.votes_for), tidak_setuju=text(record.votes_against),
            abstain=text(record.votes_abstain), tidak_sah=text(record.votes_invalid),
            hasil=record.outcome or "",
            penanda_tangan="\n".join(f"{s['name']}, {s['role']}" for s in record.signatories or []), **kwargs)


def _split(line: str) -> list[str]:
    name, _, role = line.strip().partition(",")
    return [name.strip(), role.strip()]


def _parse(field, checker: WholeNumber) -> int:
    value = checker.parse(field.data)
    if value is None or not checker.minimum <= value <= checker.maximum:
        raise ValidationError(checker.message)
    return value


class NewRatForm(BaseForm):
    tahun_buku = StringField("Tahun buku", validators=[Required("Tulis tahun buku, misalnya 2026"),
                                                       _number("tahun buku", 2020, 2100)])


class CorrectionForm(BaseForm):
    alasan = TextAreaField("Alasan koreksi", validators=[
        Required("Tulis alasan koreksi, misalnya: jumlah suara salah hitung"),
        MaxLength("Alasan koreksi", 1000), _no_controls("Alasan koreksi")])


class FinaliseForm(BaseForm):
    """The one confirmation before a record becomes final; without a scan, the reason why."""

    tanpa_scan = TextAreaField("Alasan belum ada scan berita acara", validators=[
        MaxLength("Alasan", 500), _no_controls("Alasan")])

    def __init__(self, *args, has_scan: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_scan = has_scan

    def validate_tanpa_scan(self, field):
        """Without a signed scan, the reason why."""
        if not self.has_scan and not (field.data or "").strip():
            raise ValidationError("Unggah dulu scan berita acara yang sudah ditandatangani, atau tulis "
                                  "alasan mengapa belum ada, misalnya: berita acara masih ditandatangani pengawas")


class ScanForm(BaseForm):
    berkas = FileField("Scan atau foto berita acara yang sudah ditandatangani (PDF, JPEG atau PNG)")


class SheetForm(BaseForm):
    berkas = FileField("Daftar SHU anggota (CSV atau XLSX)")
    mulai = StringField("Iuran dibayar mulai bulan")
    bentuk = RadioField("Hasil", choices=options({"layar": "Tampilkan di layar (bisa dicetak)",
                                                  "xlsx": "Unduh XLSX (Excel)",
                                                  "csv": "Unduh CSV: cepat untuk daftar yang sangat panjang "
                                                         "(hanya lembar konversi)"}),
                        validate_choice=False, default="layar",
                        validators=[OneOf({"layar", "xlsx", "csv"}, "Pilih bentuk hasil")])

    def validate_mulai(self, field):
        """The first month of cover, as 2027-04."""
        parse_month(field)
