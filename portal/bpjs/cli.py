"""NIK keys from the command line (flask --app portal bpjs ...).

    flask --app portal bpjs nik-key      # a new key entry and a hash key, to put in the environment
    flask --app portal bpjs rotate-nik   # re-encrypt every NIK under the first key of NIK_KEYS
    flask --app portal bpjs capaian      # the published coverage figures into data/capaian.yml
"""
from __future__ import annotations

from pathlib import Path

import click
import yaml
from flask.cli import AppGroup
from sqlalchemy import select

from kkbc.data import DATA_DIR

from ..extensions import db
from ..models import CoveragePublication
from . import registration, vault

group = AppGroup("bpjs", help="Keys that protect members' NIKs; the published coverage figures.")
CAPAIAN_HEADER = ("# Published from the back office (/admin/capaian/) and written by\n"
                  "# `flask --app portal bpjs capaian`: aggregates only, a count under five is null.\n")


@group.command("nik-key")
def nik_key():
    """Print a new NIK key entry (put it first in NIK_KEYS) and a new hash key."""
    click.echo(f"NIK_KEYS entry (put it first, keep the old ones until rotate-nik has run): {vault.new_key_entry()}")
    click.echo(f"NIK_HASH_KEY (only for a new installation, or change it and run rotate-nik): {vault.new_hash_key()}")


@group.command("rotate-nik")
def rotate_nik():
    """Re-encrypt every stored NIK under the current key and recompute its keyed hash."""
    moved = registration.rotate_keys()
    db.session.commit()
    current = vault.current_key_id()
    if not moved:
        click.echo(f"Every NIK is already under key {current}.")
    for old, count in sorted(moved.items()):
        click.echo(f"{count} NIK moved from key {old} to key {current}.")
    click.echo(f"Keys other than {current} can now be removed from NIK_KEYS.")


@group.command("capaian")
@click.option("--output", type=click.Path(dir_okay=False), default=None,
              help="Where to write (default data/capaian.yml, which the site build reads).")
def capaian(output):
    """Write the latest published coverage figures for the site's "Capaian" page."""
    latest = db.session.scalar(select(CoveragePublication).order_by(CoveragePublication.id.desc()).limit(1))
    target = Path(output) if output else DATA_DIR / "capaian.yml"
    if latest is None:
        click.echo("Nothing published yet: the Capaian page keeps what it has.")
        return
    target.write_text(CAPAIAN_HEADER + yaml.safe_dump(latest.figures, allow_unicode=True, sort_keys=False),
                      encoding="utf-8")
    click.echo(f"Figures as of {latest.figures['per_tanggal']} written to {target}.")
