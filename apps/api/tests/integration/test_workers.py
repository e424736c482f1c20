"""Background jobs: in-process (the embedded default) and through Redis with real worker
processes, including a worker killed in the middle of a rollup reconciliation.

Redis: WISMO_TEST_REDIS_URL (default redis://127.0.0.1:6379/0); skipped when unreachable,
a failure with WISMO_REQUIRE_SERVICES=1. Each test uses its own stream and consumer group.
"""

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from redis.asyncio import Redis
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from taskiq import InMemoryBroker
from taskiq.kicker import AsyncKicker

from app.core import clock
from app.core.config import Settings
from app.db.migrations import upgrade
from app.db.session import Database, build_engine, set_database
from app.demo import DemoConfig, load_store_data
from app.ingestion.rollups import rebuild_store
from app.models import (
    Insight,
    Order,
    OrderInquiry,
    Shipment,
    Store,
    WismoDailyDimensionMetrics,
    WismoDailyHistogram,
    WismoDailyMetrics,
)
from app.stores import timezone_change
from app.stores.models import TimezoneChange
from app.stores.service import create_store
from app.workers.analytics_tasks import register
from app.workers.broker import WorkerSettings, build_broker
from tests.conftest import REQUIRE_SERVICES
from tests.integration.test_alert_delivery import _scratch_url, in_thread

