"""Staff accounts from the command line (flask --app portal users ...).

    flask --app portal users create --role kampanye nama
    flask --app portal users create --role koperasi --koperasi pintu-air nama
    flask --app portal users list
    flask --app portal users set-password nama
    flask --app portal users disable nama
    flask --app portal users enable nama

Passwords are asked for twice without echo, or read from the first line of
standard input with --password-stdin (for scripts: never as an argument,
which would land in the shell history and the process list).
"""
from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path

import click
from flask.cli import AppGroup

from kkbc import data

from . import accounts, audit
from .bpjs import cli as bpjs_cli
from .consent import proof
from .extensions import db
from .models import User

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


@users.command("disable")
@click.argument("username")
def disable(username):
    """Disable an account; its open sessions end."""
    user = _user(username)
    accounts.set_active(user, False)
    audit.record("akun_dinonaktifkan", actor=ACTOR, cooperative=user.cooperative,
                 detail={"akun": user.username})
    db.session.commit()
    click.echo(f"disabled {user.username}")


@users.command("enable")
@click.argument("username")
def enable(username):
    """Enable a disabled account again."""
    user = _user(username)
    accounts.set_active(user, True)
    audit.record("akun_diaktifkan", actor=ACTOR, cooperative=user.cooperative, detail={"akun": user.username})
    db.session.commit()
    click.echo(f"enabled {user.username}")


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
    from . import demo, export_jobs

    app.cli.add_command(users)
    demo.init_app(app)
    app.cli.add_command(verify)
    app.cli.add_command(proof_key)
    app.cli.add_command(bpjs_cli.group)
    app.cli.add_command(export_jobs.run_command)
