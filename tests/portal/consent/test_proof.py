"""The member's signed consent record: its content, and a check anyone can run
with the published keys: valid, tampered, or unknown key."""
from __future__ import annotations

import json
import re

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from portal.consent import proof
from tests.actions import submit
from tests.admin.conftest import csrf


@pytest.fixture
def record(client):
    """A member's signed record, as downloaded from their private page, after one correction."""
    receipt = submit(client).headers["Location"]
    code, sig = re.fullmatch(r"/daftar/selesai/([A-Z0-9]+)/([0-9a-f]+)", receipt).groups()
    own = f"/kelola/{code}/{sig}"
    client.post(own + "/tarik-shu", data={"csrf_token": csrf(client, own + "/tarik-shu")})
    response = client.get(own + "/bukti.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return json.loads(response.get_data(as_text=True))


def keys_file(client, tmp_path):
    path = tmp_path / "kunci.json"
    path.write_text(client.get("/bukti/kunci.json").get_data(as_text=True))
    return str(path)


def verify(runner, tmp_path, document, keys):
    path = tmp_path / "bukti.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document, ensure_ascii=False))
    return runner.invoke(args=["verify", str(path), "--keys", keys])


def test_the_record_says_what_the_standard_asks(record):
    assert record["dct:conformsTo"].startswith("ISO/IEC TS 27560")
    assert record["dpv:hasNotice"]["versi"] and record["dpv:hasNotice"]["dpv:hasLocation"].endswith("/privasi/")
    assert record["dct:language"] == "id"
    assert record["dpv:hasDataController"] and "BPJS Ketenagakerjaan NTT" in record["dpv:hasRecipient"]
    assert record["dpv:hasStorageDuration"] == "P24M"
    assert record["cara_dikumpulkan"] == {"channel": "daring"}
    assert record["dpv:hasDataSubject"]["nama"] == "Maria Goreti"
    assert [(e["jenis"], e["oleh"], e["keadaan_sesudahnya"]["shu"]) for e in record["peristiwa"]] == [
        ("diberikan", "anggota", "setuju"), ("shu_ditarik", "anggota", "tidak")]
    assert record["proof"]["alg"] == "Ed25519"


def test_a_signed_record_verifies_with_the_published_keys(client, runner, tmp_path, record):
    result = verify(runner, tmp_path, record, keys_file(client, tmp_path))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("valid")
    # Pretty-printed or compact, the same record: only the content is signed.
    result = verify(runner, tmp_path, json.dumps(record, indent=4), keys_file(client, tmp_path))
    assert result.exit_code == 0


def test_a_changed_byte_is_tampered(client, runner, tmp_path, record):
    text = json.dumps(record, ensure_ascii=False).replace("Maria Goreti", "Maria Gorety")
    result = verify(runner, tmp_path, text, keys_file(client, tmp_path))
    assert result.exit_code == 1 and result.output.startswith("tampered")


def test_a_name_given_twice_is_refused_not_verified(client, runner, tmp_path, record):
    """Python's json keeps the last of two equal keys, a reader sees the first:
    a forged name before the genuine one must not verify as valid."""
    genuine = json.dumps(record, ensure_ascii=False)
    name = json.dumps(record["dpv:hasDataSubject"]["nama"], ensure_ascii=False)
    forged = genuine.replace(f'"nama": {name}', f'"nama": "Penipu", "nama": {name}', 1)
    assert forged != genuine and json.loads(forged) == record  # what json alone makes of it
    for text in (forged, genuine[:-1] + ', "x": NaN}'):
        result = verify(runner, tmp_path, text, keys_file(client, tmp_path))
        assert result.exit_code != 0 and result.output.startswith("malformed"), result.output
    assert proof.parse(forged.encode()) is None and proof.parse(genuine.encode()) == record


def test_a_changed_event_is_tampered(client, runner, tmp_path, record):
    record["peristiwa"][1]["keadaan_sesudahnya"]["shu"] = "setuju"
    result = verify(runner, tmp_path, record, keys_file(client, tmp_path))
    assert result.exit_code == 1 and result.output.startswith("tampered")
    del record["peristiwa"][1]
    assert verify(runner, tmp_path, record, keys_file(client, tmp_path)).exit_code == 1


def test_a_record_signed_with_another_key_is_unknown(client, runner, tmp_path, record):
    body = {k: v for k, v in record.items() if k != "proof"}
    other = proof.load_keys(proof.generate_private_key())
    forged = proof.sign(body, other)
    result = verify(runner, tmp_path, forged, keys_file(client, tmp_path))
    assert result.exit_code == 2 and result.output.startswith("unknown key")


def test_not_a_record_is_malformed(client, runner, tmp_path):
    result = verify(runner, tmp_path, "bukan json", keys_file(client, tmp_path))
    assert result.exit_code == 3


def test_old_keys_stay_published_after_a_rotation(app, tmp_path):
    old = proof.load_keys(proof.generate_private_key())
    old_public = proof._b64(proof.raw_public(old.private.public_key()))
    from tests.conftest import make_app

    rotated = make_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, CONSENT_OLD_PUBLIC_KEYS=old_public)
    published = proof.parse_key_set(rotated.test_client().get("/bukti/kunci.json").get_json())
    assert old.current_id in published and len(published) == 2
    signed_before = proof.sign({"dct:conformsTo": proof.PROFILE, "peristiwa": []}, old)
    assert proof.verify(signed_before, published) == (proof.VALID, old.current_id)


