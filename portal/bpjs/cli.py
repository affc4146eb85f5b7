"""NIK keys from the command line (flask --app portal bpjs ...).

    flask --app portal bpjs nik-key      # a new key entry and a hash key, to put in the environment
    flask --app portal bpjs rotate-nik   # re-encrypt every NIK under the first key of NIK_KEYS
"""
from __future__ import annotations

import click
from flask.cli import AppGroup

from ..extensions import db
from . import registration, vault

group = AppGroup("bpjs", help="Keys that protect members' NIKs.")


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
