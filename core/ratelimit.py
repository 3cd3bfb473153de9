"""Rate limiting, the one mechanism: attempt counters in Django's cache.

Used by the citizen survey (per IP hash and per device hash), the public certificate
verification (per IP hash), forum posting (per user) and the two-factor codes (wrong codes per
user). Callers build the keys from hashes or ids, never from raw addresses.

A window opens with a key's first attempt (``cache.add`` with the window as its timeout) and
every later attempt adds one with ``cache.incr``: both are atomic in the per-process memory
cache and on Redis, so concurrent requests never lose a count (a file cache's increments are
not). Every call to :func:`hit` counts, attempts refused for the limit itself included (issue
#14: probing costs as much as answering). Given ``at``, the window is instead the fixed slice
of the clock holding ``at`` (the forum's services take their own ``now``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.cache import cache


def _seconds(window: int | timedelta) -> int:
    return int(window.total_seconds()) if isinstance(window, timedelta) else int(window)


def _add_one(key: str, timeout: int) -> int:
    """Add one attempt under ``key``; the count after it."""
    if cache.add(key, 1, timeout):
        return 1
    try:
        count = cache.incr(key)
    except ValueError:  # the window closed between add and incr: a new one opens
        cache.add(key, 1, timeout)
        return 1
    if count == 1:
        # Redis' INCR recreated a key that expired after Django's existence check, without a
        # timeout: give it one, or the key would count (and refuse) forever.
        cache.touch(key, timeout)
    return count


def hit(name: str, *keys: str, window: int | timedelta, at: datetime | None = None) -> int:
    """Count one attempt under each non-empty key of limit ``name``; the highest count in the
    current window after it (0 without keys)."""
    seconds = _seconds(window)
    suffix, timeout = "", seconds
    if at is not None:
        # The clock's slot; kept for two windows, as ``at`` may lag behind the cache's clock.
        suffix, timeout = f":{int(at.timestamp()) // seconds}", seconds * 2
    return max((_add_one(f"{name}:{key}{suffix}", timeout) for key in keys if key), default=0)


def exceeded(
    name: str, *keys: str, limit: int, window: int | timedelta, at: datetime | None = None
) -> bool:
    """Count one attempt (:func:`hit`) and say whether it is beyond ``limit`` in the window."""
    return hit(name, *keys, window=window, at=at) > limit


def count(name: str, key: str) -> int:
    """The attempts counted under ``key`` in its open window (one opened by a first attempt, no
    ``at``), without counting one."""
    return int(cache.get(f"{name}:{key}") or 0)


def reset(name: str, key: str) -> None:
    """Close ``key``'s window: the next attempt opens a new one."""
    cache.delete(f"{name}:{key}")
