"""The form over HTTP: PRG, status codes, kept values, idempotency, consent."""
import re
import threading
import time
from unittest.mock import patch

import pytest
from limits import parse
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import func, select

from portal import consent
from portal.extensions import db, limiter
from portal.platform.rate_limits import SweptMemoryStorage
from portal.models import ConsentEvent, Submission
from tests.actions import VALID, add_campaign_code, open_form, post_form, submit
from tests.conftest import soup


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def receipt_path(response):
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    path = response.headers["Location"]
    assert re.fullmatch(r"/daftar/selesai/[A-Z0-9]{8}/[0-9a-f]{32}", path)
    return path


def test_form_page(client):
    response = client.get("/daftar/")
    assert response.status_code == 200
    page = soup(response)
    assert page.html["lang"] == "id"
    assert page.title.text.startswith("Daftar minat")
    for box in page.select('input[type="checkbox"]'):
        assert not box.has_attr("checked"), box["name"]
    assert page.select_one('a[href="/privasi/"]')
    # One same-origin deferred script (keeping answers on the phone), nothing inline.
    assert [(s["src"], s.has_attr("defer"), s.string) for s in page.select("script")] == [
        ("/portal-static/isian.js", True, None)]


def test_cooperative_preselected_by_query(client):
    page = soup(client.get("/daftar/?koperasi=obor-mas"))
    assert page.select_one('#koperasi option[selected]')["value"] == "obor-mas"


def test_submit_redirects_to_receipt(client, app):
    response = submit(client)
    path = receipt_path(response)
    page = soup(client.get(path))
    code = page.select_one(".portal-code--big").text
    assert re.fullmatch(r"[ACDEFHJKMNPQRTUVWXY3479]{4}-[ACDEFHJKMNPQRTUVWXY3479]{4}", code)
    assert "WITA" in page.select_one(".portal-summary").text
    assert page.select_one('a[href^="https://wa.me/?text="]')
    assert page.select_one('a[href$="/cetak"]')
    manage = page.select_one('a[href^="/kelola/"]')["href"]
    assert client.get(manage).status_code == 200
    with app.app_context():
        submission = db.session.scalar(select(Submission))
        assert submission.phone == "+6281234567890"
        assert submission.name == "Maria Goreti"
        assert [e.kind for e in submission.events] == ["diberikan"]
        assert submission.events[0].notice_version == consent.notice_version()


def test_errors_keep_values_and_follow_the_pattern(client, app):
    response = submit(client, nomor_hp="0380 821234", setuju_data=None)
    assert response.status_code == 400
    page = soup(response)
    assert page.title.text.startswith("Galat: ")
    summary = [a["href"] for a in page.select(".portal-error-summary a")]
    assert summary == ["#nomor_hp", "#setuju_data"]
    assert page.select_one("#nomor_hp-error").text.strip().endswith("Tulis nomor HP, misalnya 0812 3456 7890")
    assert page.select_one("#nomor_hp")["value"] == "0380 821234"
    assert page.select_one("#nama")["value"] == VALID["nama"]
    assert page.select_one('#koperasi option[selected]')["value"] == "pintu-air"
    assert page.select_one('input[name="pekerjaan"][value="penenun"]').has_attr("checked")
    assert page.select_one('input[name="kontak"][value="whatsapp"]').has_attr("checked")
    assert not page.select_one("#setuju_data").has_attr("checked")
    assert count(app, Submission) == 0


def test_double_submit_stores_one_record_and_shows_the_same_receipt(client, app):
    tokens = open_form(client)
    first = receipt_path(post_form(client, tokens))
    second = receipt_path(post_form(client, tokens))
    assert first == second
    assert count(app, Submission) == 1
    assert count(app, ConsentEvent) == 1


def test_going_back_and_changing_an_answer_on_the_same_page_is_a_new_record(client, app):
    # The form key alone proves nothing: on a shared phone the next person can
    # press Back. Only the same key with the same answers is a retry.
    tokens = open_form(client)
    first = receipt_path(post_form(client, tokens))
    second = receipt_path(post_form(client, tokens, shu="tidak"))
    assert first != second
    assert receipt_path(post_form(client, tokens, shu="tidak")) == second
    assert count(app, Submission) == 2