def test_a_private_key_from_the_environment_in_pem_or_seed_form():
    pem = proof.generate_private_key()
    key = proof.parse_private_key(pem)
    assert isinstance(key, Ed25519PrivateKey)
    seed = proof._b64(key.private_bytes_raw())
    assert proof.load_keys(seed).current_id == proof.load_keys(pem).current_id


# ---------------------------------------------------------------- without HTTP

def test_sign_and_verify_directly():
    keys = proof.load_keys(proof.generate_private_key())
    signed = proof.sign({"b": 1, "a": ["Flores", "é"]}, keys)
    assert proof.verify(signed, keys.published) == (proof.VALID, keys.current_id)
    assert proof.verify({**signed, "b": 2}, keys.published) == (proof.TAMPERED, keys.current_id)
    garbled = {**signed, "proof": {**signed["proof"], "signature": "!!"}}
    assert proof.verify(garbled, keys.published) == (proof.TAMPERED, keys.current_id)
    assert proof.verify(signed, {}) == (proof.UNKNOWN_KEY, keys.current_id)


@pytest.mark.parametrize("document", [
    None, [], "bukti", {}, {"proof": "x"},
    {"proof": {"alg": "RS256", "kid": "a", "signature": "b"}},
    {"proof": {"alg": "Ed25519", "kid": 1, "signature": "b"}},
    {"proof": {"alg": "Ed25519", "kid": "a"}},
])
def test_anything_but_a_signed_record_is_malformed(document):
    assert proof.verify(document, {}) == (proof.MALFORMED, None)


def test_canonical_form_ignores_key_order_and_keeps_text_as_written():
    assert proof.canonical({"b": 1, "a": {"d": "é", "c": True}}) == '{"a":{"c":true,"d":"é"},"b":1}'.encode()


def test_the_key_set_reads_back_what_it_publishes():
    published = {**proof.load_keys(proof.generate_private_key()).published,
                 **proof.load_keys(proof.generate_private_key()).published}
    document = proof.key_set(published)
    assert {k["alg"] for k in document["keys"]} == {"EdDSA"} and len(document["keys"]) == 2
    assert proof.parse_key_set(document) == published
    assert proof.parse_key_set({"keys": [{"kty": "RSA", "kid": "x", "x": "AA"}]}) == {}


def test_the_local_key_is_made_once_and_readable_by_its_owner_only(tmp_path):
    instance = tmp_path / "instance"
    first = proof.local_private_key(instance)
    assert (instance / "consent_signing_key.pem").stat().st_mode & 0o777 == 0o600
    assert proof.local_private_key(instance) == first
    assert isinstance(proof.parse_private_key(first), Ed25519PrivateKey)


def test_an_erased_record_names_nobody(app):
    from portal import consent
    from tests.portal.consent.helpers import store

    with app.app_context():
        submission = store()
        consent.erase(submission)
        record = proof.record(submission, "https://portal.example.org")
    assert record["dpv:hasDataSubject"] == {"dpv:hasIdentifier": consent.format_receipt_code(submission.receipt_code)}
    assert record["dpv:hasConsentStatus"] == "Data dihapus"
    assert [e["jenis"] for e in record["peristiwa"]] == ["diberikan", "dihapus"]
    assert "Maria" not in json.dumps(record)
