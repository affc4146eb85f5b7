"""The export row generator and writers, without Flask: hostile cells are inert,
phone numbers stay readable, and what goes in comes back out."""
import csv
import io
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from portal.followup import exports

HOSTILE = [
    "=HYPERLINK(\"http://jahat.example\",\"klik\")",
    "+62 lalu =1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]


def member(**changes):
    fields = dict(
        receipt_code="ACDEFHJK", created_at=datetime(2026, 11, 24, 23, 30, tzinfo=timezone.utc),
        name="Maria Goreti", phone="+6281234567890", member_number="PA-01234",
        cooperative="pintu-air", cooperative_other=None, kabupaten="53.07", occupation="penenun",
        choices={"program": "jkk-jkm", "shu": "setuju", "shu_cara": "persen", "shu_nilai": 50,
                 "setuju_dihubungi": True, "kontak": ["whatsapp", "sms"]},
        state="aktif", source={"jalur": "tautan", "kampanye": "buletin-mei"},
        follow_up_status="dihubungi", notice_version="2026-11-24", duplicate_of_id=None, events=[])
    fields["updated_at"] = fields["created_at"]
    fields.update(changes)
    return SimpleNamespace(**fields)


def csv_rows(members) -> list[list[str]]:
    text = "".join(exports.csv_chunks(exports.rows(members)))
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_sheet(members):
    data = b"".join(exports.xlsx_chunks(exports.rows(members)))
    return load_workbook(io.BytesIO(data)).active


@pytest.mark.parametrize("value", HOSTILE)
def test_formula_starters_are_neutralised(value):
    assert exports.neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Maria", "62812", "Rp150.000", "", "  =1 (spasi di depan)", "Kab. Sikka"])
def test_ordinary_text_is_left_alone(value):
    assert exports.neutralise(value) == value


def test_one_row_with_indonesian_labels():
    [row] = exports.rows([member()], {"pintu-air": "Diterima (RAT 13 Maret 2027)"})
    assert dict(zip(exports.HEADERS, row)) == {
        "Kode tanda terima": "ACDE-FHJK",
        "Tanggal daftar (WITA)": datetime(2026, 11, 25, 7, 30),
        "Nama": "Maria Goreti", "Nomor HP": "+6281234567890", "Nomor anggota": "PA-01234",
        "Koperasi": "KSP Kopdit Pintu Air", "Kabupaten/kota": "Kabupaten Sikka",
        "Pekerjaan": "Penenun atau perajin", "Perlindungan": "Kecelakaan kerja dan kematian (JKK + JKM)",
        "Pilihan SHU": "Setuju", "Bentuk SHU": "Sebagian SHU, dalam persen", "Nilai SHU": 50,
        "Setuju dihubungi": "Ya", "Cara menghubungi": "WhatsApp, SMS", "Kode kampanye": "buletin-mei",
        "Status persetujuan": "Aktif", "Status tindak lanjut": "Sudah dihubungi",
        "Versi pemberitahuan privasi": "2026-11-24",
        "Didaftarkan oleh petugas": "", "Keputusan RAT yang berlaku": "Diterima (RAT 13 Maret 2027)",
    }


def test_erased_and_withdrawn_members_carry_no_contact_data():
    erased, withdrawn = exports.rows([
        member(state="dihapus", name=None, phone=None, member_number=None,
               cooperative="lainnya", cooperative_other=None),
        member(state="ditarik", choices={"shu": "tidak", "setuju_dihubungi": False, "kontak": []}),
    ])
    headers = exports.HEADERS
    assert erased[headers.index("Nama")] == "" and erased[headers.index("Nomor HP")] == ""
    assert erased[headers.index("Status persetujuan")] == "Data dihapus"
    assert withdrawn[headers.index("Nomor HP")] == ""
    assert withdrawn[headers.index("Setuju dihubungi")] == "Tidak"
    assert withdrawn[headers.index("Status persetujuan")] == "Semua persetujuan ditarik"


def test_csv_round_trip_with_hostile_cells():
    long_note = "Panjang " * 5000
    members = [member(name=value, member_number=value) for value in HOSTILE]
    members += [member(name="Baris satu\nbaris dua, \"kutip\"", cooperative="lainnya",
                       cooperative_other=long_note),
                member(name="Ñoño Ŋgada 🌾 ᬅᬓ᭄ᬱᬭ", phone="+6285238004455")]
    rows = csv_rows(members)
    assert rows[0] == exports.HEADERS
    name, number = exports.HEADERS.index("Nama"), exports.HEADERS.index("Nomor anggota")
    for value, row in zip(HOSTILE, rows[1:]):
        assert row[name] == "'" + value and row[number] == "'" + value
    assert rows[-2][name] == "Baris satu\nbaris dua, \"kutip\""
    assert rows[-2][exports.HEADERS.index("Koperasi")] == long_note[:exports.MAX_CELL - 1]
    assert rows[-1][name] == "Ñoño Ŋgada 🌾 ᬅᬓ᭄ᬱᬭ"
    assert all(len(r) == len(exports.HEADERS) for r in rows)


def test_csv_phone_numbers_are_readable_and_inert():
    [_, row] = csv_rows([member()])
    assert row[exports.HEADERS.index("Nomor HP")] == "0812-3456-7890"
    assert row[exports.HEADERS.index("Tanggal daftar (WITA)")] == "2026-11-25 07:30"


def test_a_phone_cell_that_is_not_a_number_is_neutralised_too():
    [_, row] = csv_rows([member(phone="+1+1")])
    assert row[exports.HEADERS.index("Nomor HP")] == "'+1+1"


def test_xlsx_round_trip_with_hostile_cells():
    members = [member(name=value) for value in HOSTILE]
    members.append(member(name="Ñoño 🌾\nbaris dua", cooperative="lainnya", cooperative_other="x" * 40000))
    members.append(member(name="kontrol\x00\x07\x1b di dalam"))
    sheet = xlsx_sheet(members)
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == exports.HEADERS
    name = exports.HEADERS.index("Nama")
    for value, row in zip(HOSTILE, rows[1:]):
        # A CR is written as the format's escape _x000D_, which Excel reads back as CR (openpyxl does not).
        assert row[name].replace("_x000D_", "\r") == "'" + value
    assert rows[-2][name] == "Ñoño 🌾\nbaris dua"
    assert len(rows[-2][exports.HEADERS.index("Koperasi")]) == exports.MAX_CELL - 1
    assert rows[-1][name] == "kontrol di dalam"
    # Not one cell is a formula.
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_xlsx_phone_is_a_text_cell_in_e164():
    sheet = xlsx_sheet([member()])
    cell = sheet.cell(row=2, column=exports.HEADERS.index("Nomor HP") + 1)
    assert cell.value == "+6281234567890" and cell.data_type == "s"
    when = sheet.cell(row=2, column=2)
    assert when.value == datetime(2026, 11, 25, 7, 30) and when.is_date
    assert sheet.cell(row=2, column=exports.HEADERS.index("Nilai SHU") + 1).value == 50


def test_writers_stream_in_chunks():
    many = (member(receipt_code=f"ACDE{n:04d}") for n in range(3000))
    chunks = list(exports.csv_chunks(exports.rows(many)))
    assert len(chunks) > 3 and all(len(c) < 2 * exports.CHUNK for c in chunks)
    assert sum(c.count("\n") for c in chunks) == 3001


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_any_text_survives_csv_and_is_never_a_formula(text):
    [_, row] = csv_rows([member(name=text)])
    cell = row[exports.HEADERS.index("Nama")]
    assert not cell.startswith(exports.FORMULA_STARTERS)
    cleaned = exports.neutralise(text)
    assert cell == cleaned.replace("\r\n", "\n").replace("\r", "\n") or cell == cleaned


def test_completed_closes_with_the_row_count_or_says_where_time_ran_out():
    rows = [[n] for n in range(1200)]
    assert list(exports.completed(rows, 1200, deadline=10, clock=lambda: 0))[-1] == [
        "Akhir berkas: 1.200 baris data. Berkas ini lengkap."]
    ticks = iter([0, 0, 11])  # the deadline passes at the third check, after 1,000 rows
    cut = list(exports.completed(rows, 1200, deadline=10, clock=lambda: next(ticks)))
    assert cut[:-1] == rows[:1000]
    assert cut[-1][0].startswith("BERKAS TIDAK LENGKAP: hanya 1.000 dari 1.200 baris")