def test_same_phone_same_cooperative_is_a_new_record(client, app):
    first = receipt_path(submit(client))
    second = receipt_path(submit(client, nomor_hp="+62 812-3456-7890", shu="belum"))
    assert first != second
    with app.app_context():
        rows = db.session.scalars(select(Submission).order_by(Submission.id)).all()
        assert [[e.kind for e in r.events] for r in rows] == [["diberikan"], ["diberikan"]]
        assert [r.choices["shu"] for r in rows] == ["setuju", "belum"]


def test_same_phone_other_cooperative_is_another_interest(client, app):
    receipt_path(submit(client))
    receipt_path(submit(client, koperasi="obor-mas"))
    assert count(app, Submission) == 2


def test_expired_session_keeps_values_with_a_friendly_message(app):
    client = app.test_client()
    tokens = open_form(client)
    client.delete_cookie("session")  # the phone dropped its cookies, or the session expired
    response = post_form(client, tokens, nama="Yohanes")
    assert response.status_code == 400
    page = soup(response)
    assert "terlalu lama terbuka" in page.select_one(".portal-error-summary").text
    assert page.select_one("#nama")["value"] == "Yohanes"
    assert not page.select(".portal-field-error")
    # Sending again from the re-rendered page works.
    again = post_form(client, {"csrf_token": page.select_one('input[name="csrf_token"]')["value"],
                               "formulir": page.select_one('input[name="formulir"]')["value"]},
                      nama="Yohanes")
    receipt_path(again)


def test_expired_csrf_token_keeps_values(app):
    app.config["WTF_CSRF_TIME_LIMIT"] = -1  # every token is already too old
    client = app.test_client()
    response = submit(client, nama="Yosef")
    assert response.status_code == 400
    assert soup(response).select_one("#nama")["value"] == "Yosef"
    assert count(app, Submission) == 0


def test_forged_form_token_stores_nothing(client, app):
    tokens = open_form(client)
    response = post_form(client, {**tokens, "formulir": tokens["formulir"][:-3] + "AAA"})
    assert response.status_code == 400
    assert count(app, Submission) == 0


def test_honeypot_stores_nothing(client, app):
    response = submit(client, situs_web="http://spam.example")
    assert response.status_code == 400
    assert count(app, Submission) == 0


def test_too_fast_is_refused(app):
    app.config["FORM_MIN_SECONDS"] = 60
    response = submit(app.test_client())
    assert response.status_code == 400
    assert "terlalu cepat" in soup(response).select_one(".portal-error-summary").text
    assert count(app, Submission) == 0


def test_rate_limit(app):
    app.config["FORM_RATE_LIMIT"] = "3 per minute"
    client = app.test_client()
    responses = [submit(client, nomor_hp=f"0812 3456 78{i:02d}") for i in range(4)]
    assert [r.status_code for r in responses] == [303, 303, 303, 429]
    assert responses[-1].headers["Retry-After"] == "60"  # the minute's window
    assert "Terlalu banyak percobaan" in responses[-1].get_data(as_text=True)
    assert count(app, Submission) == 3


def test_every_rate_limit_counts_and_the_one_reached_says_when_to_come_back(app):
    app.config["FORM_RATE_LIMIT"] = "5 per minute;2 per hour"  # as production's "30 per minute;300 per hour"
    client = app.test_client()
    responses = [submit(client, nomor_hp=f"0812 3456 78{i:02d}") for i in range(3)]
    assert [r.status_code for r in responses] == [303, 303, 429]
    assert responses[-1].headers["Retry-After"] == "3600"  # the hour's window, not the minute's
    assert count(app, Submission) == 2


