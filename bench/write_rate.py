"""Write throughput of one `wismo serve`, and rows/s of the bulk paths, with an exactness check.

    cd apps/api && uv run python ../../bench/write_rate.py --backend postgres
    cd apps/api && uv run python ../../bench/write_rate.py --backend sqlite

HTTP part: a scratch database (PostgreSQL `wismo_bench_writes_*` or a SQLite file), a store with an
API key and `--orders` orders (a third of them shipped) written through `PUT /orders`, then one
`wismo serve` process. For each client count in `--clients` it posts `--inquiries` new
inquiries from that many concurrent httpx clients (each with an external id; two in three name
an order, so the order lookup, the status at inquiry time and repeat linking all run; half are
resolved, a quarter rated), and times `--noop` requests of `GET /api/v1/stores/current` (an API
key lookup and a store read: the cheapest store-scoped request) at the same concurrency.

Bulk part (in this process, on the same database): a CSV file of `--bulk-rows` orders and one
of as many inquiries imported with `wismo import`'s code (`csv_import.import_csv`), then the
store's rollups rebuilt from its facts (`rollups.rebuild_store`, the reconciliation). Rows/s are
data rows over wall time. `--freeze-gc` first freezes the objects made at start-up, as `wismo`'s
one-shot commands (`wismo import`, `wismo demo`) do (the reconciliation of a time zone change
runs in a background worker, which does not).

Exactness: afterwards the daily counters are recomputed with plain SQL GROUP BYs over the fact
tables and compared with `wismo_daily_metrics`, and every rollup row (daily, dimension,
histogram) before the rebuild is compared with the rows the rebuild wrote.
"""

import argparse
import asyncio
import csv
import gc
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

API_DIR = Path(__file__).resolve().parents[1] / "apps" / "api"
sys.path.insert(0, str(API_DIR))

parser = argparse.ArgumentParser(
    description=__doc__, formatter_class=argparse.RawTextHelpFormatter
)
parser.add_argument("--backend", choices=("postgres", "sqlite"), default="postgres")
parser.add_argument(
    "--clients", default="1,8", help="comma-separated concurrency levels"
)
parser.add_argument(
    "--inquiries", type=int, default=2000, help="inquiries per client level"
)
parser.add_argument(
    "--noop", type=int, default=2000, help="no-op requests per client level"
)
parser.add_argument("--orders", type=int, default=600)
parser.add_argument(
    "--bulk-rows", type=int, default=20000, help="0 skips the bulk part"
)
parser.add_argument("--seed", type=int, default=7)
parser.add_argument(
    "--freeze-gc",
    action="store_true",
    help="freeze the objects made at start-up before the bulk part, as `wismo`'s one-shot "
    "commands do (app/cli.py `_run`)",
)
# Imported by bench/scale_out.py for its request helpers: then the defaults apply.
ARGS = parser.parse_args() if __name__ == "__main__" else parser.parse_args([])
os.environ["WISMO_TEST_BACKEND"] = ARGS.backend

from sqlalchemy import select, text  # noqa: E402

from app.core.config import Settings  # noqa: E402
from app.db.migrations import upgrade  # noqa: E402
from app.db.session import Database  # noqa: E402
from app.models import (  # noqa: E402
    WismoDailyDimensionMetrics,
    WismoDailyHistogram,
    WismoDailyMetrics,
)
from app.ingestion import csv_import, rollups  # noqa: E402
from app.demo.generator import DemoConfig  # noqa: E402
from app.demo.loader import load_store_data  # noqa: E402
from app.stores.service import create_store  # noqa: E402
from tests.conftest import PG_URL  # noqa: E402
from tests.servers import create_store_with_key, on_own_thread, server_process  # noqa: E402

TYPES = ("status", "tracking", "delivery", "refund", "other")
CHANNELS = ("chat", "email", "phone", "social", "other")
CARRIERS = ("UPS", "USPS", "FedEx", "DHL")


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


async def run_clients(
    base: str, key: str, clients: int, total: int, request: Any
) -> tuple[float, int]:
    """Send `total` requests over `clients` concurrent connections; (seconds, failures)."""
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(total):
        queue.put_nowait(i)
    failures = 0

    async def worker() -> None:
        nonlocal failures
        limits = httpx.Limits(max_connections=1)
        async with httpx.AsyncClient(
            base_url=base,
            headers={"Authorization": f"Bearer {key}"},
            limits=limits,
            timeout=60,
        ) as client:
            while not queue.empty():
                i = queue.get_nowait()
                response = await request(client, i)
                if response.status_code >= 300:
                    failures += 1
                    if failures <= 3:
                        print(f"  {response.status_code}: {response.text[:300]}")

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return time.perf_counter() - started, failures


