"""Acting as a member who gives their registration data for BPJS."""
from __future__ import annotations

from tests.actions import submit
from tests.conftest import soup

# Valid NIKs of NTT kabupaten that agree with the dates and sexes below.
ANA_NIK = "5307014508850001"     # Sikka, a woman born 5 August 1985
BENI_NIK = "5310011703900002"    # Manggarai, a man born 17 March 1990
REGISTRATION = {"nama_ktp": "Ana Maria Goreti", "tanggal_lahir": "05-08-1985", "jenis_kelamin": "P",
                "nomor_hp": "0812 3456 7890", "pekerjaan": "penenun", "kabupaten": "53.07",
                "program": "jkk-jkm", "penghasilan": "1.500.000", "setuju_bpjs": "y", "nik": ANA_NIK}


def private_page(client, path="/k/pintu-air", **answers) -> str:
    """Sign up through the form; the member's private page path."""
    response = submit(client, path, **answers)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return response.headers["Location"].replace("/daftar/selesai/", "/kelola/")


def give_registration(client, page: str, **changes):
    """Fill in the registration page as the member does."""
    form = soup(client.get(page + "/bpjs"))
    data = {**REGISTRATION, "csrf_token": form.select_one('input[name="csrf_token"]')["value"]}
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return client.post(page + "/bpjs", data=data)
