"""Shared data (cooperatives, kabupaten, rates) read from ``data/``.

The MkDocs hooks read the same files through this module, so the site and the
portal can never disagree about a cooperative or a rate.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def load(name: str) -> dict:
    """Parse ``data/<name>.yml``."""
    with open(DATA_DIR / f"{name}.yml", encoding="utf-8") as f:
        return yaml.safe_load(f)


@dataclass(frozen=True)
class Cooperative:
    slug: str
    name: str
    short_name: str
    seat: str
    kabupaten: str
    members: int | None
    members_as_of: date | None
    members_note: str = ""
    members_source: str = ""


@cache
def cooperatives() -> dict[str, Cooperative]:
    """Partner cooperatives by slug, in the order of the data file."""
    fields = Cooperative.__dataclass_fields__
    return {
        c["slug"]: Cooperative(**{k: v for k, v in c.items() if k in fields})
        for c in load("cooperatives")["cooperatives"]
    }


@cache
def kabupaten() -> dict[str, str]:
    """NTT kabupaten/kota names by Kemendagri code."""
    return {k["code"]: k["name"] for k in load("kabupaten")["kabupaten"]}


@cache
def rates() -> dict:
    """The contribution data, as written in ``data/rates.yml``."""
    return load("rates")


@cache
def privacy() -> dict:
    """The privacy notice's version, retention period and recipients."""
    return load("privacy")


@cache
def rat() -> dict:
    """The RAT agenda item, the draft decision text and the pack's worked example."""
    return load("rat")
