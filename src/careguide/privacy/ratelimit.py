"""Rate limits: fixed-window request counters behind one small store interface.

A limit is "at most N requests per window of W seconds" for a key (a client address, a
credential). Counters live where every API worker sees them: Redis when the deployment runs
the Redis queue (``CAREGUIDE_QUEUE=redis``, several workers), else in the process - the embedded
default is one process. Counters hold hashed keys and numbers only, for at most one window.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Limit:
    name: str
    requests: int
    window_s: int


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after_s: int = 0
    limit: str = ""


class CounterStore(Protocol):
    def hit(self, key: str, window_s: int) -> tuple[int, float]:
        """Count one request for ``key`` in the current window: (count so far, seconds until the window ends)."""
        ...


class MemoryStore:
    """Counters in this process (one API process: the embedded default)."""

    def __init__(self, clock: Callable[[], float] = time.time, max_keys: int = 100_000) -> None:
        self.clock = clock
        self.max_keys = max_keys
        self._lock = threading.Lock()
        self._counts: dict[tuple[str, int], int] = {}

    def hit(self, key: str, window_s: int) -> tuple[int, float]:
        now = self.clock()
        window = int(now // window_s)
        with self._lock:
            if len(self._counts) >= self.max_keys:  # forget ended windows; bounded memory under a flood
                self._counts = {k: v for k, v in self._counts.items() if k[1] >= window}
            count = self._counts.get((f"{key}/{window_s}", window), 0) + 1
            self._counts[(f"{key}/{window_s}", window)] = count
        return count, (window + 1) * window_s - now


class RedisStore:
    """Counters in Redis, shared by every worker: INCR on a per-window key that expires with the window."""

    def __init__(self, client: Any, prefix: str = "careguide:rl:", clock: Callable[[], float] = time.time) -> None:
        self.client = client
        self.prefix = prefix
        self.clock = clock

    def hit(self, key: str, window_s: int) -> tuple[int, float]:
        now = self.clock()
        window = int(now // window_s)
        name = f"{self.prefix}{key}/{window_s}:{window}"
        pipe = self.client.pipeline()
        pipe.incr(name)
        pipe.expire(name, window_s + 1)
        count, _ = pipe.execute()
        return int(count), (window + 1) * window_s - now


class RateLimiter:
    def __init__(self, store: CounterStore) -> None:
        self.store = store

    def check(self, checks: list[tuple[str, Limit]]) -> Verdict:
        """Count the request against every (key, limit); refused if any is over, with the longest wait."""
        refused = [(math.ceil(wait), limit.name) for key, limit in checks
                   for count, wait in [self.store.hit(f"{limit.name}:{key}", limit.window_s)]
                   if count > limit.requests]
        if not refused:
            return Verdict(True)
        wait, name = max(refused)
        return Verdict(False, max(wait, 1), name)


def store_for(queue: str, redis_url: str) -> CounterStore:
    """Redis when the deployment runs several workers on the Redis queue, else this process."""
    if queue == "redis":
        import redis

        return RedisStore(redis.Redis.from_url(redis_url, socket_timeout=0.5))
    return MemoryStore()
