"""What becomes of one sending of the interest form: the intake policy, in one call.

In order: a filled honeypot field is a bot; a token that is forged or expired,
or a failed CSRF check, means the page was open too long (the answers stay on
the page); a form sent faster than a person can fill it is a bot; answers that
do not pass their checks go back with their messages; anything else is stored
once per token, so a double tap or a resend stores one record.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import records

SPAM, STALE, TOO_FAST, INVALID, STORED = "spam", "basi", "terlalu_cepat", "tidak_valid", "tersimpan"
NOTICES = {
    SPAM: "Formulir tidak bisa dikirim. Kosongkan kolom yang bertanda “Jangan isi kolom ini”.",
    STALE: ("Halaman ini sudah terlalu lama terbuka, jadi kami perlu memeriksa ulang. "
            "Isian Anda masih ada. Periksa lalu tekan Kirim sekali lagi."),
    TOO_FAST: "Formulir terkirim terlalu cepat. Periksa isian Anda, lalu tekan Kirim lagi.",
}
STALE_MESSAGE = NOTICES[STALE]


@dataclass(frozen=True)
class Outcome:
    """What happened: ``kind``, the record when it was stored, and whether the
    page needs a new token (the old one could not be read at all)."""

    kind: str
    submission: records.Stored | None = None
    new_token: bool = False

    @property
    def notice(self) -> str | None:
        """The message above the form, if the outcome has one."""
        return NOTICES.get(self.kind)


def take(form, token: tuple[dict, float] | None, *, connection, min_seconds: float) -> Outcome:
    """Check one sending of the public form (``token`` as ``public.tokens.read``
    gives it) and store it on ``connection`` when it passes; the caller commits."""
    valid = form.validate(connection=connection)
    if form.situs_web.data:
        return Outcome(SPAM)
    if token is None or "csrf_token" in form.errors:
        return Outcome(STALE, new_token=token is None)
    payload, seconds_shown = token
    if seconds_shown < min_seconds:
        return Outcome(TOO_FAST)
    if not valid:
        return Outcome(INVALID)
    values = form.values()
    stored = records.submit(key=records.idempotency_key(payload["k"], values), source=payload.get("s", {}),
                            collection={"channel": "daring"}, connection=connection, **values)
    return Outcome(STORED, stored)
