"""Calendar against business-hours response and resolution times of the demo stores.

    cd apps/api && uv run python ../../bench/business_hours.py
    cd apps/api && uv run python ../../bench/business_hours.py --days 90 --now 2026-11-30T12:00:00Z

Loads the three demo stores (each with its opening hours from its first day: Northwind
weekdays 09:00-17:00 New York, Brightside weekdays 08:00-18:00 and Saturday 10:00-14:00
London, Koala weekdays 08:30-16:30 Sydney) into a scratch SQLite database and prints, per
store, the median and mean first response and resolution over the whole range, in calendar
time and in business hours, as the API serves them (`GET /analytics/wismo/inquiries`).
"""

import argparse
import asyncio
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table
from sqlalchemy.ext.asyncio import AsyncSession

from app.analytics.service import Filters, WISMOAnalyticsService, resolve_range
from app.db.migrations import upgrade
from app.db.session import build_engine
from app.demo import DemoConfig
from app.demo.loader import create_demo
from app.models import Store

console = Console(width=180)


def hours(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds / 60:.0f} min" if seconds < 3600 else f"{seconds / 3600:.1f} h"


async def main(args: argparse.Namespace) -> None:
    now = datetime.fromisoformat(args.now.replace("Z", "+00:00")).astimezone(UTC)
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite+aiosqlite:///{Path(scratch) / 'hours.db'}"
        await asyncio.to_thread(upgrade, url)
        engine = build_engine(url)
        async with engine.connect() as conn:
            session = AsyncSession(bind=conn, expire_on_commit=False)
            with console.status("loading the demo stores"):
                result = await create_demo(
                    session, DemoConfig(days=args.days, orders_per_day=args.orders_per_day, now=now)
                )
            table = Table(title=f"Demo stores, {args.days} days to {now.date()}")
            for column in ("store", "inquiries", "first response median", "(business)",
                           "mean", "(business)", "resolution median", "(business)", "mean",
                           "(business)"):  # fmt: skip
                table.add_column(column, justify="right" if column != "store" else "left")
            for made in result.stores:
                store = await session.get(Store, made.store_id)
                assert store is not None
                end = now.astimezone(ZoneInfo(store.timezone)).date()
                start = end - timedelta(days=args.days - 1)
                rng = resolve_range("custom", start, end, store.timezone, today=end)
                trends = await WISMOAnalyticsService(session).get_inquiry_metrics(
                    store, rng, "day", Filters.of()
                )
                first, first_b = trends.first_response_time, trends.first_response_business_time
                res, res_b = trends.resolution_time, trends.resolution_business_time
                table.add_row(
                    store.name,
                    str(sum(p.inquiries for p in trends.series)),
                    hours(first.median), hours(first_b.median),
                    hours(first.mean), hours(first_b.mean),
                    hours(res.median), hours(res_b.median),
                    hours(res.mean), hours(res_b.mean),
                )  # fmt: skip
            console.print(table)
        await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--orders-per-day", type=float, default=40)
    parser.add_argument("--now", default="2026-11-30T12:00:00Z")
    asyncio.run(main(parser.parse_args()))