async def seed_orders(base: str, key: str, now: datetime, orders: int) -> None:
    async def put(client: httpx.AsyncClient, i: int) -> httpx.Response:
        created = now - timedelta(days=3, minutes=i)
        r = await client.put(
            f"/api/v1/orders/B{i}",
            json={
                "createdAt": iso(created),
                "customerEmail": f"c{i % 400}@example.com",
            },
        )
        if r.status_code < 300 and i % 3 == 0:
            return await client.post(
                f"/api/v1/orders/B{i}/shipments",
                json={
                    "carrier": CARRIERS[i % 4],
                    "trackingNumber": f"T{i}",
                    "shippedAt": iso(created + timedelta(hours=20)),
                },
            )
        return r

    seconds, failures = await run_clients(base, key, 4, orders, put)
    print(f"seeded {orders} orders in {seconds:.1f} s ({failures} failures)")


def inquiry_body(
    rng: random.Random, run: str, i: int, orders: int, now: datetime
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "inquiryType": rng.choice(TYPES),
        "channel": rng.choice(CHANNELS),
        "externalId": f"{run}-{i}",
    }
    if rng.random() < 2 / 3:
        body["orderNumber"] = f"B{rng.randrange(orders)}"
    if rng.random() < 0.5:
        created = now - timedelta(minutes=rng.randrange(180, 900))
        body["createdAt"] = iso(created)
        body["firstResponseAt"] = iso(
            created + timedelta(seconds=rng.randrange(5, 900))
        )
        body["resolvedAt"] = iso(created + timedelta(seconds=rng.randrange(900, 9000)))
        if rng.random() < 0.5:
            body["rating"] = rng.randint(1, 5)
    return body


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def http_part(
    base: str, key: str, levels: list[int], pid: int
) -> list[tuple[int, float, float, float, float]]:
    now = datetime.now(UTC)
    await seed_orders(base, key, now, ARGS.orders)
    rng = random.Random(ARGS.seed)
    results = []
    for clients in levels:
        run = f"c{clients}-{uuid.uuid4().hex[:6]}"
        bodies = [
            inquiry_body(rng, run, i, ARGS.orders, now) for i in range(ARGS.inquiries)
        ]

        async def noop(client: httpx.AsyncClient, _: int) -> httpx.Response:
            return await client.get("/api/v1/stores/current")

        async def post(
            client: httpx.AsyncClient, i: int, bodies: list[dict[str, Any]] = bodies
        ) -> httpx.Response:
            return await client.post("/api/v1/inquiries", json=bodies[i])

        await run_clients(base, key, clients, min(200, ARGS.noop), noop)  # warm-up
        cpu = cpu_seconds(pid)
        noop_s, noop_fail = await run_clients(base, key, clients, ARGS.noop, noop)
        cpu, noop_cpu = cpu_seconds(pid), cpu_seconds(pid) - cpu
        write_s, write_fail = await run_clients(
            base, key, clients, ARGS.inquiries, post
        )
        write_cpu = cpu_seconds(pid) - cpu
        noop_rate, write_rate = ARGS.noop / noop_s, ARGS.inquiries / write_s
        # The server's own CPU per request: what bounds one process's rate when the database
        # and the clients have cores of their own (the wall-clock rates here share two).
        noop_ms, write_ms = (
            noop_cpu * 1000 / ARGS.noop,
            write_cpu * 1000 / ARGS.inquiries,
        )
        print(
            f"{clients} clients: {write_rate:.0f} new inquiries/s ({write_fail} failed), "
            f"no-op {noop_rate:.0f}/s ({noop_fail} failed); server CPU per request: "
            f"new inquiry {write_ms:.2f} ms, no-op {noop_ms:.2f} ms"
        )
        results.append((clients, write_rate, noop_rate, write_ms, noop_ms))
    return results


def write_csvs(directory: Path, rows: int, now: datetime) -> tuple[Path, Path]:
    rng = random.Random(ARGS.seed + 1)
    orders_path, inquiries_path = directory / "orders.csv", directory / "inquiries.csv"
    with orders_path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["order_number", "created_at", "customer_email", "total"])
        for i in range(rows):
            created = now - timedelta(days=60, seconds=-i * 250)
            writer.writerow(
                [f"K{i}", iso(created), f"k{i % 3000}@example.com", "25.00"]
            )
    with inquiries_path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "inquiry_type",
                "created_at",
                "order_number",
                "channel",
                "resolved_at",
                "rating",
            ]
        )
        for i in range(rows):
            created = now - timedelta(days=59, seconds=-i * 250)
            resolved = created + timedelta(seconds=rng.randrange(60, 20000))
            rated = rng.random() < 0.3
            writer.writerow(
                [
                    rng.choice(TYPES),
                    iso(created),
                    f"K{rng.randrange(rows)}",
                    rng.choice(CHANNELS),
                    iso(resolved),
                    rng.randint(1, 5) if rated else "",
                ]
            )
    return orders_path, inquiries_path