API_DIR = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("WISMO_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(scope="module")
def scratch_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    for url in _scratch_url(tmp_path_factory, "workers"):
        in_thread(upgrade, url)
        yield url


@pytest.fixture
async def sessions(scratch_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = build_engine(scratch_url)
    yield async_sessionmaker(engine, expire_on_commit=False)
    await engine.dispose()


@pytest.fixture
async def demo_store(sessions: async_sessionmaker[AsyncSession]) -> uuid.UUID:
    async with sessions() as session:
        store = await create_store(
            session, f"Worker Store {uuid.uuid4().hex[:6]}", "America/New_York"
        )
        await load_store_data(
            session, store, DemoConfig(days=35, orders_per_day=12, seed=3, now=clock.now())
        )
        await session.commit()
        return store.id


async def rollups(
    sessions: async_sessionmaker[AsyncSession], store_id: uuid.UUID
) -> dict[str, Any]:
    """Every rollup row of the store, as plain values."""
    out: dict[str, Any] = {}
    async with sessions() as session:
        for table in (WismoDailyMetrics, WismoDailyDimensionMetrics, WismoDailyHistogram):
            cols = [c for c in table.__table__.columns if c.name not in ("updated_at",)]
            derived = {"inquiry_rate", "avg_resolution_time", "satisfaction_score"}
            rows = await session.execute(select(*cols).where(cols[0] == store_id))
            out[table.__tablename__] = sorted(
                tuple(v for c, v in zip(cols, r, strict=True) if c.name not in derived)
                for r in rows.all()
            )
    return out


async def perturb(sessions: async_sessionmaker[AsyncSession], store_id: uuid.UUID) -> None:
    async with sessions() as session:
        t = WismoDailyMetrics
        await session.execute(
            update(t).where(t.store_id == store_id).values(total_inquiries=t.total_inquiries + 7)
        )
        await session.commit()


@pytest.fixture
def use_database(scratch_url: str) -> Iterator[None]:
    """Point the tasks' get_database() at the scratch database."""
    db = Database(Settings(database_url=scratch_url))
    set_database(db)
    yield
    set_database(None)


# ---------------------------------------------------------------- in-process (embedded default)


async def test_in_memory_tasks_run_in_process(
    sessions: async_sessionmaker[AsyncSession], demo_store: uuid.UUID, use_database: None
) -> None:
    broker = InMemoryBroker(await_inplace=True)
    tasks = register(broker)
    await broker.startup()
    try:
        expected = await rollups(sessions, demo_store)
        await perturb(sessions, demo_store)
        assert await rollups(sessions, demo_store) != expected
        job = await tasks.reconcile_rollups.kiq(str(demo_store))
        result = await job.wait_result(timeout=60)
        assert result.return_value == {"store": str(demo_store), "reconciled": True}
        assert await rollups(sessions, demo_store) == expected

        job = await tasks.generate_insights.kiq(str(demo_store), ["30d"])
        n = (await job.wait_result(timeout=60)).return_value
        assert n >= 1
        async with sessions() as session:
            stored = await session.scalar(
                select(func.count()).select_from(Insight).where(Insight.store_id == demo_store)
            )
        assert stored == n

        job = await tasks.evaluate_alerts.kiq(str(demo_store))
        assert isinstance((await job.wait_result(timeout=60)).return_value, list)
    finally:
        await broker.shutdown()


# ---------------------------------------------------------------- Redis


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(REDIS_URL)
    try:
        await client.ping()
    except (OSError, Exception) as exc:
        await client.aclose()
        if REQUIRE_SERVICES:
            raise RuntimeError(f"Redis is required but unreachable at {REDIS_URL}: {exc}") from exc
        pytest.skip(f"Redis unreachable at {REDIS_URL}: {exc}")
    yield client
    await client.aclose()


@pytest.fixture
def queue() -> WorkerSettings:
    tag = uuid.uuid4().hex[:8]
    return WorkerSettings(
        task_queue=f"wismo-test:{tag}",
        task_consumer_group=f"wismo-test-{tag}",
        task_redelivery_seconds=2,
    )


@pytest.fixture
async def kicker(redis: Redis, queue: WorkerSettings) -> AsyncIterator[Any]:
    broker = build_broker(REDIS_URL, worker_settings=queue)
    await broker.startup()  # declares the consumer group (from the stream's start)
    yield broker
    await broker.shutdown()
    await redis.delete(queue.task_queue)


class Worker:
    """`python -m app.workers.runner worker --processes 1` as a child process."""

    def __init__(self, database_url: str, queue: WorkerSettings) -> None:
        env = {
            **os.environ,
            "WISMO_DATABASE_URL": database_url,
            "WISMO_REDIS_URL": REDIS_URL,
            "WISMO_TASK_QUEUE": queue.task_queue,
            "WISMO_TASK_CONSUMER_GROUP": queue.task_consumer_group,
            "WISMO_TASK_REDELIVERY_SECONDS": str(queue.task_redelivery_seconds),
            "WISMO_LOG_LEVEL": "WARNING",
            **clock.subprocess_env(),  # the worker's clock agrees with this process's
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "app.workers.runner", "worker", "--processes", "1"],
            cwd=API_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


async def eventually(check: Any, timeout: float = 60.0, every: float = 0.2) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = await check()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        await asyncio.sleep(every)


async def test_redis_worker_runs_a_task(
    sessions: async_sessionmaker[AsyncSession],
    demo_store: uuid.UUID,
    scratch_url: str,
    kicker: Any,
    queue: WorkerSettings,
) -> None:
    worker = Worker(scratch_url, queue)
    try:
        await AsyncKicker("wismo.generate_insights", kicker, {}).kiq(str(demo_store), ["30d", "7d"])

        async def stored() -> int:
            async with sessions() as session:
                return int(
                    await session.scalar(
                        select(func.count(func.distinct(Insight.range_start))).where(
                            Insight.store_id == demo_store
                        )
                    )
                    or 0
                )

        assert await eventually(lambda: _at_least(stored, 2)) >= 2
        assert worker.proc.poll() is None
    finally:
        worker.stop()


async def _at_least(check: Any, n: int) -> int:
    value = int(await check())
    return value if value >= n else 0


async def test_a_killed_worker_does_not_lose_the_reconciliation(
    sessions: async_sessionmaker[AsyncSession],
    demo_store: uuid.UUID,
    scratch_url: str,
    kicker: Any,
    queue: WorkerSettings,
    redis: Redis,
) -> None:
    expected = await rollups(sessions, demo_store)
    await perturb(sessions, demo_store)
    broken = await rollups(sessions, demo_store)
    assert broken != expected

    first = Worker(scratch_url, queue)
    try:
        await AsyncKicker("wismo.reconcile_rollups", kicker, {}).kiq(
            str(demo_store), pause_before_commit=4.0
        )

        async def delivered() -> bool:
            info = await redis.xpending(queue.task_queue, queue.task_consumer_group)
            return int(info["pending"]) == 1

        await eventually(delivered, timeout=30)
        await asyncio.sleep(1.5)  # inside the job: rebuilt, not committed
        first.kill()
    finally:
        first.stop()
    # the job died with its transaction: nothing half-written, the message still pending
    assert await rollups(sessions, demo_store) == broken
    info = await redis.xpending(queue.task_queue, queue.task_consumer_group)
    assert int(info["pending"]) == 1

    second = Worker(scratch_url, queue)
    try:

        async def exact() -> bool:
            return await rollups(sessions, demo_store) == expected

        await eventually(exact, timeout=60)

        async def acknowledged() -> bool:
            info = await redis.xpending(queue.task_queue, queue.task_consumer_group)
            return int(info["pending"]) == 0

        await eventually(acknowledged, timeout=30)
    finally:
        second.stop()


async def test_time_zone_change_task_in_committed_chunks(
    sessions: async_sessionmaker[AsyncSession],
    demo_store: uuid.UUID,
    use_database: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(timezone_change, "CHUNK", 50)
    tokyo = ZoneInfo("Asia/Tokyo")
    async with sessions() as session:
        store = await session.get(Store, demo_store)
        assert store is not None
        job = await timezone_change.start_change(session, store, "Asia/Tokyo")
        assert job is not None
        await session.commit()
        job_id = job.id
        # A live lease: another worker holds the job, so this one leaves it alone.
        await session.execute(
            update(TimezoneChange)
            .where(TimezoneChange.id == job_id)
            .values(lease_until=clock.now() + timedelta(minutes=1))
        )
        await session.commit()
        assert await timezone_change.unfinished_job_ids(session) == []
    assert await timezone_change.run_change(sessions, job_id) == "busy"
    async with sessions() as session:
        await session.execute(
            update(TimezoneChange)
            .where(TimezoneChange.id == job_id)
            .values(lease_until=clock.now() - timedelta(seconds=1))
        )
        await session.commit()
        assert await timezone_change.unfinished_job_ids(session) == [job_id]

    broker = InMemoryBroker(await_inplace=True)
    tasks = register(broker)
    await broker.startup()
    try:
        kicked = await tasks.change_timezone.kiq(str(job_id))
        assert (await kicked.wait_result(timeout=120)).return_value == "done"
    finally:
        await broker.shutdown()

    async with sessions() as session:
        finished = await session.scalar(select(TimezoneChange).where(TimezoneChange.id == job_id))
        orders = (
            await session.execute(
                select(Order.created_at, Order.local_date).where(Order.store_id == demo_store)
            )
        ).all()
        inquiries = (
            await session.execute(
                select(
                    OrderInquiry.created_at,
                    OrderInquiry.local_date,
                    OrderInquiry.local_hour,
                    OrderInquiry.local_weekday,
                ).where(OrderInquiry.store_id == demo_store)
            )
        ).all()
        shipments = await session.scalar(
            select(func.count()).select_from(Shipment).where(Shipment.store_id == demo_store)
        )
    assert finished is not None and finished.status == "done"
    assert finished.done == finished.total == len(orders) + len(inquiries) + shipments
    assert len(orders) > 50  # more than one chunk
    for created, day in orders:
        assert day == created.astimezone(tokyo).date()
    for created, day, hour, weekday in inquiries:
        local = created.astimezone(tokyo)
        assert (day, hour, weekday) == (local.date(), local.hour, local.weekday())
    rebuilt = await rollups(sessions, demo_store)
    async with sessions() as session:
        await rebuild_store(session, demo_store)
        await session.commit()
    assert await rollups(sessions, demo_store) == rebuilt
    async with sessions() as session:
        daily_orders = await session.execute(
            select(WismoDailyMetrics.date, WismoDailyMetrics.total_orders).where(
                WismoDailyMetrics.store_id == demo_store, WismoDailyMetrics.total_orders > 0
            )
        )
        by_day = dict(daily_orders.all())
    assert by_day == dict(Counter(day for _, day in orders))


# ---------------------------------------------------------------- schedule and entry points


async def test_the_schedule() -> None:
    from taskiq.schedule_sources import LabelScheduleSource

    from app.workers.schedule import scheduler

    source = next(s for s in scheduler.sources if isinstance(s, LabelScheduleSource))
    await source.startup()
    crons = {t.task_name: t.cron for t in await source.get_schedules()}
    assert crons == {
        "wismo.evaluate_alerts_all_stores": "*/15 * * * *",
        "wismo.deliver_alerts": "* * * * *",
        "wismo.deliver_alert_channels": "* * * * *",
        "wismo.send_due_digests": "*/15 * * * *",
        "wismo.generate_insights_all_stores": "5 * * * *",
        "wismo.reconcile_all_stores": "17 3 * * *",
        "wismo.purge_retention": "7 4 * * *",
        "wismo.resume_timezone_changes": "* * * * *",
    }


def test_worker_and_scheduler_need_redis(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    from app.workers import runner

    monkeypatch.setattr(runner, "get_settings", lambda: Settings(redis_url=None))
    assert runner.main(["worker"]) == 2
    assert runner.main(["scheduler"]) == 2
    assert "WISMO_REDIS_URL is not set" in capsys.readouterr().err
