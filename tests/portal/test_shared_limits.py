"""The rate-limit counters every worker shares through one file (file+shared://)."""
import multiprocessing
import time

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from portal.platform import shared_limits


def storage(tmp_path):
    return storage_from_string(f"file+shared://{tmp_path / 'limits'}")


def _hit_many(path, times, results):
    window = FixedWindowRateLimiter(storage_from_string(f"file+shared://{path}"))
    limit = parse("30 per minute")
    results.put(sum(window.hit(limit, "203.0.113.7") for _ in range(times)))


def test_a_limit_is_exact_across_processes(tmp_path):
    """Three forked processes (as gunicorn's workers), 100 hits between them: 30 pass."""
    shared = storage(tmp_path)
    shared.check()  # opened in the parent before the fork, as in gunicorn's master
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    workers = [context.Process(target=_hit_many, args=(tmp_path / "limits", n, results)) for n in (34, 33, 33)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sum(results.get() for _ in workers) == 30
    assert shared.get(parse("30 per minute").key_for("203.0.113.7")) == 100
    assert (tmp_path / "limits").stat().st_mode & 0o777 == 0o600


def test_a_window_ends_and_a_new_one_starts(tmp_path):
    window = FixedWindowRateLimiter(storage(tmp_path))
    second = parse("2 per 1 second")
    assert [window.hit(second, "a"), window.hit(second, "a"), window.hit(second, "a")] == [True, True, False]
    assert window.hit(second, "b")  # another address counts alone
    assert window.get_window_stats(second, "a").reset_time > time.time()
    time.sleep(1.05)
    assert window.hit(second, "a")


def test_clear_and_reset(tmp_path):
    shared = storage(tmp_path)
    assert shared.incr("k", 60) == 1 and shared.incr("k", 60) == 2
    shared.clear("k")
    assert shared.get("k") == 0 and shared.incr("k", 60) == 1
    shared.reset()
    assert shared.get("k") == 0


def test_a_full_neighbourhood_gives_way_to_the_window_that_ends_soonest(tmp_path, monkeypatch):
    monkeypatch.setattr(shared_limits, "SLOTS", 4)
    monkeypatch.setattr(shared_limits, "PROBES", 4)
    shared = storage(tmp_path)
    for n, expiry in enumerate((50, 10, 60, 70)):
        shared.incr(f"k{n}", expiry)
    assert shared.incr("new", 60) == 1
    assert shared.get("k1") == 0 and [shared.get(f"k{n}") for n in (0, 2, 3)] == [1, 1, 1]