DAILY_SQL = {
    "total_orders": "SELECT local_date, count(*) FROM orders WHERE store_id = :s GROUP BY 1",
    "total_inquiries": "SELECT local_date, count(*) FROM order_inquiries "
    "WHERE store_id = :s GROUP BY 1",
    "repeat_inquiries": "SELECT local_date, count(*) FROM order_inquiries "
    "WHERE store_id = :s AND is_repeat GROUP BY 1",
    "resolved_inquiries": "SELECT local_date, count(*) FROM order_inquiries "
    "WHERE store_id = :s AND resolved GROUP BY 1",
    "resolution_seconds_sum": "SELECT local_date, sum(resolution_seconds) FROM order_inquiries "
    "WHERE store_id = :s AND resolved GROUP BY 1",
    "rating_sum": "SELECT local_date, sum(satisfaction_rating) FROM order_inquiries "
    "WHERE store_id = :s AND satisfaction_rating IS NOT NULL GROUP BY 1",
    "shipments_shipped": "SELECT shipped_local_date, count(*) FROM shipments "
    "WHERE store_id = :s GROUP BY 1",
}


def day_key(value: Any) -> str:
    return str(value)[:10]


async def check_exact(db: Database, store_id: uuid.UUID) -> list[str]:
    """Daily counters against plain SQL over the facts; returns the disagreements."""
    problems = []
    async with db.sessionmaker() as session:
        stored = {
            day_key(row.date): row
            for row in await session.scalars(
                select(WismoDailyMetrics).where(WismoDailyMetrics.store_id == store_id)
            )
        }
        for column, sql in DAILY_SQL.items():
            if db.is_sqlite:
                sql = sql.replace("AND is_repeat", "AND is_repeat = 1").replace(
                    "AND resolved ", "AND resolved = 1 "
                )
            expected = {
                day_key(day): int(n)
                for day, n in (
                    await session.execute(
                        text(sql), {"s": store_id.hex if db.is_sqlite else store_id}
                    )
                )
            }
            got = {
                d: getattr(r, column) for d, r in stored.items() if getattr(r, column)
            }
            if expected != got:
                problems.append(
                    f"{column}: facts {sum(expected.values())} rollups {sum(got.values())}"
                )
        for day, row in stored.items():
            if row.total_orders and row.inquiry_rate is not None:
                want = row.total_inquiries / row.total_orders
                if abs(float(row.inquiry_rate) - want) > 0.0001:
                    problems.append(
                        f"inquiry_rate {day}: {row.inquiry_rate} != {want:.4f}"
                    )
    return problems


async def snapshot(
    db: Database, store_id: uuid.UUID
) -> dict[str, set[tuple[Any, ...]]]:
    tables = {
        "daily": WismoDailyMetrics,
        "dimension": WismoDailyDimensionMetrics,
        "histogram": WismoDailyHistogram,
    }
    counters = ("total_orders", *rollups.COUNTER_COLUMNS)
    result: dict[str, set[tuple[Any, ...]]] = {}
    async with db.sessionmaker() as session:
        for name, model in tables.items():
            table = model.__table__  # type: ignore[attr-defined]
            keys = [c for c in table.primary_key.columns]
            values = [
                table.c[c]
                for c in (counters if name != "histogram" else ("count",))
                if c in table.c
            ]
            rows = await session.execute(
                select(*keys, *values).where(table.c.store_id == store_id)
            )
            result[name] = {tuple(r) for r in rows if any(v for v in r[len(keys) :])}
    return result


async def reconcile(
    db: Database, store_id: uuid.UUID, label: str, rates: dict[str, float]
) -> None:
    before = await snapshot(db, store_id)
    async with db.writer() as session:
        counts = await session.execute(
            text(
                "SELECT (SELECT count(*) FROM orders WHERE store_id = :s) "
                "+ (SELECT count(*) FROM shipments WHERE store_id = :s) "
                "+ (SELECT count(*) FROM order_inquiries WHERE store_id = :s)"
            ),
            {"s": store_id.hex if db.is_sqlite else store_id},
        )
        facts = int(counts.scalar_one())
        started = time.perf_counter()
        await rollups.rebuild_store(session, store_id)
        await session.commit()
        seconds = time.perf_counter() - started
    rates[f"reconciliation (rebuild_store), {label}"] = facts / seconds
    print(
        f"rebuild_store {label}: {facts} fact rows in {seconds:.1f} s "
        f"= {facts / seconds:.0f} rows/s"
    )
    after = await snapshot(db, store_id)
    for name in before:
        if before[name] != after[name]:
            print(
                f"MISMATCH {label} {name}: "
                f"{len(before[name] ^ after[name])} rows differ from the rebuild"
            )
        else:
            print(f"{label} {name} rollups equal the rebuild ({len(after[name])} rows)")


