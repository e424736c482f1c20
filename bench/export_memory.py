"""Peak memory of streaming the inquiries CSV export: one million rows vs ten thousand.

    cd apps/api && uv run python ../../bench/export_memory.py [--rows 1000000] [--small 10000]

A PostgreSQL database (wismo_bench_export, on WISMO_BENCH_PG, default
postgresql://postgres@127.0.0.1:5432) gets two stores whose inquiries are bulk-inserted
with COPY (synthetic rows spread over the last 365 local days; the inquiries dataset reads
the fact table only, so no orders or rollups are needed). It is loaded once and reused
(--reload rebuilds it).

Each export runs against its own fresh `wismo serve` process (uvicorn, one worker) and is
downloaded in full over HTTP by a client that counts and discards the bytes. The server's
peak resident set size is read from /proc/<pid>/status (VmHWM, what getrusage's ru_maxrss
reports), after a warm-up request that loads every code path, so the figure includes
uvicorn's buffers, the database driver and the CSV encoder. Constant memory means the
one-million-row peak is (nearly) the same as the ten-thousand-row peak.
"""

import argparse
import asyncio
import os
import random
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import httpx
from rich.console import Console
from rich.table import Table

from app.accounts.service import create_api_key
from app.core.config import Settings
from app.db.migrations import upgrade
from app.db.session import Database
from app.stores.service import create_store

API_DIR = Path(__file__).resolve().parents[1] / "apps" / "api"
sys.path.insert(0, str(API_DIR))  # the test harness's database and server helpers

from tests.databases import ensure_database  # noqa: E402
from tests.servers import server_process  # noqa: E402

