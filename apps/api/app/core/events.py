"""The EventBus: tells live dashboards that a store's rollups changed.

`InProcessBus` fans out inside one process (the embedded default). `RedisBus` publishes on
Redis pub/sub so that every API process hears every write, and feeds its own in-process bus
from one subscription per process. Publishing never fails a write: without Redis a
notification is lost (dashboards then poll), the write is not. The subscriber reconnects
with backoff and tells connected dashboards when live updates are degraded or restored.
"""

import asyncio
import contextlib
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from app.core import clock
from app.core.logging import get_logger
from app.ingestion.rollups import TOUCHED_DATES_KEY

log = get_logger(__name__)

Message = dict[str, Any]
CHANNEL_PREFIX = "wismo:store:"
BROADCAST = "*"  # pseudo store id: messages for every subscriber (bus state changes)


class InProcessBus:
    def __init__(self, queue_size: int = 100) -> None:
        self._subscribers: defaultdict[str, set[asyncio.Queue[Message]]] = defaultdict(set)
        self._queue_size = queue_size
        self.degraded = False

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def publish(self, store_id: uuid.UUID | str, message: Message) -> None:
        self.deliver(str(store_id), message)

    def deliver(self, store_id: str, message: Message) -> None:
        targets = (
            [q for qs in self._subscribers.values() for q in qs]
            if store_id == BROADCAST
            else list(self._subscribers.get(store_id, ()))
        )
        for queue in targets:
            if queue.full():  # a slow client loses the oldest notice, never blocks a write
                with contextlib.suppress(asyncio.QueueEmpty):
                    queue.get_nowait()
            queue.put_nowait(message)

    @contextlib.asynccontextmanager
    async def subscribe(self, store_id: uuid.UUID | str) -> AsyncIterator[asyncio.Queue[Message]]:
        queue: asyncio.Queue[Message] = asyncio.Queue(self._queue_size)
        key = str(store_id)
        self._subscribers[key].add(queue)
        try:
            yield queue
        finally:
            self._subscribers[key].discard(queue)
            if not self._subscribers[key]:
                del self._subscribers[key]


class RedisBus(InProcessBus):
    def __init__(self, url: str, *, reconnect_max_seconds: float = 5.0) -> None:
        super().__init__()
        from redis import asyncio as redis

        self._redis = redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._task: asyncio.Task[None] | None = None
        self._reconnect_max = reconnect_max_seconds
        self.ready = asyncio.Event()

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._listen(), name="wismo-redis-bus")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self._redis.aclose()

    async def publish(self, store_id: uuid.UUID | str, message: Message) -> None:
        try:
            await self._redis.publish(f"{CHANNEL_PREFIX}{store_id}", orjson.dumps(message))
        except Exception as exc:  # Redis down: the write stands, dashboards poll
            log.warning("live update not published", error=type(exc).__name__)
            self.deliver(str(store_id), message)  # this process's own clients still hear it

    async def _listen(self) -> None:
        delay = 0.2
        while True:
            try:
                pubsub = self._redis.pubsub()
                await pubsub.psubscribe(f"{CHANNEL_PREFIX}*")
                if self.degraded:
                    self.degraded = False
                    self.deliver(BROADCAST, {"type": "live.restored"})
                self.ready.set()
                delay = 0.2
                async for raw in pubsub.listen():
                    if raw.get("type") != "pmessage":
                        continue
                    channel = raw["channel"].decode()
                    self.deliver(channel.removeprefix(CHANNEL_PREFIX), orjson.loads(raw["data"]))
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.ready.clear()
                if not self.degraded:
                    self.degraded = True
                    log.warning(
                        "live updates degraded: Redis unreachable", error=type(exc).__name__
                    )
                    self.deliver(BROADCAST, {"type": "live.degraded"})
                await asyncio.sleep(delay)
                delay = min(delay * 2, self._reconnect_max)


EventBus = InProcessBus


def build_bus(redis_url: str | None) -> EventBus:
    return RedisBus(redis_url) if redis_url else InProcessBus()


def metrics_updated(store_id: uuid.UUID, days: list[date]) -> Message:
    return {
        "type": "metrics.updated",
        "storeId": str(store_id),
        "dates": sorted(d.isoformat() for d in days),
        "at": clock.now().isoformat(),
    }


async def publish_touched(session: AsyncSession, bus: EventBus | None = None) -> None:
    """After a commit: one `metrics.updated` per store whose rollups the transaction moved."""
    touched: set[tuple[uuid.UUID, date]] = session.info.pop(TOUCHED_DATES_KEY, set())
    if not touched or bus is None:
        return
    by_store: defaultdict[uuid.UUID, list[date]] = defaultdict(list)
    for store_id, day in touched:
        by_store[store_id].append(day)
    for store_id, days in by_store.items():
        await bus.publish(store_id, metrics_updated(store_id, days))
