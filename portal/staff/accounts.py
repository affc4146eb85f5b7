"""Staff accounts: roles, password rules, hashing and checking a login.

Passwords are hashed with Argon2id (argon2-cffi's RFC 9106 defaults). The rules
follow NIST SP 800-63B §5.1.1.2: a minimum length and a check against common
and guessable passwords (zxcvbn's lists and patterns), no composition rules.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from zxcvbn import zxcvbn

from kkbc import data

from ..extensions import db
from ..models import User, utcnow

CAMPAIGN, COOPERATIVE = "kampanye", "koperasi"
ROLES = {
    CAMPAIGN: "Tim kampanye (semua koperasi)",
    COOPERATIVE: "Staf koperasi (satu koperasi saja)",
}
MIN_PASSWORD = 12
MAX_PASSWORD = 200
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,39}")
# Words anyone would try first against this portal's accounts.
PRODUCT_WORDS = ["koperasi", "kopdit", "bpjs", "ketenagakerjaan", "kerja keras bebas cemas", "ntt", "kupang"]

_hasher = PasswordHasher()
_dummy_hash: str | None = None


class AccountError(ValueError):
    """A rule an account or password breaks, in words for the person who typed it."""


def username_problem(username: str) -> str | None:
    """Why a username is refused, or None."""
    if not USERNAME.fullmatch(username or ""):
        return ("Nama pengguna 3 sampai 40 karakter: huruf kecil, angka, titik, "
                "garis bawah atau tanda hubung, diawali huruf atau angka")
    return None


def password_problem(password: str, username: str = "", cooperative: str | None = None) -> str | None:
    """Why a password is refused, or None."""
    if len(password or "") < MIN_PASSWORD:
        return f"Kata sandi paling sedikit {MIN_PASSWORD} karakter"
    if len(password) > MAX_PASSWORD:
        return f"Kata sandi paling panjang {MAX_PASSWORD} karakter"
    hints = [username, *(cooperative or "").split("-"), *PRODUCT_WORDS]
    # zxcvbn's matching grows quickly with length; 100 characters is plenty to judge.
    if zxcvbn(password[:100], user_inputs=[h for h in hints if h])["score"] < 3:
        return ("Kata sandi ini terlalu mudah ditebak. Pakai beberapa kata yang tidak "
                "biasa dirangkai, bukan nama, tanggal atau urutan huruf di papan ketik")
    return None


def hash_password(password: str) -> str:
    """A password's Argon2id hash."""
    return _hasher.hash(password)


def _check_cooperative(role: str, cooperative: str | None) -> str | None:
    if role not in ROLES:
        raise AccountError(f"Peran harus salah satu dari: {', '.join(ROLES)}")
    if role == COOPERATIVE:
        if cooperative not in data.cooperatives():
            raise AccountError("Pilih koperasi mitra untuk akun staf koperasi")
        return cooperative
    return None


def every_account() -> list[User]:
    """Every account, by role, cooperative and name."""
    return list(db.session.scalars(select(User).order_by(User.role, User.cooperative, User.username)))


def get(user_id: int) -> User | None:
    """An account by its id."""
    return db.session.get(User, user_id)


def find(username: str) -> User | None:
    """An account by its username, as typed."""
    return db.session.scalar(select(User).where(User.username == (username or "").strip().lower()))


def create(username: str, password: str, role: str, cooperative: str | None = None) -> User:
    """Add an account; raise AccountError with a message when a rule is broken."""
    username = (username or "").strip().lower()
    problem = username_problem(username)
    if problem:
        raise AccountError(problem)
    cooperative = _check_cooperative(role, cooperative)
    if db.session.scalar(select(func.count()).select_from(User).where(User.username == username)):
        raise AccountError("Nama pengguna ini sudah dipakai")
    problem = password_problem(password, username, cooperative)
    if problem:
        raise AccountError(problem)
    user = User(username=username, password_hash=hash_password(password), role=role,
                cooperative=cooperative, active=True, session_token=secrets.token_hex(16),
                created_at=utcnow())
    db.session.add(user)
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    """Change a password; every open session of the account ends."""
    problem = password_problem(password, user.username, user.cooperative)
    if problem:
        raise AccountError(problem)
    user.password_hash = hash_password(password)
    end_sessions(user)


def end_sessions(user: User) -> None:
    """Every open session of the account ends, on every worker and instance:
    sessions carry this token, and it changes (the caller commits)."""
    user.session_token = secrets.token_hex(16)


def set_active(user: User, active: bool) -> None:
    """Disable or enable an account; disabling ends its open sessions."""
    user.active = active
    if not active:
        end_sessions(user)


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def check_password(user: User, password: str) -> bool:
    """Is this the account's password? (Confirming a change, not a login.)"""
    return _verify(user.password_hash, password or "")


@dataclass(frozen=True)
class Credentials:
    """What checking a login needs of an account, read before any hashing."""

    user_id: int
    password_hash: str
    active: bool


def credentials(username: str) -> Credentials | None:
    """The stored password hash of the account with this name, or None."""
    user = find(username)
    return Credentials(user.id, user.password_hash, user.active) if user is not None else None


def authenticate(found: Credentials | None, password: str) -> User | None:
    """The active account whose credentials these are, if the password is right; else None.

    An unknown name (None) costs the same hashing time as a wrong password, so
    the response time does not tell which accounts exist. The caller ends its
    transaction between ``credentials`` and this: on SQLite every transaction
    holds the write lock, and other logins and members' submissions must not
    wait for a hash.
    """
    global _dummy_hash
    if found is None:
        if _dummy_hash is None:
            _dummy_hash = hash_password(secrets.token_hex(16))
        _verify(_dummy_hash, password or "")
        return None
    if not _verify(found.password_hash, password or "") or not found.active:
        return None
    user = db.session.get(User, found.user_id)
    if _hasher.check_needs_rehash(found.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user
