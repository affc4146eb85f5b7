"""Smaller runs of bench/reliability.py's scenarios: nothing acknowledged is
lost or duplicated, with a worker killed, across instances, and rate limits
shared. A thousand submissions with a killed worker are marked slow: `make
reliability` runs them, then bench/reliability.py."""
import os

import pytest

from harness import reliability
from portal.extensions import db
from tests.conftest import make_app, require


def empty(url: str, tmp_path) -> str:
    """The shared PostgreSQL test database without the rows earlier tests left."""
    with make_app(url, tmp_path).app_context():
        db.engine.dispose()
    return url


def assert_clean(result):
    assert result["lost"] == 0
    assert result["duplicated"] == 0
    assert result["half stored"] == 0
    assert result["unacknowledged"] == 0  # after the member's retry


def test_a_short_burst_with_a_killed_worker_loses_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'r.db'}"
    result = reliability.scenario_load("sqlite", url, tmp_path, n=40, connections=8, kill=True, kill_after=0.05)
    assert_clean(result)
    assert result["killed"] == 1 and result["recovered"]
    assert result["stored"] == 40


@pytest.mark.slow
@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_a_thousand_submissions_with_a_killed_worker(request, database, tmp_path):
    if database == "sqlite":
        url = f"sqlite:///{tmp_path / 'r.db'}"
    else:
        url = empty(request.getfixturevalue("postgresql_url"), tmp_path)
    result = reliability.scenario_load(database, url, tmp_path, n=1000, connections=64, kill=True)
    assert_clean(result)
    assert result["killed"] == 1 and result["recovered"]
    assert result["stored"] == 1000


@pytest.mark.postgres
def test_two_instances_share_postgresql(postgresql_url, tmp_path):
    result = reliability.scenario_two_instances(empty(postgresql_url, tmp_path), tmp_path, n=120, connections=32)
    assert_clean(result)
    assert result["same_receipt"] == result["retried_elsewhere"] > 0


def test_rate_limits_hold_across_instances_with_redis(sqlite_url, tmp_path):
    redis_url = os.environ.get("TEST_REDIS_URL")
    require(redis_url, "TEST_REDIS_URL is not set, so the shared rate-limit test is skipped")
    result = reliability.scenario_shared_rate_limit(sqlite_url, tmp_path, redis_url, limit=10, attempts=30)
    assert (result["allowed"], result["refused"]) == (10, 20)
