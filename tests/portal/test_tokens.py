"""portal.public.tokens: the signed token each rendering of the form carries.
A token read back gives what was signed and its age; a forged, stale or
oversized one gives nothing."""
import secrets
import time

import pytest

from portal.public import tokens


@pytest.fixture
def context(sqlite_app):
    with sqlite_app.test_request_context("/daftar/"):
        yield sqlite_app


def test_a_token_reads_back_its_source_and_a_fresh_key(context):
    source = {"koperasi": "pintu-air", "kampanye": "rat-2026", "utm": {"utm_source": "whatsapp"}}
    first, second = tokens.issue(source), tokens.issue(source)
    (payload, age), (other, _) = tokens.read(first), tokens.read(second)
    assert payload["s"] == source
    assert 0 <= age < 5
    assert len(payload["k"]) >= 24 and payload["k"] != other["k"]  # one key per rendering


def test_the_age_is_the_time_since_the_form_was_shown(context, monkeypatch):
    shown = time.time()
    monkeypatch.setattr(time, "time", lambda: shown - 90)
    token = tokens.issue({})
    monkeypatch.setattr(time, "time", lambda: shown)
    assert tokens.read(token)[1] == pytest.approx(90, abs=1)


def test_a_token_older_than_a_week_is_stale(context, monkeypatch):
    shown = time.time()
    monkeypatch.setattr(time, "time", lambda: shown - tokens.MAX_AGE - 60)
    token = tokens.issue({})
    monkeypatch.setattr(time, "time", lambda: shown)
    assert tokens.read(token) is None
    monkeypatch.setattr(time, "time", lambda: shown - 120)  # the same token, read within its week
    assert tokens.read(token) is not None


@pytest.mark.parametrize("change", [
    lambda t: t[:-3] + ("AAA" if not t.endswith("AAA") else "BBB"),  # another signature
    lambda t: "x" + t,  # another payload
    lambda t: t.split(".")[0],  # the signature cut off
    lambda t: "",
])
def test_a_forged_token_gives_nothing(context, change):
    assert tokens.read(change(tokens.issue({"koperasi": "pintu-air"}))) is None


def test_a_token_signed_with_another_secret_gives_nothing(context, sqlite_url, tmp_path):
    from tests.conftest import make_app

    other = make_app(sqlite_url, tmp_path, SECRET_KEY="another secret of another server")
    with other.test_request_context("/daftar/"):
        foreign = tokens.issue({"koperasi": "pintu-air"})
    assert tokens.read(foreign) is None


def test_a_signed_payload_of_another_shape_gives_nothing(context):
    serializer = tokens._serializer()
    assert tokens.read(serializer.dumps(["k", "s"])) is None
    assert tokens.read(serializer.dumps({"k": 12345, "s": {}})) is None
    assert tokens.read(serializer.dumps({"s": {}})) is None
    assert tokens.read(serializer.dumps({"k": "kunci", "s": {}})) is not None


def test_an_oversized_token_is_refused_before_any_work(context, monkeypatch):
    def must_not_run():
        raise AssertionError("an oversized token reached the serializer")

    token = tokens.issue({"utm": {"utm_content": secrets.token_urlsafe(1600)}})  # incompressible
    assert len(token) > 2000
    monkeypatch.setattr(tokens, "_serializer", must_not_run)
    assert tokens.read(token) is None
    assert tokens.read(None) is None


def test_utm_parameters_are_kept_trimmed_and_nothing_else(sqlite_app):
    query = ("/daftar/?utm_source=whatsapp&utm_medium=grup&utm_campaign=" + "r" * 200
             + "&utm_term=&utm_id=1&koperasi=pintu-air&ref=x")
    with sqlite_app.test_request_context(query):
        assert tokens.utm_from_request() == {"utm_source": "whatsapp", "utm_medium": "grup",
                                             "utm_campaign": "r" * 80}
    with sqlite_app.test_request_context("/daftar/"):
        assert tokens.utm_from_request() == {}
