"""The one rate limiter (core.ratelimit): counts per key, windows, peeking and resetting.
Each limit's own numbers and messages are tested with its feature (SKM, verification, forum,
2FA)."""

import time
from datetime import UTC, datetime, timedelta

from django.core.cache import cache

from core import ratelimit


def _later(monkeypatch, seconds: float) -> None:
    """Move the cache's clock forward."""
    now = time.time() + seconds
    monkeypatch.setattr(time, "time", lambda: now)


def test_every_attempt_counts_and_the_one_beyond_the_limit_is_refused():
    results = [ratelimit.exceeded("t", "a", limit=3, window=60) for _ in range(5)]
    assert results == [False, False, False, True, True]
    # Another key has its own count.
    assert not ratelimit.exceeded("t", "b", limit=3, window=60)
    # So does another limit with the same key.
    assert not ratelimit.exceeded("u", "a", limit=3, window=60)


def test_the_highest_of_several_keys_decides_and_empty_keys_are_skipped():
    for _ in range(3):
        ratelimit.hit("t", "device", window=60)
    assert ratelimit.hit("t", "ip", "device", "", window=60) == 4
    assert ratelimit.count("t", "ip") == 1
    assert ratelimit.hit("t", "", window=60) == 0


def test_the_window_opens_with_the_first_attempt(monkeypatch):
    assert ratelimit.hit("t", "a", window=timedelta(minutes=10)) == 1
    _later(monkeypatch, 9 * 60)
    assert ratelimit.hit("t", "a", window=timedelta(minutes=10)) == 2
    _later(monkeypatch, 10 * 60 + 1)
    assert ratelimit.hit("t", "a", window=timedelta(minutes=10)) == 1


def test_clock_windows_follow_the_given_time():
    at = datetime(2025, 1, 6, 8, 0, 10, tzinfo=UTC)
    assert ratelimit.hit("t", "a", window=60, at=at) == 1
    assert ratelimit.hit("t", "a", window=60, at=at + timedelta(seconds=40)) == 2
    assert ratelimit.hit("t", "a", window=60, at=at + timedelta(seconds=61)) == 1


def test_count_peeks_without_counting_and_reset_closes_the_window():
    assert ratelimit.count("t", "a") == 0
    ratelimit.hit("t", "a", window=60)
    ratelimit.hit("t", "a", window=60)
    assert ratelimit.count("t", "a") == 2
    assert ratelimit.count("t", "a") == 2
    ratelimit.reset("t", "a")
    assert ratelimit.count("t", "a") == 0
    assert ratelimit.hit("t", "a", window=60) == 1


def test_a_window_closing_between_add_and_incr_opens_a_new_one(monkeypatch):
    ratelimit.hit("t", "a", window=60)

    def expired(key, delta=1, version=None):
        cache.delete(key)
        raise ValueError(key)

    monkeypatch.setattr(cache, "incr", expired)
    assert ratelimit.hit("t", "a", window=60) == 1
    monkeypatch.undo()
    assert ratelimit.hit("t", "a", window=60) == 2
