"""New-inquiry throughput with 1, 2 and 4 `wismo serve` processes on one PostgreSQL and Redis.

    cd apps/api && uv run python ../../bench/scale_out.py --processes 1,2,4 --clients 8

A scratch PostgreSQL database (`wismo_bench_scale_*`, dropped afterwards), a private
redis-server, 4 API processes (each with WISMO_REDIS_URL: live updates and rate limits go
through Redis, as in a deployment) and 2 `wismo worker` processes. `--orders` orders are
written first (a third shipped). Then, for each process count k, `--inquiries` new inquiries
are posted by `--clients` concurrent clients, client j sending to process j mod k (the
processes not in use sit idle), then `--noop` requests of `GET /api/v1/stores/current` the same
way (the yardstick of how busy the machine was). The request bodies are bench/write_rate.py's.

At the end a `wismo.reconcile_rollups` task is queued for the store and run by one of the
workers, and the rollups are checked against the facts: order_inquiries rows, the daily
rollup's total_inquiries and the inquiry_type dimension's sums must all equal the inquiries
accepted, and every daily counter must equal a plain GROUP BY over the fact tables.
"""

import argparse
import asyncio
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

import write_rate  # bench/write_rate.py: request bodies, order seeding, exactness checks
from write_rate import API_DIR, admin, check_exact, inquiry_body, seed_orders

from app.core import clock
from app.core.config import Settings
from app.db.migrations import upgrade
from app.db.session import Database
from app.workers.broker import build_broker
from tests.conftest import PG_URL
from tests.servers import create_store_with_key, on_own_thread, redis_server, server_process

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
parser.add_argument("--processes", default="1,2,4", help="API process counts to measure")
parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
parser.add_argument("--inquiries", type=int, default=1500, help="inquiries per process count")
parser.add_argument("--noop", type=int, default=1500, help="no-op requests per process count")
parser.add_argument("--orders", type=int, default=600)
parser.add_argument("--workers", type=int, default=2, help="`wismo worker` processes")
parser.add_argument("--seed", type=int, default=7)


async def post_spread(
    bases: list[str], key: str, clients: int, bodies: list[dict[str, Any] | None]
) -> tuple[float, int, int]:
    """Post every body from `clients` concurrent clients, client j to bases[j % len(bases)]
    (a None body: the no-op GET instead); (seconds, accepted, failed)."""
    queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    accepted = failed = 0

    async def client(j: int) -> None:
        nonlocal accepted, failed
        async with httpx.AsyncClient(
            base_url=bases[j % len(bases)],
            headers={"Authorization": f"Bearer {key}"},
            limits=httpx.Limits(max_connections=1),
            timeout=60,
        ) as http:
            while not queue.empty():
                body = queue.get_nowait()
                response = await (
                    http.get("/api/v1/stores/current")
                    if body is None
                    else http.post("/api/v1/inquiries", json=body)
                )
                if response.status_code < 300:
                    accepted += 1
                else:
                    failed += 1
                    if failed <= 3:
                        print(f"  {response.status_code}: {response.text[:300]}")

    started = time.perf_counter()
    await asyncio.gather(*(client(j) for j in range(clients)))
    return time.perf_counter() - started, accepted, failed


async def reconcile_on_a_worker(redis_url: str, store_id: str) -> None:
    """Queue the rollup reconciliation and wait until a worker has acknowledged it."""
    from redis.asyncio import Redis

    broker = build_broker(redis_url)
    await broker.startup()
    try:
        from taskiq.kicker import AsyncKicker

        await AsyncKicker("wismo.reconcile_rollups", broker, {}).kiq(store_id)
    finally:
        await broker.shutdown()
    async with Redis.from_url(redis_url) as redis:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            groups = await redis.xinfo_groups("wismo:tasks")
            if groups and all(g["pending"] == 0 and g["lag"] == 0 for g in groups):
                print(
                    "reconcile_rollups run by a worker: "
                    f"{groups[0].get('entries-read')} task(s) read"
                )
                return
            await asyncio.sleep(0.2)
    raise SystemExit("FAILED: no worker ran reconcile_rollups within 120 s")


async def totals(url: str, store_id: uuid.UUID) -> tuple[int, int, int]:
    from sqlalchemy import text

    db = Database(Settings(database_url=url))
    try:
        async with db.sessionmaker() as session:
            row = (
                await session.execute(
                    text(
                        "SELECT (SELECT count(*) FROM order_inquiries WHERE store_id = :s), "
                        "(SELECT coalesce(sum(total_inquiries), 0) FROM wismo_daily_metrics "
                        " WHERE store_id = :s), "
                        "(SELECT coalesce(sum(total_inquiries), 0) "
                        " FROM wismo_daily_dimension_metrics "
                        " WHERE store_id = :s AND dimension = 'inquiry_type')"
                    ),
                    {"s": store_id},
                )
            ).one()
            return int(row[0]), int(row[1]), int(row[2])
    finally:
        await db.dispose()