console = Console()
PG = os.environ.get("WISMO_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
DB_NAME = "wismo_bench_export"
TZ = "America/New_York"
DAYS = 365
COLUMNS = (
    "id", "store_id", "order_number", "inquiry_type", "order_status", "channel", "carrier",
    "created_at", "local_date", "local_hour", "local_weekday", "is_repeat", "followed_up",
    "first_response_at", "resolved", "resolved_at", "resolution_seconds", "escalated",
    "customer_satisfied", "satisfaction_rating", "effort_score", "feedback_text",
)  # fmt: skip


def synthetic_rows(store_id: uuid.UUID, n: int, end: date, seed: int) -> Iterator[tuple[Any, ...]]:
    """n inquiries spread evenly over the DAYS local days ending `end` (oldest first)."""
    rng = random.Random(seed)
    zone = ZoneInfo(TZ)
    start = datetime.combine(end - timedelta(days=DAYS - 1), datetime.min.time(), zone)
    span = timedelta(days=DAYS).total_seconds()
    carriers = ["UPS", "USPS", "FedEx", "DHL", "OnTrac", None]
    types = ["status", "tracking", "delivery", "refund", "other"]
    statuses = [
        "unfulfilled",
        "fulfilled",
        "in_transit",
        "out_for_delivery",
        "delivered",
        "exception",
    ]
    channels = ["chat", "email", "phone", "social", "other"]
    for i in range(n):
        local = start + timedelta(seconds=span * i / n + rng.random())
        created = local.astimezone(UTC)
        responded = (
            created + timedelta(seconds=rng.randint(5, 7200)) if rng.random() < 0.9 else None
        )
        resolved = rng.random() < 0.8
        resolution = rng.randint(60, 172800) if resolved else None
        rating = rng.randint(1, 5) if resolved and rng.random() < 0.3 else None
        yield (
            uuid.uuid4(), store_id, f"#{100000 + i // 2}", rng.choice(types), rng.choice(statuses),
            rng.choice(channels), rng.choice(carriers), created, local.date(), local.hour,
            local.weekday(), rng.random() < 0.2, False, responded, resolved,
            created + timedelta(seconds=resolution) if resolution else None, resolution,
            rng.random() < 0.1, None if rating is None else rating >= 4, rating,
            rng.randint(1, 7) if rating else None, "never exported" if rating else None,
        )  # fmt: skip


async def load(url: str, sizes: dict[str, int]) -> tuple[dict[str, str], date, date]:
    """Stores named after their size, loaded when missing; returns their API keys and range."""
    db = Database(Settings(database_url=url))
    end = datetime.now(ZoneInfo(TZ)).date() - timedelta(days=1)
    keys: dict[str, str] = {}
    conn = await asyncpg.connect(f"{PG}/{DB_NAME}")
    names = {label: f"Export bench {label} ({n} inquiries)" for label, n in sizes.items()}
    try:
        await conn.execute(  # stores of earlier runs with other sizes
            "DELETE FROM stores WHERE name LIKE 'Export bench %' AND NOT name = ANY($1::text[])",
            list(names.values()),
        )
        for label, n in sizes.items():
            name = names[label]
            store_id = await conn.fetchval("SELECT id FROM stores WHERE name = $1", name)
            count = 0
            if store_id is not None:
                count = await conn.fetchval(
                    "SELECT count(*) FROM order_inquiries WHERE store_id = $1", store_id
                )
            if store_id is not None and count != n:
                await conn.execute("DELETE FROM stores WHERE id = $1", store_id)
                store_id = None
            async with db.sessionmaker() as session:
                if store_id is None:
                    store = await create_store(session, name, TZ)
                    store_id = store.id
                    await session.commit()
                    started = time.perf_counter()
                    rows = synthetic_rows(store_id, n, end, seed=n)
                    while batch := [r for _, r in zip(range(100_000), rows, strict=False)]:
                        await conn.copy_records_to_table(
                            "order_inquiries", records=batch, columns=COLUMNS
                        )
                    await conn.execute("ANALYZE order_inquiries")
                    console.print(f"loaded {n:,} inquiries in {time.perf_counter() - started:.1f}s")
                _, key = await create_api_key(session, store_id, "export-bench")
                await session.commit()
            keys[label] = key
    finally:
        await conn.close()
        await db.dispose()
    return keys, end - timedelta(days=DAYS - 1), end


def rss_kib(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return fields


def measure(url: str, key: str, start: date, end: date) -> dict[str, Any]:
    with server_process(url) as (base, proc):
        params = {"dataset": "inquiries", "date_range": "custom"}
        with httpx.Client(
            base_url=base,
            headers={"Authorization": f"Bearer {key}"},
            timeout=600,
        ) as client:
            # Warm-up: every code path of the export, on one day's rows.
            warm = client.get(
                "/api/v1/analytics/wismo/export.csv",
                params={**params, "start": end.isoformat(), "end": end.isoformat()},
            )
            warm.raise_for_status()
            baseline = rss_kib(proc.pid)
            samples: list[int] = []
            done = threading.Event()

            def sample() -> None:
                while not done.is_set():
                    samples.append(rss_kib(proc.pid)["VmRSS"])
                    time.sleep(0.1)

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            started = time.perf_counter()
            size = lines = 0
            with client.stream(
                "GET",
                "/api/v1/analytics/wismo/export.csv",
                params={**params, "start": start.isoformat(), "end": end.isoformat()},
            ) as response:
                response.raise_for_status()
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    lines += chunk.count(b"\n")
            seconds = time.perf_counter() - started
            done.set()
            sampler.join()
        after = rss_kib(proc.pid)
    return {
        "rows": lines - 1,
        "mib": size / 2**20,
        "seconds": seconds,
        "baseline_rss_mib": baseline["VmRSS"] / 1024,
        "peak_rss_mib": after["VmHWM"] / 1024,
        "max_sampled_rss_mib": max(samples, default=0) / 1024,
        "growth_mib": (after["VmHWM"] - baseline["VmRSS"]) / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--reload", action="store_true", help="rebuild the bench database")
    args = parser.parse_args()
    url = f"{PG.replace('postgresql://', 'postgresql+asyncpg://')}/{DB_NAME}"
    ensure_database(url, reload=args.reload)
    upgrade(url)
    sizes = {"small": args.small, "large": args.rows}
    keys, start, end = asyncio.run(load(url, sizes))
    results = {label: measure(url, keys[label], start, end) for label in sizes}
    table = Table(title=f"inquiries CSV export, {start} to {end}, one server process each")
    for col in ("rows", "CSV MiB", "seconds", "rows/s", "RSS before", "peak RSS", "growth"):
        table.add_column(col, justify="right")
    for label, r in results.items():
        assert r["rows"] == sizes[label], (label, r)
        table.add_row(
            f"{r['rows']:,}",
            f"{r['mib']:.1f}",
            f"{r['seconds']:.1f}",
            f"{r['rows'] / r['seconds']:,.0f}",
            f"{r['baseline_rss_mib']:.1f} MiB",
            f"{r['peak_rss_mib']:.1f} MiB",
            f"{r['growth_mib']:+.1f} MiB",
        )
    console.print(table)
    small, large = results["small"], results["large"]
    console.print(
        f"peak RSS {large['rows']:,} rows / {small['rows']:,} rows = "
        f"{large['peak_rss_mib'] / small['peak_rss_mib']:.3f}"
    )


if __name__ == "__main__":
    main()
