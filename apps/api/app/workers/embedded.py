"""Background jobs inside the API process when there is no Redis (the embedded default).

For the lead's `app/main.py` lifespan:

    from app.workers.embedded import start_embedded_jobs
    ...
    stop_jobs = await start_embedded_jobs(settings)
    yield
    await stop_jobs()

With WISMO_REDIS_URL set it does nothing (`wismo worker` and `wismo scheduler` run the jobs).
With several API processes and no Redis, each runs the schedule: every task is idempotent, so
that only costs duplicate work.
"""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from app.core.config import Settings
from app.core.logging import get_logger

log = get_logger(__name__)


async def start_embedded_jobs(settings: Settings) -> Callable[[], Awaitable[None]]:
    async def nothing() -> None:
        return None

    if settings.redis_url:
        return nothing
    from app.workers.runner import run_embedded_scheduler

    task = asyncio.create_task(run_embedded_scheduler(), name="wismo-embedded-scheduler")

    async def stop() -> None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task

    log.info("background jobs run in-process (no WISMO_REDIS_URL)")
    return stop
