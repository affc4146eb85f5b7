"""The NIK at rest: AES-256-GCM with a key id on every value, and a keyed hash
beside it to find the same NIK twice without decrypting anything.

Keys are kept as the consent signing key is: production reads them from the
environment and refuses to start without them (``NIK_KEYS``, ``NIK_HASH_KEY``);
locally they are generated once into ``instance/nik_keys.json`` (mode 600).
``NIK_KEYS`` is ``id:key,id:key``: the first encrypts, every one decrypts, so a
rotation adds a key in front, re-encrypts (``flask bpjs rotate-nik``), and only
then drops the old one. A value under a key that is missing or wrong raises
``VaultError``: never a silent blank.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app

KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
LOCAL_FILE = "nik_keys.json"


class VaultError(RuntimeError):
    """A NIK cannot be encrypted or decrypted with the configured keys."""


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_key_entry() -> str:
    """A new encryption key as ``id:key`` (for ``flask bpjs nik-key``)."""
    return f"k{secrets.token_hex(3)}:{_b64(AESGCM.generate_key(bit_length=256))}"


def new_hash_key() -> str:
    """A new key for NIK_HASH_KEY."""
    return _b64(secrets.token_bytes(32))


def local_keys(instance: Path) -> dict:
    """Keys generated once into instance/ (mode 600), for development."""
    path = instance / LOCAL_FILE
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker made it first
            return json.loads(path.read_text())
        with os.fdopen(fd, "w") as f:
            json.dump({"NIK_KEYS": new_key_entry(), "NIK_HASH_KEY": new_hash_key()}, f)
    return json.loads(path.read_text())


@dataclass(frozen=True)
class Keys:
    current: str
    ciphers: dict  # key id -> AESGCM
    hash_key: bytes


def load_keys(keys_text: str, hash_text: str) -> Keys:
    """Parse ``NIK_KEYS`` and ``NIK_HASH_KEY``; ValueError on anything malformed."""
    ciphers, current = {}, None
    for entry in (e.strip() for e in (keys_text or "").split(",") if e.strip()):
        kid, _, secret = entry.partition(":")
        raw = _unb64(secret) if KEY_ID.match(kid) else b""
        if len(raw) != 32:
            raise ValueError("NIK_KEYS must be id:key pairs, each key 32 bytes in base64url")
        ciphers[kid] = AESGCM(raw)
        current = current or kid
    hash_key = _unb64(hash_text or "")
    if current is None or len(hash_key) < 32:
        raise ValueError("NIK_KEYS and NIK_HASH_KEY (32 bytes, base64url) are both needed")
    return Keys(current, ciphers, hash_key)


def init_app(app) -> None:
    """Read the NIK keys once at start-up (the config decides where from)."""
    app.extensions["nik_keys"] = load_keys(app.config["NIK_KEYS"], app.config["NIK_HASH_KEY"])


def _keys() -> Keys:
    return current_app.extensions["nik_keys"]


def _aad(kid: str) -> bytes:
    return b"kkbc-nik-v1:" + kid.encode()


def encrypt(nik: str) -> str:
    """``<key id>:<nonce and ciphertext>`` under the current key."""
    keys = _keys()
    nonce = secrets.token_bytes(12)
    sealed = keys.ciphers[keys.current].encrypt(nonce, nik.encode(), _aad(keys.current))
    return f"{keys.current}:{_b64(nonce + sealed)}"


def key_id(value: str) -> str:
    """The id of the key a value was encrypted with."""
    return value.partition(":")[0]


def decrypt(value: str) -> str:
    """The NIK in a stored value; VaultError when its key is missing or wrong."""
    kid, _, body = value.partition(":")
    cipher = _keys().ciphers.get(kid)
    if cipher is None:
        raise VaultError(f"NIK encrypted under key {kid!r}, which is not in NIK_KEYS")
    raw = _unb64(body)
    try:
        return cipher.decrypt(raw[:12], raw[12:], _aad(kid)).decode()
    except InvalidTag:
        raise VaultError(f"NIK under key {kid!r} does not open: the key is wrong or the value damaged") from None


def keyed_hash(nik: str) -> str:
    """HMAC-SHA256 of the NIK: equal for equal NIKs, useless without the key."""
    return hmac.new(_keys().hash_key, nik.encode(), hashlib.sha256).hexdigest()


def seal(content: bytes) -> bytes:
    """A file that holds NIKs (BPJS's answer, between its preview and its
    confirmation) encrypted like a NIK: key id, then nonce and ciphertext."""
    keys = _keys()
    nonce = secrets.token_bytes(12)
    return keys.current.encode() + b":" + nonce + keys.ciphers[keys.current].encrypt(nonce, content, _aad(keys.current))


def unseal(sealed: bytes) -> bytes:
    """A sealed file's bytes, decrypted with the key it names."""
    kid, _, raw = sealed.partition(b":")
    cipher = _keys().ciphers.get(kid.decode())
    if cipher is None:
        raise VaultError(f"file encrypted under key {kid.decode()!r}, which is not in NIK_KEYS")
    try:
        return cipher.decrypt(raw[:12], raw[12:], _aad(kid.decode()))
    except InvalidTag:
        raise VaultError("file does not open: the key is wrong or the file damaged") from None


def current_key_id() -> str:
    """The id of the key new values are encrypted with."""
    return _keys().current


def needs_rotation(value: str) -> bool:
    """The value was encrypted with an older key."""
    return key_id(value) != _keys().current
