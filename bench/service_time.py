"""The dashboard pages' service calls timed in process, without HTTP: p50 ms of each.

    cd apps/api && uv run python ../../bench/service_time.py --scale 5750 --calls 60
    cd apps/api && uv run python ../../bench/service_time.py --scale 5750 --calls 200 --columns
    # another checkout, same store:  cd <checkout>/apps/api && PYTHONPATH=. \\
    #     <this virtualenv>/bin/python <this file> --scale 5750

The store is bench/run.py's bench store (`wismo_bench_<orders per day>_<days>`, loaded
there). Each page's `WISMOAnalyticsService` method runs on one session, five times to warm
up (PostgreSQL switches a prepared statement to its generic plan after five runs), then
`--calls` times. Then the daily rows of the inquiry and fulfillment pages are read with every
rollup column and with the page's own columns, call by call in turn (`--columns`).

Over HTTP the same pages move by a third between runs minutes apart on a shared machine;
this leaves out the server, the client and the network.
"""

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import select

from app.analytics import repository, service
from app.analytics.service import Filters, WISMOAnalyticsService, resolve_range
from app.core import clock
from app.core.config import Settings
from app.db.session import Database
from app.models import Store

PG = "postgresql+asyncpg://postgres@127.0.0.1:5432"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=5750, help="orders per day")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--calls", type=int, default=60)
    parser.add_argument(
        "--columns", action="store_true", help="also time the daily rows: all columns vs a page's"
    )
    args = parser.parse_args()
    db = Database(Settings(database_url=f"{PG}/wismo_bench_{args.scale}_{args.days}"))
    try:
        async with db.sessionmaker() as session:
            store = (await session.scalars(select(Store).where(Store.name == "Bench Store"))).one()
            today = clock.today_in(store.timezone)
            year = resolve_range(
                "custom", today.replace(year=today.year - 1), today, store.timezone
            )
            quarter = resolve_range("90d", None, None, store.timezone)
            service = WISMOAnalyticsService(session)
            pages: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
                ("fulfillment 365d by day", lambda: service.get_fulfillment_insights(
                    store, year, "day", Filters.of())),
                ("inquiries 365d by week", lambda: service.get_inquiry_metrics(
                    store, year, "week", Filters.of())),
                ("fulfillment 90d", lambda: service.get_fulfillment_insights(
                    store, quarter, "day", Filters.of())),
                ("inquiries 90d", lambda: service.get_inquiry_metrics(
                    store, quarter, "day", Filters.of())),
                ("satisfaction 90d", lambda: service.get_satisfaction_trends(
                    store, quarter, "day", Filters.of())),
                ("overview 365d", lambda: service.get_overview(store, year, Filters.of())),
            ]  # fmt: skip
            for label, call in pages:
                for _ in range(5):
                    await call()
                times = []
                for _ in range(args.calls):
                    start = time.perf_counter()
                    await call()
                    times.append((time.perf_counter() - start) * 1000)
                print(f"{label}: p50 {statistics.median(times):.2f} ms")
            if args.columns:
                await time_daily_columns(session, store.id, year, args.calls)
    finally:
        await db.dispose()


async def time_daily_columns(session: Any, store_id: Any, year: Any, calls: int) -> None:
    """A page's daily rows (a year, summed into its buckets and total) read with every rollup
    column and with the page's own, in turn call by call, so both see the same machine."""
    reads = {
        "fulfillment 365d, every column": (year.previous.start, repository.ALL_COLUMNS),
        "fulfillment 365d, its columns": (year.previous.start, service.FULFILLMENT_COLUMNS),
        "inquiries 365d, every column": (year.start, repository.ALL_COLUMNS),
        "inquiries 365d, its columns": (year.start, service.INQUIRY_COLUMNS),
    }
    times: dict[str, list[float]] = {label: [] for label in reads}
    for call in range(5 + calls):
        for label, (start, columns) in reads.items():
            began = time.perf_counter()
            days = await repository.by_date(session, store_id, start, year.end, None, columns)
            days.bucketed(year.start, year.end, "day")
            days.total(year.start, year.end)
            if call >= 5:
                times[label].append((time.perf_counter() - began) * 1000)
    for label, (_, columns) in reads.items():
        p50 = statistics.median(times[label])
        print(f"daily rows, {label} ({len(columns.names)}): p50 {p50:.2f} ms")


if __name__ == "__main__":
    asyncio.run(main())
