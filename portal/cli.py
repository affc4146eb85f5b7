"""Every ``flask --app portal ...`` command, registered here (``init_app``).

Staff accounts (``users``), defined here:

    flask --app portal users create --role kampanye nama
    flask --app portal users create --role koperasi --koperasi pintu-air nama
    flask --app portal users list
    flask --app portal users set-password nama
    flask --app portal users set-active nama --off     # or --on; also: users disable / users enable nama

Passwords are asked for twice without echo, or read from the first line of
standard input with --password-stdin (for scripts: never as an argument,
which would land in the shell history and the process list).

Also defined here: ``backup``, ``restore`` and ``retention`` (the work is
``portal.platform.backups``), ``verify`` and ``proof-key`` (``portal.consent.proof``).
Defined beside their domain and registered here: ``audit exposure``
(``portal.staff.breach``), ``bpjs ...`` (``portal.bpjs.cli``) and ``demo``
(``portal.demo``).
"""
from __future__ import annotations

import json
import sqlite3
import sys
import urllib.request
from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

from kkbc import data

from . import consent
from .bpjs import cli as bpjs_cli
from .config import INSTANCE
from .consent import proof
from .extensions import db
from .models import User
from .platform import backups
from .staff import accounts, audit, breach

users = AppGroup("users", help="Staff accounts of the back office.")
ACTOR = "baris-perintah"


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def _user(username: str) -> User:
    user = accounts.find(username)
    if user is None:
        raise click.ClickException(f"no account named {username!r}")
    return user


@users.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(list(accounts.ROLES)), required=True,
              help="kampanye: every cooperative; koperasi: one cooperative only.")
@click.option("--koperasi", "cooperative", type=click.Choice(list(data.cooperatives())),
              help="The cooperative of a koperasi account.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create(username, role, cooperative, password_stdin):
    """Create an account."""
    if role == accounts.COOPERATIVE and not cooperative:
        raise click.UsageError("--koperasi is required with --role koperasi")
    try:
        user = accounts.create(username, _password(password_stdin), role, cooperative)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    audit.record("akun_dibuat", actor=ACTOR, cooperative=user.cooperative,
                 detail={"akun": user.username, "peran": user.role})
    db.session.commit()
    click.echo(f"created {user.username} ({user.role}{', ' + user.cooperative if user.cooperative else ''})")


@users.command("list")
def list_():
    """List every account."""
    for user in accounts.every_account():
        state = "active" if user.active else "disabled"
        click.echo(f"{user.username}\t{user.role}\t{user.cooperative or '-'}\t{state}")


@users.command("set-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def set_password(username, password_stdin):
    """Set a new password; the account's open sessions end."""
    user = _user(username)
    try:
        accounts.set_password(user, _password(password_stdin))
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    audit.record("sandi_diganti", actor=ACTOR, cooperative=user.cooperative, detail={"akun": user.username})
    db.session.commit()
    click.echo(f"password changed for {user.username}")


def _set_active(username: str, active: bool) -> None:
    user = _user(username)
    accounts.set_active(user, active)
    audit.record("akun_diaktifkan" if active else "akun_dinonaktifkan", actor=ACTOR,
                 cooperative=user.cooperative, detail={"akun": user.username})
    db.session.commit()
    click.echo(f"{'enabled' if active else 'disabled'} {user.username}")


@users.command("set-active")
@click.argument("username")
@click.option("--on/--off", "active", required=True, help="--off disables the account and ends its sessions.")
def set_active(username, active):
    """Enable or disable an account; disabling ends its open sessions."""
    _set_active(username, active)


@users.command("disable")
@click.argument("username")
def disable(username):
    """Disable an account; its open sessions end (= set-active --off)."""
    _set_active(username, False)


@users.command("enable")
@click.argument("username")
def enable(username):
    """Enable a disabled account again (= set-active --on)."""
    _set_active(username, True)


@click.command("backup")
@with_appcontext
@click.option("--output", type=click.Path(path_type=Path), default=None,
              help="Folder for the backup (default instance/backups).")
def backup(output):
    """Write a consistent backup of the database."""
    try:
        click.echo(backups.backup(output or INSTANCE / "backups"))
    except (backups.BackupError, OSError, sqlite3.Error) as exc:
        raise click.ClickException(f"backup failed, nothing was written: {exc}") from exc


@click.command("restore")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore(path, yes):
    """Replace the database with a backup (stop the portal first)."""
    if not yes:
        click.confirm(f"Replace everything in the database with {path}?", abort=True)
    try:
        backups.restore(path)
    except backups.BackupError as exc:
        raise click.ClickException(f"restore failed: {exc}") from exc
    click.echo("restored")


@click.command("retention")
@with_appcontext
@click.option("--dry-run", is_flag=True, help="List what would be erased, erase nothing.")
def retention(dry_run):
    """Erase personal data that is past its retention period."""
    codes = backups.retention(dry_run=dry_run)
    db.session.commit()
    verb = "would erase" if dry_run else "erased"
    click.echo(f"{verb} {len(codes)} submission(s)")
    for code in codes:
        click.echo(consent.format_receipt_code(code))


@click.command("verify")
@click.argument("path", type=click.File("rb"))
@click.option("--keys", "keys_from", default=None, metavar="FILE|URL",
              help="Published public keys (JSON Web Key Set), e.g. https://<portal>/bukti/kunci.json; "
                   "default: this portal's own published keys.")
def verify(path, keys_from):
    """Check a signed consent record: valid, tampered, or unknown key."""
    document = proof.parse(path.read())
    if keys_from is None:
        published = proof.keys().published
    else:
        if keys_from.startswith(("https://", "http://")):
            with urllib.request.urlopen(keys_from, timeout=10) as response:
                key_set = json.load(response)
        else:
            key_set = json.loads(Path(keys_from).read_text())
        published = proof.parse_key_set(key_set)
    result, kid = proof.verify(document, published)
    messages = {
        proof.VALID: f"valid: signed with published key {kid}",
        proof.TAMPERED: f"tampered: the signature of key {kid} does not match this content",
        proof.UNKNOWN_KEY: f"unknown key: {kid} is not among the published keys",
        proof.MALFORMED: "malformed: not a signed consent record",
    }
    click.echo(messages[result])
    sys.exit({proof.VALID: 0, proof.TAMPERED: 1, proof.UNKNOWN_KEY: 2, proof.MALFORMED: 3}[result])


@click.command("proof-key")
def proof_key():
    """Print a new Ed25519 private key for CONSENT_SIGNING_KEY (keep it secret)."""
    click.echo(proof.generate_private_key(), nl=False)


def init_app(app) -> None:
    """Register every command of the portal's command line."""
    from . import demo  # the demo imports most of the portal: only when commands are registered
    from .followup import export_jobs

    for command in (users, backup, restore, retention, verify, proof_key, breach.audit_cli, bpjs_cli.group,
                    demo.demo, export_jobs.run_command):
        app.cli.add_command(command)