async def exactness(url: str, store_id: uuid.UUID, accepted: int) -> bool:
    rows, daily, by_type = await totals(url, store_id)
    db = Database(Settings(database_url=url))
    try:
        problems = await check_exact(db, store_id)
    finally:
        await db.dispose()
    print(
        f"inquiries accepted {accepted}, order_inquiries rows {rows}, daily rollup sum {daily}, "
        f"inquiry_type dimension sum {by_type}"
    )
    for problem in problems:
        print("  MISMATCH " + problem)
    return rows == daily == by_type == accepted and not problems


def start_workers(url: str, redis_url: str, count: int, tmp: Path) -> list[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "WISMO_DATABASE_URL": url,
        "WISMO_REDIS_URL": redis_url,
        "WISMO_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(API_DIR),
        **clock.subprocess_env(),
    }
    return [
        subprocess.Popen(
            [sys.executable, "-m", "app.cli", "worker", "--processes", "1"],
            cwd=API_DIR,
            env=env,
            stdout=(tmp / f"worker{i}.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        for i in range(count)
    ]


def main() -> None:
    args = parser.parse_args()
    levels = [int(p) for p in args.processes.split(",")]
    name = f"wismo_bench_scale_{uuid.uuid4().hex[:8]}"
    on_own_thread(asyncio.run, admin(f'CREATE DATABASE "{name}"'))
    url = PG_URL.rpartition("/")[0] + "/" + name
    tmp = Path(tempfile.mkdtemp())
    try:
        on_own_thread(upgrade, url)
        store_id, key = create_store_with_key(url, "Scale bench", "America/New_York")
        print(f"database {name}, {os.cpu_count()} CPU cores, logs in {tmp}")
        with redis_server() as (redis_url, _):
            workers = start_workers(url, redis_url, args.workers, tmp)
            try:
                run(args, levels, url, redis_url, store_id, key, tmp)
            finally:
                for proc in workers:
                    proc.terminate()
                    proc.wait(timeout=10)
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def run(
    args: argparse.Namespace,
    levels: list[int],
    url: str,
    redis_url: str,
    store_id: str,
    key: str,
    tmp: Path,
) -> None:
    from contextlib import ExitStack

    with ExitStack() as stack:
        bases = [
            stack.enter_context(
                server_process(url, redis_url=redis_url, log_path=tmp / f"api{i}.log")
            )[0]
            for i in range(max(levels))
        ]
        now = datetime.now(UTC)
        asyncio.run(seed_orders(bases[0], key, now, args.orders))
        rng = random.Random(args.seed)
        results, accepted_total = [], 0
        for k in levels:
            run_id = f"p{k}-{uuid.uuid4().hex[:6]}"
            bodies = [inquiry_body(rng, run_id, i, args.orders, now) for i in range(args.inquiries)]
            warm = [inquiry_body(rng, f"{run_id}-warm", i, args.orders, now) for i in range(100)]
            _, warm_ok, _ = asyncio.run(post_spread(bases[:k], key, args.clients, warm))
            seconds, accepted, failed = asyncio.run(
                post_spread(bases[:k], key, args.clients, bodies)
            )
            accepted_total += warm_ok + accepted
            rate = accepted / seconds
            noop_s, _, noop_failed = asyncio.run(
                post_spread(bases[:k], key, args.clients, [None] * args.noop)
            )
            noop_rate = args.noop / noop_s
            print(
                f"{k} API process(es): {rate:.0f} new inquiries/s ({failed} failed), "
                f"no-op {noop_rate:.0f}/s ({noop_failed} failed)"
            )
            results.append((k, rate, noop_rate, failed + noop_failed))
    reconciled = asyncio.run(reconcile_then_check(url, redis_url, store_id, accepted_total))
    print(f"\n{args.clients} concurrent clients, {args.inquiries} inquiries per row")
    print(
        "| API processes | new inquiries/s | no-op requests/s | failed |\n"
        "| ---: | ---: | ---: | ---: |"
    )
    for k, rate, noop_rate, failed in results:
        print(f"| {k} | {rate:.0f} | {noop_rate:.0f} | {failed} |")
    if not reconciled:
        raise SystemExit("FAILED: the rollups do not equal the facts")
    print("rollups exact: they equal the facts before and after the worker's reconciliation")


async def reconcile_then_check(url: str, redis_url: str, store_id: str, accepted: int) -> bool:
    sid = uuid.UUID(store_id)
    before = await exactness(url, sid, accepted)
    await reconcile_on_a_worker(redis_url, store_id)
    after = await exactness(url, sid, accepted)
    return before and after


if __name__ == "__main__":
    assert write_rate.ARGS.backend == "postgres"
    main()
