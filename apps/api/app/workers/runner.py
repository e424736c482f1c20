"""Process entry points behind `wismo worker` and `wismo scheduler` (the CLI calls these).

python -m app.workers.runner worker [--processes N]
python -m app.workers.runner scheduler
"""

import argparse
import asyncio
import contextlib
import signal
import sys

from taskiq.api import run_receiver_task, run_scheduler_task
from taskiq.cli.scheduler.args import SchedulerArgs
from taskiq.cli.scheduler.run import run_scheduler as taskiq_run_scheduler
from taskiq.cli.worker.args import WorkerArgs
from taskiq.cli.worker.run import run_worker as taskiq_run_worker

from app.core.config import get_settings

BROKER = "app.workers.broker:broker"
TASK_MODULES = ["app.workers.analytics_tasks", "app.integrations.shopify.tasks"]


class RedisRequiredError(RuntimeError):
    pass


def _require_redis() -> None:
    if not get_settings().redis_url:
        raise RedisRequiredError(
            "WISMO_REDIS_URL is not set: without Redis the API process runs background "
            "jobs itself, and a separate worker or scheduler has nothing to listen to"
        )


async def _serve_in_process() -> None:
    from app.integrations.shopify import tasks as shopify_tasks  # noqa: F401
    from app.workers import analytics_tasks  # noqa: F401  (registers the tasks)
    from app.workers.broker import broker

    broker.is_worker_process = True
    await broker.startup()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    receiver = asyncio.create_task(run_receiver_task(broker, run_startup=False))
    await stop.wait()
    receiver.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await receiver
    await broker.shutdown()


def run_worker(processes: int = 2) -> int:
    """Consume tasks from Redis. `processes` <= 1 runs one worker in this process (no
    supervisor: what containers want); more runs Taskiq's supervised worker processes."""
    _require_redis()
    if processes <= 1:
        asyncio.run(_serve_in_process())
        return 0
    return (
        taskiq_run_worker(WorkerArgs(broker=BROKER, modules=TASK_MODULES, workers=processes)) or 0
    )


def run_scheduler() -> int:
    """Enqueue the scheduled jobs (run exactly one)."""
    _require_redis()
    from app.workers.schedule import scheduler

    asyncio.run(taskiq_run_scheduler(SchedulerArgs(scheduler=scheduler, modules=TASK_MODULES)))
    return 0


async def run_embedded_scheduler() -> None:
    """The schedule inside the API process (embedded default, no Redis): the scheduler kicks
    tasks into the in-memory broker, which runs them in this event loop."""
    from app.workers.schedule import scheduler

    await run_scheduler_task(scheduler, run_startup=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.workers.runner")
    sub = parser.add_subparsers(dest="command", required=True)
    worker = sub.add_parser("worker")
    worker.add_argument("--processes", type=int, default=2)
    sub.add_parser("scheduler")
    args = parser.parse_args(argv)
    try:
        if args.command == "worker":
            return run_worker(args.processes)
        return run_scheduler()
    except RedisRequiredError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
