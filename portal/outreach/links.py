"""Links, campaign codes and QR codes that cooperatives print and share.

A link is /k/<cooperative> or /k/<cooperative>/<code>; the portal renders the
form straight from it (no redirect hop on a slow network) and records the code.
"""
from __future__ import annotations

import io
import re

import segno
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import func, select

from kkbc import data, rates
from kkbc.formatting import rupiah
from kkbc.rates import Month

from ..extensions import db
from ..models import CampaignCode, Submission, utcnow

# Short, lower-case, typable from paper: letters, digits, single hyphens.
CODE_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CODE_MAX = 30


def normalise_code(text: str) -> str:
    """'RAT 2026' -> 'rat-2026'; what staff type or members copy from paper."""
    return re.sub(r"[\s_]+", "-", (text or "").strip().lower())


def valid_code(code: str) -> bool:
    """A campaign code of the right length and characters."""
    return 2 <= len(code) <= CODE_MAX and bool(CODE_PATTERN.match(code))


def base_url() -> str:
    """The configured public address; never the request's Host header."""
    return current_app.config["PUBLIC_URL"]


def points_at_this_machine() -> bool:
    """True when links would only open on the computer that runs the portal."""
    host = urlsplit(base_url()).hostname or ""
    return host in ("localhost", "127.0.0.1", "::1", "0.0.0.0") or host.endswith(".localhost")


def link(cooperative: str, code: str | None = None) -> str:
    """The full public link for a cooperative, optionally with a campaign code."""
    return f"{base_url()}/k/{cooperative}" + (f"/{code}" if code else "")


def find(cooperative: str, code: str) -> CampaignCode | None:
    """A cooperative's code, retired or not: printed posters outlive campaigns."""
    return db.session.scalar(select(CampaignCode).where(
        CampaignCode.cooperative == cooperative, CampaignCode.code == normalise_code(code)))


def create(cooperative: str, code: str, description: str, user_id: int | None) -> CampaignCode:
    """A new code for a cooperative's links (the form has checked it is free;
    the caller audits and commits)."""
    code = normalise_code(code)
    if not valid_code(code):
        raise ValueError(f"not a campaign code: {code!r}")
    found = CampaignCode(cooperative=cooperative, code=code, description=description or "",
                         created_by=user_id, created_at=utcnow())
    db.session.add(found)
    db.session.flush()
    return found


def retire(code: CampaignCode) -> None:
    """Hide a code from the lists; its links keep working and attributing."""
    code.retired_at = utcnow()


def restore(code: CampaignCode) -> None:
    """Show a retired code in the lists again."""
    code.retired_at = None


def codes(cooperative: str, include_retired: bool = False) -> list[CampaignCode]:
    """A cooperative's campaign codes, newest first."""
    query = select(CampaignCode).where(CampaignCode.cooperative == cooperative)
    if not include_retired:
        query = query.where(CampaignCode.retired_at.is_(None))
    return list(db.session.scalars(query.order_by(CampaignCode.created_at.desc())))


def counts_by_code(cooperative: str) -> dict[str, int]:
    """Submissions whose first source carries each code."""
    code = Submission.source["kampanye"].as_string()
    rows = db.session.execute(select(code, func.count()).where(
        Submission.cooperative == cooperative, code.is_not(None)).group_by(code))
    return {name: count for name, count in rows}


def qr(url: str):
    # Error correction H: the code still reads with a third of it smudged or torn.
    """A QR code for a URL."""
    return segno.make(url, error="h", micro=False)


def qr_svg(url: str, scale: int = 8, scalable: bool = False) -> str:
    """An SVG QR code; ``scalable`` drops the pixel size for a viewBox, so CSS
    can size it in millimetres without cropping it."""
    out = io.BytesIO()
    qr(url).save(out, kind="svg", scale=scale, border=4, xmldecl=False, svgns=True,
                 omitsize=scalable, title=f"Kode QR: {url}")
    return out.getvalue().decode()


def qr_png(url: str, scale: int = 10) -> bytes:
    """A QR code for a URL as a PNG."""
    out = io.BytesIO()
    qr(url).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


# Posters hang for months: each price says until when it holds, and what comes
# next when the rates data has a change due within this many months.
PRICE_HORIZON = 6


def price_until(package: str, month: Month, sector: str) -> str:
    """Until when a month's price holds, and the next price if it changes within six months."""
    change = rates.next_change(package, month, sector, PRICE_HORIZON)
    if change:
        last, first, cost = change
        return f"sampai {last.label()}; mulai {first.label()} {rupiah(cost)}"
    return f"tetap sampai sekurangnya {month.plus(PRICE_HORIZON).label()}"


def poster_prices(month: Month) -> list[tuple[str, list[tuple[str, str]]]]:
    """For each package, its label and, per sector, (monthly cost, until when it holds) in a month."""
    rates_data = data.rates()
    return [(package["label"], [(rupiah(rates.monthly_cost(key, month, sector)), price_until(key, month, sector))
                                for sector in rates_data["sectors"]])
            for key, package in rates_data["packages"].items()]


def price_basis(month: Month) -> str:
    """Where the poster's prices come from, naming the cut in force that month."""
    rates_data = data.rates()
    laws = ["PP 44/2015"] + [d["name"] for d in rates_data.get("discounts", [])
                             if any(Month.parse(p["first"]) <= month <= Month.parse(p["last"])
                                    for p in d["periods"].values())]
    return (f"Dihitung dari pendapatan terendah {rupiah(rates_data['minimum_income'])} sebulan, "
            f"menurut {' dan '.join(laws)}. Pastikan di kantor BPJS Ketenagakerjaan.")


def cost_sentence() -> str:
    """This month's JKK+JKM contribution for most members, with its basis.

    Computed when asked (WITA month), never cached: a newsletter copied in
    January must not carry December's discounted price."""
    month = rates.this_month()
    cost = rates.monthly_cost("jkk-jkm", month, "lainnya")
    text = (f"Iuran perlindungan kecelakaan kerja dan kematian {rupiah(cost)} per bulan "
            f"({month.label()}, menurut PP 44/2015 dan PP 50/2025; pastikan di kantor BPJS Ketenagakerjaan).")
    # A newsletter is read for weeks: name the price after a cut that is running
    # now, looking as far as January of the year after next.
    within = rates.count_months(month, Month(month.year + 2, 1)) - 1
    change = rates.next_change("jkk-jkm", month, "lainnya", within)
    if change:
        _, later, new = change
        text += f" Mulai {later.label()}: {rupiah(new)} per bulan."
    return text


def newsletter_paragraph(cooperative: str, url: str) -> str:
    """A paragraph for the cooperative's newsletter, with the link."""
    name = data.cooperatives()[cooperative].name
    return (f"Anggota {name} bisa dilindungi BPJS Ketenagakerjaan, dan iurannya bisa dibayar "
            f"dari SHU kalau anggota setuju di RAT. {cost_sentence()} Mau ikut, atau mau tahu "
            f"dulu? Daftar minat di {url} (sekitar dua menit). Mendaftar minat tidak mengikat, "
            f"dan persetujuan bisa ditarik kapan saja.")


def whatsapp_message(cooperative: str, url: str) -> str:
    """A short message to share on WhatsApp, with the link."""
    name = data.cooperatives()[cooperative].short_name
    return (f"Halo anggota {name}! Kerja keras, bebas cemas: lindungi diri dan keluarga dengan "
            f"BPJS Ketenagakerjaan, iurannya bisa dari SHU. Daftar minat di sini: {url}")
