"""The NIK at rest: a key id on every value, a wrong key fails loudly, and a
rotation re-encrypts everything so the old key can be removed."""
import pytest
from sqlalchemy import select

from portal.bpjs import registration, vault
from portal.config import TEST_NIK_KEYS
from portal.extensions import db
from portal.models import BpjsRegistration
from tests.portal.bpjs.helpers import ANA_NIK, give_registration, private_page

OLD = TEST_NIK_KEYS["NIK_KEYS"]
NEW = "baru2:" + "bmV3LW5pay1rZXktZm9yLXRoZS1yb3RhdGlvbi10ZXM"
WRONG = "test1:" + "d3JvbmctbmlrLWtleS13aXRoLXRoZS1zYW1lLWlkLTA"


def _stored(app) -> BpjsRegistration:
    with app.app_context():
        found = db.session.scalar(select(BpjsRegistration))
        db.session.expunge_all()
        return found


def _reopen(app, tmp_path, keys: str):
    """The same database under other keys, without emptying it (as a restart does)."""
    from portal import create_app

    return create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                       "SITE_DIR": str(tmp_path / "no-site"), "NIK_KEYS": keys})


def test_wrong_or_missing_key_fails_loudly(app, client, tmp_path):
    assert give_registration(client, private_page(client)).status_code == 303
    for keys, message in ((WRONG, "the key is wrong"), (NEW, "which is not in NIK_KEYS")):
        other = _reopen(app, tmp_path, keys)
        with other.app_context():
            found = db.session.scalar(select(BpjsRegistration))
            with pytest.raises(vault.VaultError, match=message):
                registration.nik(found)
            db.session.remove()


def test_rotation_reencrypts_and_the_old_key_can_go(app, client, tmp_path):
    assert give_registration(client, private_page(client)).status_code == 303
    before = _stored(app)
    assert vault.key_id(before.nik_encrypted) == "test1"

    both = _reopen(app, tmp_path, f"{NEW},{OLD}")
    result = both.test_cli_runner().invoke(args=["bpjs", "rotate-nik"])
    assert result.exit_code == 0, result.output
    assert "1 NIK moved from key test1 to key baru2." in result.output
    assert ANA_NIK not in result.output
    with both.app_context():
        db.session.remove()

    only_new = _reopen(app, tmp_path, NEW)
    with only_new.app_context():
        after = db.session.scalar(select(BpjsRegistration))
        assert vault.key_id(after.nik_encrypted) == "baru2"
        assert registration.nik(after) == ANA_NIK
        assert after.nik_hash == before.nik_hash  # the hash key did not change
        db.session.remove()
    again = only_new.test_cli_runner().invoke(args=["bpjs", "rotate-nik"])
    assert "Every NIK is already under key baru2." in again.output


def test_a_new_key_is_printed_for_the_environment(app):
    result = app.test_cli_runner().invoke(args=["bpjs", "nik-key"])
    entry = result.output.split("put it first, keep the old ones until rotate-nik has run): ")[1].split()[0]
    assert vault.load_keys(entry, TEST_NIK_KEYS["NIK_HASH_KEY"]).current == entry.split(":")[0]


def test_local_keys_are_made_once_and_private(tmp_path):
    first = vault.local_keys(tmp_path)
    assert vault.local_keys(tmp_path) == first
    assert (tmp_path / "nik_keys.json").stat().st_mode & 0o777 == 0o600
    vault.load_keys(first["NIK_KEYS"], first["NIK_HASH_KEY"])
