"""Small helpers that act like a member filling in the form."""
from __future__ import annotations

from harness.samples import VALID, hidden_fields


def open_form(client, path: str = "/daftar/") -> dict:
    response = client.get(path)
    assert response.status_code == 200
    return hidden_fields(response.get_data(as_text=True))


def post_form(client, tokens: dict, **changes):
    data = {**VALID, **tokens}
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return client.post("/daftar/", data=data)


def submit(client, path: str = "/daftar/", **changes):
    """Open the form, fill it with VALID plus changes, send it."""
    return post_form(client, open_form(client, path), **changes)


def add_campaign_code(app, cooperative: str, code: str) -> None:
    """A code as staff create it in the back office."""
    from portal.extensions import db
    from portal.models import CampaignCode

    with app.app_context():
        db.session.add(CampaignCode(cooperative=cooperative, code=code))
        db.session.commit()


def pdf_bytes(pages: int = 1) -> bytes:
    """A real PDF of blank A4 pages, as a scanner's would parse."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
