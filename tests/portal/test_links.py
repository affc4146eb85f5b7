"""Campaign codes and QR codes that decode back to the exact link."""
import io
import re

import pytest
import zxingcpp

from portal.outreach import links


@pytest.mark.parametrize("typed, code, ok", [
    ("rat-2026", "rat-2026", True),
    ("RAT 2026", "rat-2026", True),
    (" poster_kantor_cabang ", "poster-kantor-cabang", True),
    ("buletin--mei", "buletin--mei", False),
    ("-awal", "-awal", False),
    ("x", "x", False),
    ("kode<script>", "kode<script>", False),
    ("a" * 31, "a" * 31, False),
])
def test_codes_are_short_lower_case_and_typable(typed, code, ok):
    assert links.normalise_code(typed) == code
    assert links.valid_code(code) is ok


def decode_png(png: bytes) -> list[str]:
    from PIL import Image

    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_png_qr_code_decodes_to_the_exact_link(sqlite_app):
    url = "https://kerjakerasbebascemas.id/k/pintu-air/rat-2026"
    png = links.qr_png(url)
    assert png.startswith(b"\x89PNG")
    assert decode_png(png) == [url]


def test_svg_qr_code_is_high_correction_and_titled(sqlite_app):
    url = "https://kerjakerasbebascemas.id/k/swasti-sari"
    svg = links.qr_svg(url)
    assert svg.startswith("<svg") and f"<title>Kode QR: {url}</title>" in svg
    assert links.qr(url).error == "H"


def test_links_use_the_public_url(sqlite_app):
    sqlite_app.config["PUBLIC_URL"] = "https://kerjakerasbebascemas.id"
    with sqlite_app.test_request_context():
        assert links.link("obor-mas") == "https://kerjakerasbebascemas.id/k/obor-mas"
        assert links.link("obor-mas", "rat-2026") == "https://kerjakerasbebascemas.id/k/obor-mas/rat-2026"
        text = links.newsletter_paragraph("obor-mas", links.link("obor-mas"))
        assert "KSP Kopdit Obor Mas" in text and "https://kerjakerasbebascemas.id/k/obor-mas" in text
        assert "per bulan" in text and "PP 50/2025" in text


def test_links_never_come_from_the_host_header(app):
    """Anyone can send any Host: shared links and QR codes use PUBLIC_URL only."""
    from urllib.parse import unquote

    from tests.actions import submit

    client = app.test_client()
    receipt = submit(client, "/k/pintu-air").headers["Location"]
    page = client.get(receipt, headers={"Host": "evil.example"}).get_data(as_text=True)
    share = unquote(re.search(r'href="(https://wa\.me/[^"]+)"', page).group(1))
    assert "http://localhost/k/pintu-air" in share and "evil.example" not in share
    printed = client.get(receipt + "/cetak", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "evil.example" not in printed


@pytest.mark.parametrize("now, month, cost, then", [
    ("2026-12-15T12:00:00+08:00", "Desember 2026", "Rp8.400", "Mulai Januari 2027: Rp16.800 per bulan."),
    # 16:30 UTC on 31 December is already January in NTT (WITA).
    ("2026-12-31T16:30:00+00:00", "Januari 2027", "Rp16.800", None),
    ("2027-04-15T12:00:00+08:00", "April 2027", "Rp16.800", None),
])
def test_newsletter_cost_is_for_the_month_it_is_asked_in(sqlite_app, monkeypatch, now, month, cost, then):
    """Worked out at each request from data/rates.yml: a kit opened in January
    must not carry December's discounted price. Only the clock is set."""
    from datetime import datetime

    from kkbc import rates

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.fromisoformat(now).astimezone(tz)

    monkeypatch.setattr(rates, "datetime", Clock)
    with sqlite_app.test_request_context():
        text = links.newsletter_paragraph("obor-mas", links.link("obor-mas"))
    assert f"{cost} per bulan ({month}," in text
    assert (then in text) if then else ("Mulai " not in text)


def test_a_campaign_code_is_created_retired_and_restored(app):
    """A retired code leaves the lists but is still found, so printed links keep working."""
    from portal.extensions import db

    with app.app_context():
        links.create("pintu-air", "RAT 2026", "Poster di aula", None)
        db.session.commit()
    with app.app_context():
        [code] = links.codes("pintu-air")
        assert (code.code, code.description, code.retired_at) == ("rat-2026", "Poster di aula", None)
        assert links.codes("obor-mas") == []
        links.retire(code)
        db.session.commit()
    with app.app_context():
        assert links.codes("pintu-air") == []
        [code] = links.codes("pintu-air", include_retired=True)
        assert code.retired_at is not None and links.find("pintu-air", "rat-2026") == code
        links.restore(code)
        db.session.commit()
    with app.app_context():
        assert [c.code for c in links.codes("pintu-air")] == ["rat-2026"]


def test_a_code_that_breaks_the_rules_is_not_stored(app):
    from portal.extensions import db

    with app.app_context():
        with pytest.raises(ValueError):
            links.create("pintu-air", "kode<script>", "", None)
        db.session.commit()
        assert links.codes("pintu-air", include_retired=True) == []
