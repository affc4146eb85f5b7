"""Answers typed on the public form stay on the phone through a reload, never
with the consent boxes ticked, and are gone after a successful submission."""
import json

import pytest

from harness.samples import fill_valid_form

pytestmark = pytest.mark.browser
KEY = "kkbc-isian:/k/pintu-air"


def saved(page):
    return page.evaluate(f"window.localStorage.getItem('{KEY}')")


def test_reload_restores_and_submission_clears(page, live_server):
    page.goto(live_server + "/k/pintu-air")
    requests = []
    page.on("request", lambda r: requests.append((r.method, r.url)))
    note = page.locator("[data-isian-catatan]")
    assert "disimpan di HP ini saja" in note.inner_text()
    fill_valid_form(page, phone="0812 5555 6666")
    # Nothing leaves the phone before Kirim (the browser may still fetch the site's icon).
    assert [r for r in requests if r[0] != "GET" or "/assets/" not in r[1]] == []
    assert "0812 5555 6666" in saved(page)

    page.reload()
    assert page.get_by_label("Nama lengkap").input_value() == "Maria Goreti"
    assert page.get_by_label("Nomor HP").input_value() == "0812 5555 6666"
    assert page.get_by_label("Kabupaten atau kota tempat tinggal").input_value() == "53.07"
    assert page.get_by_label("Penenun atau perajin").is_checked()
    assert page.get_by_label("Persen dari SHU").input_value() == "50"
    assert page.get_by_label("WhatsApp").is_checked()
    # Consent is given afresh each time: never restored as ticked.
    for label in ("Saya berumur 18 tahun atau lebih", "Saya setuju dihubungi lewat cara yang saya pilih",
                  "Saya setuju data saya diolah untuk keperluan ini"):
        assert not page.get_by_label(label).is_checked()
    assert "setuju_data" not in saved(page)
    # Opened afresh (not the browser's own reload memory), the answers are still there.
    page.goto(live_server + "/k/pintu-air")
    assert page.get_by_label("Nama lengkap").input_value() == "Maria Goreti"

    page.get_by_label("Saya berumur 18 tahun atau lebih").check()
    page.get_by_label("Saya setuju dihubungi lewat cara yang saya pilih").check()
    page.get_by_label("Saya setuju data saya diolah untuk keperluan ini").check()
    page.get_by_role("button", name="Kirim").click()
    page.wait_for_url("**/daftar/selesai/**")
    page.wait_for_load_state("load")
    assert saved(page) is None
    page.goto(live_server + "/k/pintu-air")
    assert page.get_by_label("Nama lengkap").input_value() == ""


def test_hapus_isian_and_a_day_old_copy_are_gone(page, live_server):
    page.goto(live_server + "/k/pintu-air")
    page.get_by_label("Nama lengkap").fill("Yohanes Bosco")
    page.get_by_role("button", name="Hapus isian").click()
    assert page.get_by_label("Nama lengkap").input_value() == ""
    assert saved(page) is None

    old = {"t": 0, "v": {"nama": "Yohanes Bosco"}}
    page.evaluate(f"window.localStorage.setItem('{KEY}', {json.dumps(json.dumps(old))})")
    page.reload()
    assert page.get_by_label("Nama lengkap").input_value() == ""
    assert saved(page) is None
