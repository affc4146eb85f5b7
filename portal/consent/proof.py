"""The member's proof of consent: a consent record anyone can check.

The record follows the information structure of ISO/IEC TS 27560 (consent
record), with terms of the W3C Data Privacy Vocabulary (DPV) as its examples
use them (https://github.com/coolharsh55/dpv-consent-record). It is signed
with Ed25519 (RFC 8032) over its canonical JSON, so BPJS Ketenagakerjaan or an
auditor can check it with the published public keys alone, without any
secret of the server.

Keys: production takes the private key from CONSENT_SIGNING_KEY (refusing to
start without it); locally one is generated once into instance/. Rotation:
put the old public key into CONSENT_OLD_PUBLIC_KEYS; it stays published, so
records signed before still verify.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import Response, current_app

from kkbc import choices, data

from ..outreach import links
from ..platform import downloads, local_time
from ..models import Submission
from . import records, rules

PROFILE = "ISO/IEC TS 27560:2023 consent record, DPV terms"
ALGORITHM = "Ed25519"
CANONICAL = "JSON, kunci diurutkan, tanpa spasi, UTF-8 (RFC 8785 untuk teks, angka bulat dan boolean)"
VALID, TAMPERED, UNKNOWN_KEY, MALFORMED = "valid", "tampered", "unknown-key", "malformed"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def canonical(document: dict) -> bytes:
    """The bytes a signature covers: the document as sorted, compact JSON."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def raw_public(key: Ed25519PublicKey) -> bytes:
    """A public key's 32 raw bytes."""
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public: bytes) -> str:
    """A short stable name for a public key: its SHA-256, base64url, 16 characters."""
    return _b64(hashlib.sha256(public).digest())[:16]


# ---------------------------------------------------------------- keys

def parse_private_key(text: str) -> Ed25519PrivateKey:
    """A PEM private key, or the 32-byte seed in base64url."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("CONSENT_SIGNING_KEY is not an Ed25519 key")
        return key
    return Ed25519PrivateKey.from_private_bytes(_unb64(text))


def generate_private_key() -> str:
    """A new private key as PEM (for `flask --app portal proof-key`)."""
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()


def local_private_key(instance: Path) -> str:
    """A key generated once and kept in instance/ (mode 600), for development."""
    path = instance / "consent_signing_key.pem"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker made it first
            return path.read_text()
        with os.fdopen(fd, "w") as f:
            f.write(generate_private_key())
    return path.read_text()


@dataclass(frozen=True)
class Keys:
    private: Ed25519PrivateKey
    published: dict  # key id -> raw public key bytes, the current one included

    @property
    def current_id(self) -> str:
        """The id of the key that signs now."""
        return key_id(raw_public(self.private.public_key()))


def load_keys(private_text: str, old_public: str = "") -> Keys:
    """The signing key and every published public key, from their settings."""
    private = parse_private_key(private_text)
    published = {key_id(raw): raw for raw in
                 [_unb64(k.strip()) for k in old_public.split(",") if k.strip()]}
    current = raw_public(private.public_key())
    published[key_id(current)] = current
    return Keys(private, published)


def init_app(app) -> None:
    """Read the signing keys once at start-up (the config decides where from)."""
    app.extensions["consent_keys"] = load_keys(app.config["CONSENT_SIGNING_KEY"],
                                               app.config.get("CONSENT_OLD_PUBLIC_KEYS", ""))


def keys() -> Keys:
    """This app's signing and published keys."""
    return current_app.extensions["consent_keys"]


def key_set(published: dict | None = None) -> dict:
    """The published public keys as a JSON Web Key Set (RFC 8037 OKP keys)."""
    published = keys().published if published is None else published
    return {"keys": [{"kty": "OKP", "crv": "Ed25519", "use": "sig", "alg": "EdDSA", "kid": kid,
                      "x": _b64(raw)} for kid, raw in sorted(published.items())]}


def parse_key_set(document: dict) -> dict:
    """Key id -> raw public key from a JSON Web Key Set."""
    return {k["kid"]: _unb64(k["x"]) for k in document.get("keys", [])
            if k.get("kty") == "OKP" and k.get("crv") == "Ed25519" and "kid" in k and "x" in k}


# ---------------------------------------------------------------- the record

def _when(moment) -> str:
    return local_time(moment).isoformat(timespec="seconds")


def _state_after(event) -> dict:
    c = event.choices or {}
    return {
        "setuju_pengolahan_data": bool(c.get("setuju_data")),
        "setuju_dihubungi": bool(c.get("setuju_dihubungi")),
        "cara_dihubungi": list(c.get("kontak") or []),
        "shu": c.get("shu"),
        "shu_bentuk": c.get("shu_cara"),
        "shu_nilai": c.get("shu_nilai"),
        "perlindungan": c.get("program"),
        # Only that registration data was given: never the data itself.
        "setuju_pendaftaran_bpjs": bool(c.get("daftar_bpjs")),
    }


