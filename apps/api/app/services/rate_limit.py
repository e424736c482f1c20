"""Small rate limiters keyed by arbitrary strings (store + client, conversation, IP, ...).

`RateLimiter` is the interface the API uses; `InMemoryRateLimiter` is the embedded
single-process implementation (sliding-window log). A Redis implementation can replace it
without touching callers: the methods are async and take the window with every call, so a
Redis sorted set per key (ZREMRANGEBYSCORE + ZCARD + ZADD in one MULTI) fits the same shape.

Two ways of using it:

* throttling requests: `hit()` on every request; refused once `limit` hits fall in the window;
* counting failures (e.g. wrong verification details): `check()` before an attempt (refused
  while `limit` failures fall in the window) and `hit()` only when the attempt fails.

Refused hits are not recorded, so a client hammering a closed door does not extend its own
lock-out: it ends `window` seconds after the oldest counted hit.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from app.core.clock import monotonic

__all__ = [
    "InMemoryRateLimiter",
    "Limit",
    "RateDecision",
    "RateLimiter",
    "limiter_for",
    "rate_key",
]


@dataclass(frozen=True)
class Limit:
    """At most `count` events per `window_seconds`."""

    count: int
    window_seconds: float


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    remaining: int
    retry_after: int  # whole seconds until the next event would be allowed (0 when allowed)


class RateLimiter(Protocol):
    async def hit(self, key: str, limit: Limit) -> RateDecision:
        """Count one event for `key` unless the limit is already reached."""
        ...

    async def check(self, key: str, limit: Limit) -> RateDecision:
        """Whether one more event would be allowed, without counting one."""
        ...

    async def reset(self, key: str) -> None: ...


def rate_key(*parts: object) -> str:
    """A limiter key from its parts: rate_key("verify", store_id, ip) -> "verify:<id>:<ip>"."""
    return ":".join(str(p) for p in parts)


class InMemoryRateLimiter:
    """Sliding-window log per key, in this process only (one API process, tests, the demo).

    Memory is bounded: at most `max_keys` keys are kept; when full, expired entries are
    swept and, if that is not enough, the least recently created keys are dropped.
    """

    def __init__(self, *, clock: Callable[[], float] = monotonic, max_keys: int = 100_000) -> None:
        self._clock = clock
        self._max_keys = max_keys
        self._hits: dict[str, deque[float]] = {}
        self._windows: dict[str, float] = {}
        self._lock = threading.Lock()

    def _prune(self, key: str, window: float, now: float) -> deque[float]:
        log = self._hits.get(key)
        if log is None:
            return deque()
        while log and log[0] <= now - window:
            log.popleft()
        return log

    def _decide(self, log: deque[float], limit: Limit, now: float) -> RateDecision:
        if len(log) < limit.count:
            return RateDecision(True, limit.count - len(log), 0)
        # Allowed again once enough of the oldest hits have left the window.
        release = log[len(log) - limit.count] + limit.window_seconds
        return RateDecision(False, 0, max(1, math.ceil(release - now)))

    def _sweep(self, now: float) -> None:
        for key in list(self._hits):
            log = self._prune(key, self._windows.get(key, 0.0), now)
            if not log:
                del self._hits[key]
                self._windows.pop(key, None)
        while len(self._hits) >= self._max_keys:
            oldest = next(iter(self._hits))
            del self._hits[oldest]
            self._windows.pop(oldest, None)

    async def hit(self, key: str, limit: Limit) -> RateDecision:
        with self._lock:
            now = self._clock()
            log = self._prune(key, limit.window_seconds, now)
            decision = self._decide(log, limit, now)
            if not decision.allowed:
                return decision
            if key not in self._hits:
                if len(self._hits) >= self._max_keys:
                    self._sweep(now)
                self._hits[key] = log
            log.append(now)
            self._windows[key] = max(self._windows.get(key, 0.0), limit.window_seconds)
            return RateDecision(True, limit.count - len(log), 0)

    async def check(self, key: str, limit: Limit) -> RateDecision:
        with self._lock:
            now = self._clock()
            return self._decide(self._prune(key, limit.window_seconds, now), limit, now)

    async def reset(self, key: str) -> None:
        with self._lock:
            self._hits.pop(key, None)
            self._windows.pop(key, None)

    def __len__(self) -> int:
        return len(self._hits)


def limiter_for(state: Any) -> RateLimiter:
    """The limiter kept on an application's `state` (created on first use).

    Set `state.rate_limiter` at start-up to use another implementation (e.g. Redis).
    """
    limiter: RateLimiter | None = getattr(state, "rate_limiter", None)
    if limiter is None:
        limiter = InMemoryRateLimiter()
        state.rate_limiter = limiter
    return limiter