async def bulk_part(url: str, store_id: uuid.UUID) -> dict[str, float]:
    if ARGS.freeze_gc:
        gc.collect()
        gc.freeze()
    db = Database(Settings(database_url=url))
    rates: dict[str, float] = {}
    try:
        directory = Path(tempfile.mkdtemp())
        orders_csv, inquiries_csv = write_csvs(
            directory, ARGS.bulk_rows, datetime.now(UTC)
        )
        for kind, path in (("orders", orders_csv), ("inquiries", inquiries_csv)):
            report = await csv_import.import_csv(db.writer, store_id, kind, path)
            rate = report.rows_ok / report.seconds
            rates[f"CSV import {kind}"] = rate
            print(
                f"CSV import {kind}: {report.rows_ok}/{report.rows} rows in {report.seconds:.1f} s "
                f"= {rate:.0f} rows/s"
            )
        async with db.writer() as session:
            demo_store = await create_store(session, "Demo bench", "Europe/Berlin")
            config = DemoConfig(
                days=60, orders_per_day=ARGS.bulk_rows / 60, now=datetime.now(UTC)
            )
            summary = await load_store_data(session, demo_store, config)
            await session.commit()
        rows = (
            summary.orders
            + summary.shipments
            + summary.tracking_events
            + summary.inquiries
        )
        rates["demo loader"] = rows / summary.seconds
        print(
            f"demo loader: {rows} rows in {summary.seconds:.1f} s "
            f"= {rows / summary.seconds:.0f} rows/s"
        )
        for label, store in (("CSV store", store_id), ("demo store", demo_store.id)):
            await reconcile(db, store, label, rates)
    finally:
        await db.dispose()
    return rates


async def final_check(url: str, store_id: uuid.UUID) -> None:
    db = Database(Settings(database_url=url))
    try:
        problems = await check_exact(db, store_id)
        print(
            "daily rollups equal plain SQL over the facts"
            if not problems
            else "MISMATCH"
        )
        for problem in problems:
            print("  " + problem)
    finally:
        await db.dispose()


async def admin(sql: str) -> None:
    import asyncpg

    base = PG_URL.replace("postgresql+asyncpg://", "postgresql://").rpartition("/")[0]
    conn = await asyncpg.connect(f"{base}/postgres")
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def scratch_database(tmp: Path) -> tuple[str, str | None]:
    """(url, PostgreSQL database name to drop afterwards), migrated. Not named wismo_srv_*:
    a test session on the same server drops those when it ends."""
    if ARGS.backend == "sqlite":
        url, name = f"sqlite+aiosqlite:///{tmp / 'bench.db'}", None
    else:
        name = f"wismo_bench_writes_{uuid.uuid4().hex[:8]}"
        on_own_thread(asyncio.run, admin(f'CREATE DATABASE "{name}"'))
        url = PG_URL.rpartition("/")[0] + "/" + name
    on_own_thread(upgrade, url)
    return url, name


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    url, name = scratch_database(tmp)
    try:
        measure(tmp, url)
    finally:
        if name is not None:
            asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def measure(tmp: Path, url: str) -> None:
    store_id, key = create_store_with_key(url, "Write bench", "America/New_York")
    levels = [int(c) for c in ARGS.clients.split(",") if c]
    print(f"backend {ARGS.backend}, database {url.rpartition('/')[2]}")
    results: list[tuple[int, float, float, float, float]] = []
    if levels:  # --clients "" measures the bulk paths only
        log = tmp / "server.log"
        print(f"server log: {log}")
        with server_process(url, log_path=log) as (base, server):
            results = asyncio.run(http_part(base, key, levels, server.pid))
    asyncio.run(final_check(url, uuid.UUID(store_id)))
    print(
        "\n| clients | new inquiries/s | no-op requests/s | server CPU ms per inquiry "
        "| per no-op |\n| ---: | ---: | ---: | ---: | ---: |"
    )
    for clients, writes, noops, write_ms, noop_ms in results:
        print(
            f"| {clients} | {writes:.0f} | {noops:.0f} | {write_ms:.2f} | {noop_ms:.2f} |"
        )
    if ARGS.bulk_rows:
        rates = asyncio.run(bulk_part(url, uuid.UUID(store_id)))
        asyncio.run(final_check(url, uuid.UUID(store_id)))
        print("\n| bulk path | rows/s |\n| --- | ---: |")
        for name, rate in rates.items():
            print(f"| {name} | {rate:.0f} |")


if __name__ == "__main__":
    main()
