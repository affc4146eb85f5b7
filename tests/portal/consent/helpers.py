"""A member's submission stored through the consent domain directly, as the
form view stores it, without HTTP."""
from __future__ import annotations

from portal import consent
from portal.extensions import db
from portal.platform.database import write_connection
from portal.models import Submission

CHOSEN = {"koperasi": "pintu-air", "kabupaten": "53.07", "pekerjaan": "penenun", "program": "jkk-jkm",
          "shu": "setuju", "shu_cara": "persen", "shu_nilai": 50, "setuju_dihubungi": True,
          "kontak": ["whatsapp"], "usia_18": True, "setuju_data": True}
SOURCE = {"jalur": "tautan", "koperasi": "pintu-air", "kampanye": "buletin-mei"}


def store(key: str = "kunci-1", *, chosen: dict | None = None, source: dict | None = None, **changes):
    """consent.submit with Maria's answers, on the connection the form view
    writes with; changes replace personal fields. Returns the stored record."""
    values = {"name": "Maria Goreti", "phone": "+6281234567890", "member_number": "PA-01234",
              "other_cooperative": None, **changes}
    db.session.commit()  # the test's own work so far: the form view has no session transaction open
    with write_connection() as connection:
        stored = consent.submit(key=key, chosen={**CHOSEN, **(chosen or {})}, source=source or SOURCE,
                                connection=connection, **values)
    return db.session.get(Submission, stored.id)
