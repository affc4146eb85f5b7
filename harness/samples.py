"""A member's valid submission: the form's fields as sent, and as typed into the page."""
from __future__ import annotations

from bs4 import BeautifulSoup

VALID = {
    "nama": "Maria Goreti",
    "nomor_hp": "0812 3456 7890",
    "koperasi": "pintu-air",
    "koperasi_lain": "",
    "nomor_anggota": "PA-01234",
    "kabupaten": "53.07",
    "pekerjaan": "penenun",
    "usia_18": "y",
    "program": "jkk-jkm",
    "shu": "setuju",
    "shu_cara": "persen",
    "shu_persen": "50",
    "shu_rupiah": "",
    "shu_bulan": "",
    "kontak": ["whatsapp"],
    "setuju_dihubungi": "y",
    "setuju_data": "y",
}


def hidden_fields(html: str) -> dict:
    """The csrf_token and formulir token of a rendered form."""
    page = BeautifulSoup(html, "html.parser")
    return {name: page.select_one(f'input[name="{name}"]')["value"]
            for name in ("csrf_token", "formulir")}


def fill_valid_form(page, phone="0812 3456 7890", cooperative=True):
    """Fill the form in a Playwright page the way a member does: by labels, not selectors."""
    page.get_by_label("Nama lengkap").fill("Maria Goreti")
    page.get_by_label("Nomor HP").fill(phone)
    page.get_by_label("Kabupaten atau kota tempat tinggal").select_option("53.07")
    page.get_by_label("Penenun atau perajin").check()
    page.get_by_label("Saya berumur 18 tahun atau lebih").check()
    if cooperative:  # the officer's form has the cooperative already
        page.get_by_label("Koperasi", exact=True).select_option("pintu-air")
    page.get_by_label("Kecelakaan kerja dan kematian (JKK + JKM)").check()
    page.get_by_label("Setuju sebagian SHU saya dipakai untuk iuran").check()
    page.get_by_label("Sebagian SHU, dalam persen").check()
    page.get_by_label("Persen dari SHU").fill("50")
    page.get_by_label("WhatsApp").check()
    page.get_by_label("Saya setuju dihubungi lewat cara yang saya pilih").check()
    page.get_by_label("Saya setuju data saya diolah untuk keperluan ini").check()
