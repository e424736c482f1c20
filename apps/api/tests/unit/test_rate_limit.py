"""The in-process sliding-window limiter, on a fake clock."""

import asyncio

import pytest

from app.services.rate_limit import (
    InMemoryRateLimiter,
    Limit,
    RateDecision,
    RateLimiter,
    limiter_for,
    rate_key,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


async def test_allows_up_to_the_limit_then_refuses_until_the_oldest_hit_leaves(
    clock: FakeClock,
) -> None:
    limiter = InMemoryRateLimiter(clock=clock)
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
    # t=60: the t=0 hit has left; one slot again
    clock.now = 1060.0
    assert await limiter.hit("k", limit) == RateDecision(True, 0, 0)
    # next slot frees when the t=10 hit leaves (t=70)
    assert await limiter.hit("k", limit) == RateDecision(False, 0, 10)


async def test_check_does_not_count_and_keys_are_independent(clock: FakeClock) -> None:
    limiter = InMemoryRateLimiter(clock=clock)
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
    await limiter.reset("a")
    assert (await limiter.check("a", limit)).allowed


async def test_memory_is_bounded(clock: FakeClock) -> None:
    limiter = InMemoryRateLimiter(clock=clock, max_keys=10)
    limit = Limit(1, 5)
    for i in range(10):
        await limiter.hit(f"old{i}", limit)
    clock.now += 6  # every old key has expired
    for i in range(10):
        await limiter.hit(f"new{i}", limit)
    assert len(limiter) == 10
    # all live: the oldest-created live keys are dropped to make room
    await limiter.hit("newest", limit)
    assert len(limiter) == 10
    assert not (await limiter.hit("newest", limit)).allowed


async def test_concurrent_hits_never_exceed_the_limit(clock: FakeClock) -> None:
    limiter = InMemoryRateLimiter(clock=clock)
    limit = Limit(7, 60)
    results = await asyncio.gather(*(limiter.hit("k", limit) for _ in range(50)))
    assert sum(r.allowed for r in results) == 7


def test_keys_and_app_state() -> None:
    assert rate_key("verify", "s1", "1.2.3.4") == "verify:s1:1.2.3.4"

    class State:
        pass

    state = State()
    first = limiter_for(state)
    assert isinstance(first, InMemoryRateLimiter)
    assert limiter_for(state) is first
    # the protocol is structural: the in-memory limiter satisfies it
    _: RateLimiter = first