def test_in_memory_limits_expire_exactly_and_sweep_with_one_thread(app):
    """Without Redis, counters live in the worker (SweptMemoryStorage): a full
    window refuses, the next window allows again, and a burst of new
    addresses does not start a thread per hit."""
    storage = limiter.storage
    assert isinstance(storage, SweptMemoryStorage)
    window = FixedWindowRateLimiter(storage)
    second = parse("2 per 1 second")
    assert [window.hit(second, "203.0.113.7") for _ in range(3)] == [True, True, False]
    time.sleep(1.05)
    assert window.hit(second, "203.0.113.7")
    started = []
    original = threading.Thread.start
    with patch.object(threading.Thread, "start", lambda self: (started.append(self), original(self))[1]):
        for i in range(10):  # over 0.2 s: the stock storage would start about ten
            window.hit(second, f"198.51.100.{i}")
            time.sleep(0.02)
    assert len(started) <= 1


@pytest.mark.parametrize("path", ["/k/swasti-sari", "/k/swasti-sari/rat-2026"])
def test_cooperative_links_open_the_form_directly(client, app, path):
    add_campaign_code(app, "swasti-sari", "rat-2026")
    response = client.get(path + "?utm_source=whatsapp&utm_medium=grup")
    assert response.status_code == 200
    assert soup(response).select_one('#koperasi option[selected]')["value"] == "swasti-sari"
    receipt_path(submit(client, path=path + "?utm_source=whatsapp", koperasi="swasti-sari"))
    with app.app_context():
        source = db.session.scalar(select(Submission)).source
    assert source["koperasi"] == "swasti-sari"
    assert source["utm"] == {"utm_source": "whatsapp"}
    assert source.get("kampanye") == ("rat-2026" if path.endswith("rat-2026") else None)


def test_first_source_is_kept(client, app):
    add_campaign_code(app, "obor-mas", "poster-kantor")
    add_campaign_code(app, "obor-mas", "buletin-mei")
    receipt_path(submit(client, path="/k/obor-mas/poster-kantor", koperasi="obor-mas"))
    with app.app_context():
        submission = db.session.scalar(select(Submission))
        code = submission.receipt_code
        sig = consent.link_signature(code)
    # A correction from the private link keeps the source that brought the member in.
    page = soup(client.get(f"/kelola/{code}/{sig}/ubah"))
    form = {i["name"]: i.get("value", "") for i in page.select("form input[name]") if i.get("type") not in ("radio", "checkbox")}
    response = client.post(f"/kelola/{code}/{sig}/ubah", data={**VALID, **form, "shu": "tidak"})
    assert response.status_code == 303
    with app.app_context():
        submission = db.session.scalar(select(Submission))
        assert submission.source["kampanye"] == "poster-kantor"
        assert [e.source.get("kampanye") for e in submission.events] == ["poster-kantor", "poster-kantor"]


def test_codes_typed_in_capitals_from_paper_still_attribute(client, app):
    add_campaign_code(app, "sangosay", "rat-2026")
    receipt_path(submit(client, path="/k/sangosay/RAT-2026", koperasi="sangosay"))
    with app.app_context():
        assert db.session.scalar(select(Submission)).source["kampanye"] == "rat-2026"


def test_retired_codes_still_attribute(client, app):
    from datetime import datetime, timezone

    from portal.models import CampaignCode

    add_campaign_code(app, "sangosay", "poster-lama")
    with app.app_context():
        db.session.scalar(select(CampaignCode)).retired_at = datetime.now(timezone.utc)
        db.session.commit()
    assert client.get("/k/sangosay/poster-lama").status_code == 200


@pytest.mark.parametrize("path, way_on", [
    ("/k/koperasi-hantu", "/daftar/"),  # no such cooperative: the plain form
    ("/k/swasti-sari/KODE<script>", "/k/swasti-sari"),  # a bad code: the cooperative's own link
    ("/k/swasti-sari/kode-tak-dikenal", "/k/swasti-sari"),
    ("/k/obor-mas/rat-2026", "/k/obor-mas"),  # another cooperative's code
])
def test_unknown_links_are_friendly(client, app, path, way_on):
    add_campaign_code(app, "swasti-sari", "rat-2026")
    response = client.get(path)
    assert response.status_code == 404
    assert soup(response).select_one('a.md-button--primary')["href"] == way_on


