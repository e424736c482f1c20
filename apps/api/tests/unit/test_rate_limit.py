"""The sliding-window limiter (`limits`), in memory on a fake clock, and shared in Redis."""

import asyncio
import shutil
import uuid
from typing import Any

import limits.aio.storage.memory as limits_memory
import pytest

from app.core.rate_limit import (
    Limit,
    LimitsRateLimiter,
    RateDecision,
    RateLimiter,
    build_limiter,
    limiter_for,
    rate_key,
)
from tests.conftest import REQUIRE_SERVICES
from tests.servers import redis_server


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def time(self) -> float:  # stands in for the `time` module inside limits' memory storage
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(limits_memory, "time", fake)
    return fake


def memory_limiter(clock: FakeClock) -> LimitsRateLimiter:
    return LimitsRateLimiter(limits_memory.MemoryStorage(), clock=clock)


async def test_allows_up_to_the_limit_then_refuses_until_the_oldest_hit_leaves(
    clock: FakeClock,
) -> None:
    limiter = memory_limiter(clock)
    limit = Limit(3, 60)
    # hits at t=0, 10, 20 (relative): all allowed, remaining 2, 1, 0
    decisions = []
    for _ in range(3):
        decisions.append(await limiter.hit("k", limit))
        clock.now += 10
    assert decisions == [
        RateDecision(True, 2, 0),
        RateDecision(True, 1, 0),
        RateDecision(True, 0, 0),
    ]
    # t=30: refused; the first hit (t=0) leaves the window at t=60 -> retry after 30 s
    assert await limiter.hit("k", limit) == RateDecision(False, 0, 30)
    # refused hits are not counted: at t=59.5 still refused (0.5 s left, rounded up to 1)
    clock.now = 1059.5
    assert await limiter.hit("k", limit) == RateDecision(False, 0, 1)
    # just after t=60: the t=0 hit has left; one slot again
    clock.now = 1060.5
    assert await limiter.hit("k", limit) == RateDecision(True, 0, 0)
    # next slot frees when the t=10 hit leaves (t=70): 9.5 s from t=60.5, rounded up
    assert await limiter.hit("k", limit) == RateDecision(False, 0, 10)


async def test_check_does_not_count_and_keys_are_independent(clock: FakeClock) -> None:
    limiter = memory_limiter(clock)
    limit = Limit(2, 900)
    for _ in range(5):
        assert (await limiter.check("a", limit)).allowed
    await limiter.hit("a", limit)
    await limiter.hit("a", limit)
    blocked = await limiter.check("a", limit)
    assert not blocked.allowed and blocked.retry_after == 900
    assert (await limiter.check("b", limit)) == RateDecision(True, 2, 0)
    clock.now += 450
    assert (await limiter.check("a", limit)).retry_after == 450
    await limiter.reset("a", limit)
    assert (await limiter.check("a", limit)) == RateDecision(True, 2, 0)


async def test_concurrent_hits_never_exceed_the_limit(clock: FakeClock) -> None:
    limiter = memory_limiter(clock)
    limit = Limit(7, 60)
    results = await asyncio.gather(*(limiter.hit("k", limit) for _ in range(50)))
    assert sum(r.allowed for r in results) == 7


def test_keys_and_app_state() -> None:
    assert rate_key("verify", "s1", "1.2.3.4") == "verify:s1:1.2.3.4"

    class State:
        pass

    state = State()
    first = limiter_for(state)
    assert isinstance(first, LimitsRateLimiter)
    assert isinstance(first.storage, limits_memory.MemoryStorage)
    assert limiter_for(state) is first
    # the protocol is structural: the limits-backed limiter satisfies it
    _: RateLimiter = first


@pytest.mark.redis
async def test_redis_counts_are_shared_by_every_process() -> None:
    if shutil.which("redis-server") is None:
        if REQUIRE_SERVICES:
            raise RuntimeError("redis-server is required (WISMO_REQUIRE_SERVICES=1)")
        pytest.skip("redis-server not installed")
    with redis_server() as (url, _):
        # two limiters = two API processes on one Redis
        a, b = build_limiter(url), build_limiter(url)
        key, limit = f"login:{uuid.uuid4()}", Limit(3, 60)
        results: list[Any] = []
        for limiter in (a, b, a, b, a):
            results.append((await limiter.hit(key, limit)).allowed)
        assert results == [True, True, True, False, False]
        refused = await b.check(key, limit)
        assert not refused.allowed and 1 <= refused.retry_after <= 60
        await a.reset(key, limit)
        assert (await b.check(key, limit)) == RateDecision(True, 3, 0)