def record(submission: Submission, base_url: str) -> dict:
    """The consent record of one submission, unsigned."""
    privacy = data.privacy()
    first = submission.events[0] if submission.events else None
    collection = dict(first.collection or {}) if first else {}
    collection.setdefault("channel", "daring")
    subject = {"dpv:hasIdentifier": records.format_receipt_code(submission.receipt_code)}
    if rules.shows_personal_data(submission.state):
        subject.update({"nama": submission.name, "nomor_hp": submission.phone,
                        "nomor_anggota": submission.member_number})
    return {
        "dct:conformsTo": PROFILE,
        "dpv:hasIdentifier": f"{base_url}/kelola/{submission.receipt_code}",
        "dct:created": _when(submission.created_at),
        "dct:modified": _when(submission.updated_at),
        "dct:language": "id",
        "dpv:hasDataSubject": subject,
        "dpv:hasDataController": {"nama": privacy["controller"],
                                  "kontak": [f"{c['label']}: {c['value']}" for c in privacy.get("contact") or []]},
        "dpv:hasRecipient": list(privacy["recipients"]),
        "koperasi": choices.cooperative_label(submission.cooperative),
        "dpv:hasPurpose": [
            "Menindaklanjuti minat perlindungan BPJS Ketenagakerjaan lewat koperasi",
            "Menghubungi anggota lewat cara yang dipilihnya (bila setuju)",
            "Menyiapkan pembayaran iuran dari SHU sesuai keputusan RAT dan persetujuan anggota (bila setuju)",
            "Pendaftaran ke BPJS Ketenagakerjaan (bila setuju)",
        ],
        "dpv:hasPersonalData": [c["text"] if isinstance(c, dict) else c for c in privacy["collected"]],
        "dpv:hasStorageDuration": f"P{privacy['retention_months']}M",
        "dpv:hasLegalBasis": "Persetujuan (UU 27/2022 tentang Pelindungan Data Pribadi, Pasal 20)",
        "dpv:hasNotice": {"versi": submission.notice_version, "dpv:hasLocation": f"{base_url}/privasi/",
                          "dct:language": "id"},
        "dpv:hasConsentStatus": rules.STATE_LABELS.get(submission.state, submission.state),
        "cara_dikumpulkan": collection,
        "dpv:isExercisedAt": f"{base_url}/kelola/",
        "peristiwa": [
            {"waktu": _when(e.created_at), "oleh": e.actor, "jenis": e.kind,
             "keterangan": rules.EVENT_LABELS.get(e.kind, e.kind), "versi_pemberitahuan": e.notice_version,
             "keadaan_sesudahnya": _state_after(e)}
            for e in submission.events
        ],
    }


def sign(document: dict, signer: Keys | None = None) -> dict:
    """The document with a proof added: the key id and an Ed25519 signature
    over the canonical JSON of everything else."""
    signer = signer or keys()
    signature = signer.private.sign(canonical(document))
    return {**document, "proof": {"alg": ALGORITHM, "kid": signer.current_id, "kanonik": CANONICAL,
                                  "signature": _b64(signature)}}


def signed(submission: Submission) -> dict:
    """The submission's consent record, signed with the current key."""
    return sign(record(submission, links.base_url()))


def download(submission: Submission) -> Response:
    """The signed record as a JSON file to keep."""
    body = json.dumps(signed(submission), ensure_ascii=False, indent=2, sort_keys=True)
    return downloads.send(body, f"bukti-persetujuan-{submission.receipt_code}.json",
                          headers={"Cache-Control": "no-store"})


def _unique_keys(pairs: list) -> dict:
    if len({key for key, _ in pairs}) != len(pairs):
        raise ValueError("duplicate key")
    return dict(pairs)


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def parse(raw: bytes):
    """A record file's content, or None when it is not one plain JSON document.

    Only the content is signed, so layout is free; but a name given twice
    ("nama": "Penipu", "nama": "Yohana Bera") means one thing to Python's json
    (the last) and another to a reader or another parser (the first), and
    NaN or Infinity are not JSON at all: such a file is refused as malformed,
    never checked against the signature of what one parser made of it."""
    try:
        return json.loads(raw.decode("utf-8"), object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None


def verify(document, published: dict) -> tuple[str, str | None]:
    """(valid | tampered | unknown-key | malformed, key id) for a signed record."""
    if not isinstance(document, dict) or not isinstance(document.get("proof"), dict):
        return MALFORMED, None
    proof = document["proof"]
    kid, signature = proof.get("kid"), proof.get("signature")
    if not isinstance(kid, str) or not isinstance(signature, str) or proof.get("alg") != ALGORITHM:
        return MALFORMED, None
    if kid not in published:
        return UNKNOWN_KEY, kid
    body = {k: v for k, v in document.items() if k != "proof"}
    try:
        Ed25519PublicKey.from_public_bytes(published[kid]).verify(_unb64(signature), canonical(body))
    except (InvalidSignature, ValueError):
        return TAMPERED, kid
    return VALID, kid