def manage_link(client):
    receipt = client.get(receipt_path(submit(client)))
    return soup(receipt).select_one('a[href^="/kelola/"]')["href"]


def do(client, link, action):
    confirm = client.get(f"{link}/{action}")
    assert confirm.status_code == 200
    token = soup(confirm).select_one('input[name="csrf_token"]')["value"]
    response = client.post(f"{link}/{action}", data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["Location"] == link
    return soup(client.get(link))


def test_withdraw_shu_then_all(client, app):
    link = manage_link(client)
    page = do(client, link, "tarik-shu")
    assert "Persetujuan SHU Anda sudah ditarik." in page.text
    page = do(client, link, "tarik-semua")
    assert "Semua persetujuan ditarik" in page.select_one(".portal-summary").text
    with app.app_context():
        submission = db.session.scalar(select(Submission))
        assert [e.kind for e in submission.events] == ["diberikan", "shu_ditarik", "ditarik"]
        assert submission.choices["setuju_data"] is False
        assert submission.events[0].choices["shu"] == "setuju"  # the past is not edited


def test_erasure_leaves_no_personal_data_and_an_intact_history(client, app):
    link = manage_link(client)
    page = do(client, link, "hapus")
    assert "Maria" not in page.text and "0812" not in page.text
    with app.app_context():
        submission = db.session.scalar(select(Submission))
        assert (submission.name, submission.phone, submission.member_number) == (None, None, None)
        assert submission.state == "dihapus"
        assert [e.kind for e in submission.events] == ["diberikan", "dihapus"]
        for event in submission.events:
            flat = repr((event.choices, event.source))
            assert "Maria" not in flat and "3456" not in flat and "PA-01234" not in flat
    # The same phone can sign up again afterwards.
    receipt_path(submit(client))
    assert count(app, Submission) == 2


def test_manage_link_with_a_wrong_signature_is_not_found(client):
    link = manage_link(client)
    assert client.get(link[:-4] + "0000").status_code == 404


def lookup(client, code, phone):
    page = soup(client.get("/kelola/"))
    token = page.select_one('input[name="csrf_token"]')["value"]
    return client.post("/kelola/", data={"csrf_token": token, "kode": code, "nomor_hp": phone})


def test_lookup_by_code_and_phone(client):
    link = manage_link(client)
    code = link.split("/")[2]
    response = lookup(client, f"{code[:4].lower()}-{code[4:].lower()}", "+62 812 3456 7890")
    assert response.status_code == 303 and response.headers["Location"] == link


@pytest.mark.parametrize("code, phone", [("WRONGCOD", "081234567890"), (None, "081299999999"),
                                         (None, "bukan nomor")])
def test_lookup_failures_share_one_neutral_message(client, code, phone):
    real = manage_link(client).split("/")[2]
    response = lookup(client, code or real, phone)
    assert response.status_code == 400
    assert soup(response).select_one(".portal-error-summary h2").text == "Data tidak ditemukan"


def test_lookup_is_rate_limited(app):
    app.config["LOOKUP_RATE_LIMIT"] = "2 per minute"
    client = app.test_client()
    statuses = [lookup(client, "WRONGCOD", "081234567890").status_code for _ in range(3)]
    assert statuses == [400, 400, 429]


def test_lookup_is_rate_limited_per_receipt_code_across_addresses(app):
    app.config["LOOKUP_RATE_LIMIT"] = "2 per minute"
    client = app.test_client()
    statuses = [client.post("/kelola/", environ_base={"REMOTE_ADDR": f"10.0.0.{i}"},
                            data={"kode": "ACDE-FHJK", "nomor_hp": "081234567890",
                                  "csrf_token": soup(client.get("/kelola/")).select_one(
                                      'input[name="csrf_token"]')["value"]}).status_code
                for i in range(3)]
    assert statuses == [400, 400, 429]
