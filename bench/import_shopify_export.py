"""Throughput of `wismo import shopify-orders` on a 10,000-order Shopify export.

    cd apps/api && uv run python ../../bench/import_shopify_export.py [--orders 10000]

Writes a synthetic export with the exact header row of Shopify's order export (79 columns),
2 or 3 line items per order (one row each, the order's fields on its first row, Name, Email
and Created at repeated on the others, as Shopify writes them), orders spread over 2025,
about 70 % fulfilled (Fulfilled at set, no tracking columns, as in Shopify's own export: each
becomes an untracked shipment), 5 % cancelled, 3 % refunded. Then, on a fresh SQLite file and
on a fresh PostgreSQL database (`wismo_bench_export_<random>` on WISMO_BENCH_PG, default
postgresql://postgres@127.0.0.1:5432, dropped at the end), it runs `wismo migrate`,
`wismo create-store`, and times `wismo import shopify-orders FILE --store ID` twice (the
second run finds every order present and changes nothing). Each import is a separate `wismo`
process; the table shows its wall time and the import's own time (from its summary line),
and orders/s and rows/s over the import's own time.
"""

import argparse
import csv
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table

from app.integrations.shopify.order_export import EXPORT_HEADER as HEADER

console = Console()
API_DIR = Path(__file__).resolve().parents[1] / "apps" / "api"
sys.path.insert(0, str(API_DIR))  # the test harness's database and server helpers

from tests.databases import drop_database, ensure_database  # noqa: E402

PG = os.environ.get("WISMO_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
API = Path(__file__).resolve().parents[1] / "apps" / "api"
TZ = "America/New_York"
PRODUCTS = [("Crew Tee", "19.00"), ("Mug", "12.50"), ("Kettle", "45.00"), ("Scarf", "24.00")]


def shopify_time(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(TZ)).strftime("%Y-%m-%d %H:%M:%S %z")


def write_export(path: Path, orders: int, seed: int) -> int:
    """The export file; returns its number of data rows."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(orders):
            created = start + timedelta(seconds=rng.randrange(365 * 86_400))
            items = [rng.choice(PRODUCTS) for _ in range(rng.choice((2, 3)))]
            total = sum(float(price) for _, price in items)
            roll = rng.random()
            email = f"customer{rng.randrange(orders // 2)}@example.com"
            first = {
                "Name": f"#{1001 + n}",
                "Email": email,
                "Financial Status": "paid",
                "Paid at": shopify_time(created),
                "Fulfillment Status": "unfulfilled",
                "Accepts Marketing": "no",
                "Currency": "USD",
                "Subtotal": f"{total:.2f}",
                "Shipping": "0.00",
                "Taxes": "0.00",
                "Total": f"{total:.2f}",
                "Discount Amount": "0.00",
                "Shipping Method": "Standard",
                "Created at": shopify_time(created),
                "Billing Name": f"Customer {n}",
                "Shipping Name": f"Customer {n}",
                "Shipping Zip": f"'{rng.randrange(100_000):05d}",
                "Shipping Country": "US",
                "Payment Method": "Shopify Payments",
                "Refunded Amount": "0.00",
                "Outstanding Balance": "0.00",
                "Id": str(5_000_000_000 + n),
                "Risk Level": "Low",
                "Source": "web",
            }
            if roll < 0.05:
                first["Cancelled at"] = shopify_time(created + timedelta(hours=2))
                first["Financial Status"] = "voided"
            elif roll < 0.08:
                first["Financial Status"] = "refunded"
                first["Refunded Amount"] = first["Total"]
            elif roll < 0.78:
                shipped = created + timedelta(seconds=rng.randrange(3_600, 4 * 86_400))
                first["Fulfillment Status"] = "fulfilled"
                first["Fulfilled at"] = shopify_time(shipped)
            for i, (title, price) in enumerate(items):
                row = first if i == 0 else {k: first[k] for k in ("Name", "Email", "Created at")}
                row = {
                    **row,
                    "Lineitem quantity": "1",
                    "Lineitem name": title,
                    "Lineitem price": price,
                    "Lineitem requires shipping": "true",
                    "Lineitem taxable": "true",
                    "Lineitem fulfillment status": "pending",
                    "Vendor": "Acme",
                    "Lineitem discount": "0.00",
                }
                writer.writerow([row.get(column, "") for column in HEADER])
                rows += 1
    return rows


def wismo(url: str, *args: str) -> tuple[float, str]:
    env = {**os.environ, "WISMO_DATABASE_URL": url, "COLUMNS": "200"}
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 (our own command)
        [sys.executable, "-m", "app.cli", *args],
        cwd=API,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(
            f"wismo {' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
        )
    return seconds, done.stdout


def measure(label: str, url: str, path: Path, orders: int, rows: int, table: Table) -> None:
    wismo(url, "migrate")
    _, out = wismo(url, "create-store", "Bench Export", "--timezone", TZ)
    store_id = out.strip().splitlines()[-1]
    for run in ("first import", "re-import"):
        wall, out = wismo(url, "import", "shopify-orders", str(path), "--store", store_id)
        summary = " ".join(out.split())
        match = re.search(r"(\d+) of (\d+) order\(s\) imported .* ([\d.]+) s$", summary)
        if match is None or match.group(1) != str(orders):
            raise SystemExit(f"unexpected summary: {summary}")
        own = float(match.group(3))
        table.add_row(
            label,
            run,
            f"{wall:.1f}",
            f"{own:.1f}",
            f"{orders / own:,.0f}",
            f"{rows / own:,.0f}",
        )
        console.print(f"{label} {run}: {summary}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()

    table = Table(title=f"wismo import shopify-orders, {args.orders:,} orders")
    for column in ("database", "run", "wall s", "import s", "orders/s", "rows/s"):
        table.add_column(column, justify="right" if column.endswith(("s", "/s")) else "left")
    with tempfile.TemporaryDirectory(prefix="wismo-bench-") as tmp:
        path = Path(tmp) / "orders_export_1.csv"
        rows = write_export(path, args.orders, args.seed)
        size = path.stat().st_size / 2**20
        console.print(f"export: {args.orders:,} orders, {rows:,} rows, {size:.1f} MiB")
        measure("SQLite", f"sqlite+aiosqlite:///{tmp}/bench.db", path, args.orders, rows, table)
        if not args.skip_postgres:
            name = f"wismo_bench_export_{uuid.uuid4().hex[:8]}"
            url = f"{PG.replace('postgresql://', 'postgresql+asyncpg://')}/{name}"
            ensure_database(url)
            try:
                measure("PostgreSQL", url, path, args.orders, rows, table)
            finally:
                drop_database(url)
    console.print(table)


if __name__ == "__main__":
    main()
