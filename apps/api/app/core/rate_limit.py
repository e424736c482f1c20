"""Rate limits keyed by arbitrary strings (store + client, account, IP, ...).

`RateLimiter` is the interface the API uses. The implementation is the `limits` library's
moving (sliding) window: in Redis when `WISMO_REDIS_URL` is set, so every API process shares
the counts, otherwise in this process's memory (one process, tests, the demo).

Two ways of using it:

* throttling requests: `hit()` on every request; refused once `limit` hits fall in the window;
* counting failures (e.g. wrong passwords or verification details): `check()` before an
  attempt (refused while `limit` failures fall in the window) and `hit()` only when the
  attempt fails.

Refused hits are not recorded, so a client hammering a closed door does not extend its own
lock-out: it ends `window` seconds after the oldest counted hit.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, cast

from limits import RateLimitItem, RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from app.core.timeutils import utcnow

__all__ = [
    "Limit",
    "LimitsRateLimiter",
    "RateDecision",
    "RateLimiter",
    "build_limiter",
    "limiter_for",
    "rate_key",
]


@dataclass(frozen=True)
class Limit:
    """At most `count` events per `window_seconds` (whole seconds)."""

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

    async def reset(self, key: str, limit: Limit) -> None: ...


def rate_key(*parts: object) -> str:
    """A limiter key from its parts: rate_key("verify", store_id, ip) -> "verify:<id>:<ip>"."""
    return ":".join(str(p) for p in parts)


def _item(limit: Limit) -> RateLimitItem:
    return RateLimitItemPerSecond(limit.count, max(1, math.ceil(limit.window_seconds)))


def _now() -> float:
    return utcnow().timestamp()


class LimitsRateLimiter:
    """The sliding-window log of `limits` over any of its async storages."""

    def __init__(self, storage: Storage, *, clock: Callable[[], float] = _now) -> None:
        self.storage = storage
        self._strategy = MovingWindowRateLimiter(storage)
        self._clock = clock

    async def _decision(self, allowed: bool, key: str, limit: Limit) -> RateDecision:
        item = _item(limit)
        stats = await self._strategy.get_window_stats(item, key)
        if allowed:
            return RateDecision(True, max(0, stats.remaining), 0)
        return RateDecision(False, 0, max(1, math.ceil(stats.reset_time - self._clock())))

    async def hit(self, key: str, limit: Limit) -> RateDecision:
        allowed = await self._strategy.hit(_item(limit), key)
        return await self._decision(allowed, key, limit)

    async def check(self, key: str, limit: Limit) -> RateDecision:
        allowed = await self._strategy.test(_item(limit), key)
        return await self._decision(allowed, key, limit)

    async def reset(self, key: str, limit: Limit) -> None:
        await self._strategy.clear(_item(limit), key)


def build_limiter(redis_url: str | None) -> LimitsRateLimiter:
    """Redis storage when a URL is given (shared by every process), else process memory."""
    if not redis_url:
        return LimitsRateLimiter(MemoryStorage())
    storage = storage_from_string(f"async+{redis_url}", implementation="redispy")
    return LimitsRateLimiter(cast(Storage, storage))


def limiter_for(state: Any) -> RateLimiter:
    """The limiter kept on an application's `state` (created on first use from its settings).

    Set `state.rate_limiter` at start-up to use another implementation.
    """
    limiter: RateLimiter | None = getattr(state, "rate_limiter", None)
    if limiter is None:
        settings = getattr(state, "settings", None)
        limiter = build_limiter(getattr(settings, "redis_url", None))
        state.rate_limiter = limiter
    return limiter
