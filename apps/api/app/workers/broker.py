"""The Taskiq broker: in-process by default, Redis streams when WISMO_REDIS_URL is set.

Embedded default (no Redis): `InMemoryBroker` runs a kicked task in the same process and event
loop, right away; `app.workers.embedded` runs the schedule in the API process.

With Redis: `RedisStreamBroker` (taskiq-redis), chosen over `ListQueueBroker` for its delivery
guarantee. A list queue removes a message when a worker pops it, so a worker that dies
mid-task loses it. A stream keeps each message pending in the consumer group until the worker
acknowledges it, and the worker acknowledges only after the task has run (Taskiq's default
`when_saved`); a message left pending longer than `task_redelivery_seconds` (default 10 min)
is claimed by another worker and run again. Tasks are therefore at-least-once: every task here
is idempotent (rollup reconciliation rebuilds in one transaction, insight generation replaces
its set, alert raising is deduplicated, webhook deliveries carry a stable alert id).

`RedeliveringStreamBroker` fixes one gap of taskiq-redis 1.2.4: its listen loop only looks
for messages to reclaim after a read that returned new messages, so on a quiet queue a dead
worker's task would wait for unrelated traffic. Ours also reclaims after an empty read.
"""

from collections.abc import AsyncGenerator
from typing import Any

from pydantic_settings import BaseSettings, SettingsConfigDict
from redis.asyncio import Redis
from taskiq import AckableMessage, AsyncBroker, InMemoryBroker, SimpleRetryMiddleware
from taskiq_redis import RedisStreamBroker

from app.core.config import get_settings


class WorkerSettings(BaseSettings):
    """Worker-only settings (WISMO_ prefix, like the rest)."""

    model_config = SettingsConfigDict(env_prefix="WISMO_", env_file=".env", extra="ignore")

    task_queue: str = "wismo:tasks"
    task_consumer_group: str = "wismo-workers"
    task_redelivery_seconds: float = 600.0
    task_stream_maxlen: int = 100_000


class RedeliveringStreamBroker(RedisStreamBroker):
    """RedisStreamBroker whose listen loop reclaims stale pending messages on every pass."""

    async def listen(self) -> AsyncGenerator[AckableMessage, None]:
        async with Redis(connection_pool=self.connection_pool) as redis_conn:
            while True:
                fetched: Any = await redis_conn.xreadgroup(
                    self.consumer_group_name,
                    self.consumer_name,
                    {self.queue_name: ">", **self.additional_streams},  # type: ignore[dict-item]
                    block=self.block,
                    noack=False,
                    count=self.count,
                )
                for stream, messages in fetched or []:
                    for message_id, message in messages:
                        yield AckableMessage(
                            data=message[b"data"],
                            ack=self._ack_generator(id=message_id, queue_name=stream),
                        )
                for stream in [self.queue_name, *self.additional_streams.keys()]:
                    lock = redis_conn.lock(
                        f"autoclaim:{self.consumer_group_name}:{stream}",
                        timeout=self.unacknowledged_lock_timeout,
                    )
                    if not await lock.acquire(blocking=False):
                        continue
                    try:
                        claimed: Any = await redis_conn.xautoclaim(
                            name=stream,
                            groupname=self.consumer_group_name,
                            consumername=self.consumer_name,
                            min_idle_time=self.idle_timeout,
                            count=self.unacknowledged_batch_size,
                        )
                    finally:
                        await lock.release()
                    for message_id, message in claimed[1]:
                        if message is None:  # deleted by stream trimming
                            continue
                        yield AckableMessage(
                            data=message[b"data"],
                            ack=self._ack_generator(id=message_id, queue_name=stream),
                        )


def build_broker(
    redis_url: str | None = None,
    *,
    worker_settings: WorkerSettings | None = None,
    xread_block_ms: int = 2000,
) -> AsyncBroker:
    """The broker for these settings: Redis streams with a URL, in-process without."""
    ws = worker_settings or WorkerSettings()
    broker: AsyncBroker
    if redis_url:
        broker = RedeliveringStreamBroker(
            url=redis_url,
            queue_name=ws.task_queue,
            consumer_group_name=ws.task_consumer_group,
            consumer_id="0",  # a group created after tasks were queued still gets them
            idle_timeout=int(ws.task_redelivery_seconds * 1000),
            maxlen=ws.task_stream_maxlen,
            approximate=True,
            xread_block=xread_block_ms,
            unacknowledged_lock_timeout=30,
        )
    else:
        broker = InMemoryBroker()
    # Tasks labelled retry_on_error=True are re-run (up to 3 times) when they raise.
    return broker.with_middlewares(SimpleRetryMiddleware(default_retry_count=3))


broker: AsyncBroker = build_broker(get_settings().redis_url)
