"""`wismo import shopify-orders`: Shopify's own order export, one row per line item.

The files are built with the exact header row of Shopify's export (79 columns, as in real
exports of December 2025 and April 2026). Every expected figure is worked out by hand from the
times in the rows. The store is in America/New_York (UTC-4 from 2024-03-10).
"""

import csv
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.ingestion import service as ingestion
from app.ingestion.csv_import import ImportReport, import_csv
from app.ingestion.schemas import OrderUpsert, ShipmentCreate
from app.integrations.shopify.order_export import EXPORT_HEADER as SHOPIFY_HEADER
from app.integrations.shopify.order_export import parse_time
from app.models import Customer, Order, Shipment, Store
from tests.helpers import daily, dims, histograms

DERIVED = ("inquiry_rate", "avg_resolution_time", "satisfaction_score")


@pytest.fixture
async def shop(make_store: Any) -> Any:
    return await make_store("Export Store", "America/New_York")


def order_rows(first: dict[str, str], *items: tuple[str, str, str]) -> list[dict[str, str]]:
    """An order as Shopify exports it: its fields on the first row; the following line-item
    rows repeat only Name, Email and Created at."""
    rows = []
    for i, (quantity, title, price) in enumerate(items):
        item = {
            "Lineitem quantity": quantity,
            "Lineitem name": title,
            "Lineitem price": price,
            "Lineitem requires shipping": "true",
            "Lineitem taxable": "true",
            "Lineitem fulfillment status": "pending",
            "Vendor": "Acme",
            "Lineitem discount": "0.00",
        }
        if i == 0:
            rows.append({**first, **item})
        else:
            repeated = {k: first.get(k, "") for k in ("Name", "Email", "Created at")}
            rows.append({**repeated, **item})
    return rows


def write_export(path: Path, rows: list[dict[str, str]], header: list[str]) -> Path:
    assert all(set(row) <= set(header) for row in rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(column, "") for column in header])
    return path


def paid(name: str, created: str, total: str, **more: str) -> dict[str, str]:
    return {
        "Name": name,
        "Financial Status": "paid",
        "Paid at": created,
        "Fulfillment Status": "unfulfilled",
        "Accepts Marketing": "no",
        "Currency": "USD",
        "Subtotal": total,
        "Shipping": "0.00",
        "Taxes": "0.00",
        "Total": total,
        "Discount Amount": "0.00",
        "Shipping Method": "Standard",
        "Created at": created,
        "Payment Method": "Shopify Payments",
        "Refunded Amount": "0.00",
        "Outstanding Balance": "0.00",
        "Risk Level": "Low",
        "Source": "web",
        **more,
    }


EXPORT = [
    # lines 2-3: two line items, an offset of the store's own (EDT)
    *order_rows(
        paid(
            "#1001",
            "2024-03-11 14:05:22 -0400",
            "34.98",
            Email="ann@example.com",
            **{"Billing Name": "Ann Lee", "Shipping Name": "Ann L.", "Shipping Zip": "'02134"},
            Id="5001",
        ),
        ("2", "Crew Tee - Black / S", "9.99"),
        ("1", "Mug", "15.00"),
    ),
    # lines 4-7: three line items; its Note Attributes span two lines (4-5); created in
    # another offset: 23:30 -0700 is 06:30 UTC on the 12th, 02:30 in New York.
    *order_rows(
        paid(
            "#1002",
            "2024-03-11 23:30:00 -0700",
            "60.00",
            Email="bob@example.com",
            **{
                "Fulfillment Status": "fulfilled",
                "Fulfilled at": "2024-03-12 09:15:00 -0400",
                "Shipping Name": "Bob Stone",
                "Note Attributes": "gift: yes\nwrap: blue",
            },
            Id="5002",
        ),
        ("1", "Kettle", "30.00"),
        ("1", "Tea", "20.00"),
        ("1", "Spoon", "10.00"),
    ),
    # line 8: cancelled (and voided)
    *order_rows(
        paid(
            "#1003",
            "2024-03-12 08:00:00 -0400",
            "15.00",
            Email="cy@example.com",
            **{"Financial Status": "voided", "Cancelled at": "2024-03-12 10:00:00 -0400"},
            Id="5003",
        ),
        ("1", "Mug", "15.00"),
    ),
    # lines 9-10: refunded; restocked sets no fulfillment status; an email Shopify let
    # through that is no address is left out, as the webhook does
    *order_rows(
        paid(
            "#1004",
            "2024-03-13 00:30:00 -0400",
            "25.00",
            Email="not-an-address",
            **{"Financial Status": "refunded", "Fulfillment Status": "restocked"},
            Currency="eur",
            Id="5004",
        ),
        ("1", "Scarf", "20.00"),
        ("1", "Pin", "5.00"),
    ),
    # lines 11-12: a time that does not exist on its first row
    *order_rows(
        paid("#1005", "2024-03-13 25:10:00 -0400", "8.00", Email="di@example.com", Id="5005"),
        ("1", "Pen", "4.00"),
        ("1", "Pad", "4.00"),
    ),
    # line 13: a total that is no amount
    *order_rows(
        paid("#1006", "2024-03-13 12:00:00 -0400", "12,50", Email="ed@example.com", Id="5006"),
        ("1", "Cap", "12.50"),
    ),
    # line 14: #1001 again, after other orders
    *order_rows(
        paid("#1001", "2024-03-11 14:05:22 -0400", "99.00", Email="ann@example.com", Id="5001"),
        ("1", "Hat", "99.00"),
    ),
]


async def run(factory: Any, store: Any, path: Path, **kwargs: Any) -> ImportReport:
    return await import_csv(factory, store.id, "shopify-orders", path, **kwargs)


async def stored_orders(session: AsyncSession, store_id: Any) -> dict[str, dict[str, Any]]:
    stmt = (
        select(Order, Customer.email, Customer.name)
        .outerjoin(Customer, Customer.id == Order.customer_id)
        .where(Order.store_id == store_id)
        .execution_options(populate_existing=True)
    )
    result: dict[str, dict[str, Any]] = {}
    for order, email, name in (await session.execute(stmt)).all():
        result[order.order_number] = {
            "external_id": order.external_id,
            "status": order.status,
            "financial_status": order.financial_status,
            "fulfillment_status": order.fulfillment_status,
            "total": order.total,
            "currency": order.currency,
            "shipping_postcode": order.shipping_postcode,
            "created_at": order.created_at,
            "local_date": order.local_date,
            "cancelled_at": order.cancelled_at,
            "email": email,
            "name": name,
            "updated_at": order.updated_at,
        }
    return result


async def stored_shipments(session: AsyncSession, store_id: Any) -> set[tuple[Any, ...]]:
    stmt = (
        select(Order.order_number, Shipment)
        .join(Order, Order.id == Shipment.order_id)
        .where(Shipment.store_id == store_id)
        .execution_options(populate_existing=True)
    )
    return {
        (
            number,
            s.carrier,
            s.tracking_number,
            s.shipped_at,
            s.shipped_local_date,
            s.is_first_for_order,
        )
        for number, s in (await session.execute(stmt)).all()
    }


async def rollup_state(session: AsyncSession, store_id: Any) -> tuple[Any, ...]:
    session.expire_all()
    return (
        await daily(session, store_id),
        await dims(session, store_id),
        await histograms(session, store_id),
    )


def nonzero_daily(rows: dict[date, dict[str, Any]]) -> dict[date, dict[str, Any]]:
    return {
        day: {k: v for k, v in row.items() if v not in (0, None) and k not in DERIVED}
        for day, row in rows.items()
    }


def test_export_times_keep_their_offset() -> None:
    moment = parse_time("2024-03-11 14:05:22 -0400")
    assert moment.utcoffset() == timedelta(hours=-4)
    assert moment == datetime(2024, 3, 11, 18, 5, 22, tzinfo=UTC)
    assert parse_time("2024-03-11T18:05:22Z") == datetime(2024, 3, 11, 18, 5, 22, tzinfo=UTC)
    for bad in ("2024-03-11 14:05:22", "11/03/2024 14:05", "2024-03-11 24:00:00 +0000"):
        with pytest.raises(ValueError, match="expected a time like 2024-03-11 14:05:22 -0400"):
            parse_time(bad)


async def test_a_multi_line_item_export_imports_once_and_again_changes_nothing(
    session_factory: async_sessionmaker[AsyncSession],
    session: AsyncSession,
    shop: Any,
    tmp_path: Path,
) -> None:
    path = write_export(tmp_path / "orders_export_1.csv", EXPORT, SHOPIFY_HEADER)
    report = await run(session_factory, shop, path)

    # 12 rows (13 lines: one cell spans two); 7 runs of rows: #1001 twice.
    assert (report.rows, report.rows_ok, report.rows_failed) == (12, 8, 4)
    assert (report.orders, report.orders_failed) == (7, 3)
    assert (report.created, report.existing, report.shipments_created) == (4, 0, 1)
    assert [(e.line, e.column) for e in report.errors] == [
        (11, "Created at"),
        (13, "Total"),
        (14, "Name"),
    ]
    reasons = [e.reason for e in report.errors]
    assert (
        reasons[0]
        == "expected a time like 2024-03-11 14:05:22 -0400 (got '2024-03-13 25:10:00 -0400')"
    )
    assert "decimal" in reasons[1] and "'12,50'" in reasons[1]
    assert reasons[2].startswith("order #1001 already appeared at line 2, with other orders")

    orders = await stored_orders(session, shop.id)
    assert set(orders) == {"1001", "1002", "1003", "1004"}
    expected = {
        "1001": {
            "external_id": "5001",
            "status": "open",
            "financial_status": "paid",
            "fulfillment_status": "unfulfilled",
            "total": Decimal("34.98"),  # the order's total, once, not a sum of its rows
            "currency": "USD",
            "shipping_postcode": "02134",
            "created_at": datetime(2024, 3, 11, 18, 5, 22, tzinfo=UTC),
            "local_date": date(2024, 3, 11),
            "cancelled_at": None,
            "email": "ann@example.com",
            "name": "Ann Lee",  # the billing name first
        },
        "1002": {
            "external_id": "5002",
            "status": "open",
            "financial_status": "paid",
            "fulfillment_status": "fulfilled",
            "total": Decimal("60.00"),
            "currency": "USD",
            "shipping_postcode": None,
            "created_at": datetime(2024, 3, 12, 6, 30, tzinfo=UTC),
            "local_date": date(2024, 3, 12),
            "cancelled_at": None,
            "email": "bob@example.com",
            "name": "Bob Stone",  # no billing name: the shipping name
        },
        "1003": {
            "external_id": "5003",
            "status": "cancelled",
            "financial_status": "voided",
            "fulfillment_status": "unfulfilled",
            "total": Decimal("15.00"),
            "currency": "USD",
            "shipping_postcode": None,
            "created_at": datetime(2024, 3, 12, 12, 0, tzinfo=UTC),
            "local_date": date(2024, 3, 12),
            "cancelled_at": datetime(2024, 3, 12, 14, 0, tzinfo=UTC),
            "email": "cy@example.com",
            "name": None,
        },
        "1004": {
            "external_id": "5004",
            "status": "refunded",
            "financial_status": "refunded",
            "fulfillment_status": None,
            "total": Decimal("25.00"),
            "currency": "EUR",
            "shipping_postcode": None,
            "created_at": datetime(2024, 3, 13, 4, 30, tzinfo=UTC),
            "local_date": date(2024, 3, 13),
            "cancelled_at": None,
            "email": None,
            "name": None,
        },
    }
    assert {n: {k: v for k, v in o.items() if k != "updated_at"} for n, o in orders.items()} == (
        expected
    )
    # Fulfilled without a tracking number: one untracked shipment, shipped at Fulfilled at.
    assert await stored_shipments(session, shop.id) == {
        (
            "1002",
            "unknown",
            "untracked-1002",
            datetime(2024, 3, 12, 13, 15, tzinfo=UTC),
            date(2024, 3, 12),
            True,
        )
    }

    before = await rollup_state(session, shop.id)
    assert nonzero_daily(before[0]) == {
        date(2024, 3, 11): {"total_orders": 1},
        # #1002 and #1003; #1002 shipped 13:15Z, 6 h 45 min after 06:30Z
        date(2024, 3, 12): {
            "total_orders": 2,
            "shipments_shipped": 1,
            "time_to_ship_count": 1,
            "time_to_ship_seconds_sum": 24_300,
        },
        date(2024, 3, 13): {"total_orders": 1},
    }
    assert before[1][(date(2024, 3, 12), "carrier", "unknown")]["shipments_shipped"] == 1

    # The same file again: the same report of problems, nothing new, nothing changed.
    again = await run(session_factory, shop, path)
    assert (again.rows_ok, again.rows_failed, again.orders_failed) == (8, 4, 3)
    assert (again.created, again.existing, again.shipments_created) == (0, 4, 0)
    assert [(e.line, e.column, e.reason) for e in again.errors] == [
        (e.line, e.column, e.reason) for e in report.errors
    ]
    assert await stored_orders(session, shop.id) == orders
    assert len(await stored_shipments(session, shop.id)) == 1
    assert await rollup_state(session, shop.id) == before


TRACKED_HEADER = [*SHOPIFY_HEADER, "Tracking Number", "Tracking Company"]


async def test_tracking_columns_become_shipments(
    session_factory: async_sessionmaker[AsyncSession],
    session: AsyncSession,
    shop: Any,
    tmp_path: Path,
) -> None:
    # #2005 already has a shipment from a webhook: the export adds no untracked one.
    async with session_factory() as writer:
        store = await writer.get(Store, shop.id)
        assert store is not None
        order, _ = await ingestion.upsert_order(
            writer,
            store,
            "2005",
            OrderUpsert(created_at=datetime(2024, 3, 14, 14, 0, tzinfo=UTC)),
        )
        await ingestion.add_shipment(
            writer,
            store,
            order,
            ShipmentCreate(
                carrier="DHL",
                tracking_number="JD01",
                shipped_at=datetime(2024, 3, 15, 12, tzinfo=UTC),
            ),
        )
        await writer.commit()

    fulfilled = {"Fulfillment Status": "fulfilled", "Fulfilled at": "2024-03-15 16:30:00 -0400"}
    rows = [
        # lines 2-3: two packages; the second row names no company: the order's (UPS)
        *order_rows(
            paid(
                "#2001",
                "2024-03-14 10:00:00 -0400",
                "40.00",
                **fulfilled,
                **{"Tracking Number": "1Z999AA10123456784", "Tracking Company": "UPS"},
            ),
            ("1", "Boots", "30.00"),
            ("1", "Laces", "10.00"),
        ),
        # line 4: a tracking number but no Fulfilled at
        *order_rows(
            paid("#2002", "2024-03-14 11:00:00 -0400", "5.00", **{"Tracking Number": "9400A1"}),
            ("1", "Card", "5.00"),
        ),
        # lines 5-6: fulfilled, no tracking number
        *order_rows(
            paid("#2003", "2024-03-14 12:00:00 -0400", "7.00", **fulfilled),
            ("1", "Soap", "3.50"),
            ("1", "Soap", "3.50"),
        ),
        # lines 7-8: its second row's tracking number is #2001's: the whole order is refused
        *order_rows(
            paid("#2004", "2024-03-14 13:00:00 -0400", "9.00", **fulfilled),
            ("1", "Belt", "4.50"),
            ("1", "Wallet", "4.50"),
        ),
        # line 9: already shipped by DHL (from a webhook)
        *order_rows(
            paid("#2005", "2024-03-14 10:00:00 -0400", "3.00", **fulfilled), ("1", "Gum", "3.00")
        ),
    ]
    rows[1]["Tracking Number"] = "1Z999AA10123456785"
    rows[6]["Tracking Number"] = "1Z999AA10123456784"
    rows[6]["Tracking Company"] = "ups"
    path = write_export(tmp_path / "tracked.csv", rows, TRACKED_HEADER)

    report = await run(session_factory, shop, path, batch_size=2)
    assert (report.orders, report.orders_failed, report.rows_failed) == (5, 2, 3)
    assert (report.created, report.existing, report.shipments_created) == (2, 1, 3)
    assert [(e.line, e.column) for e in report.errors] == [
        (4, "Fulfilled at"),
        (8, "Tracking Number"),
    ]
    assert report.errors[0].reason == "a tracking number needs Fulfilled at (when it shipped)"
    assert "already belongs to another order" in report.errors[1].reason

    shipped = datetime(2024, 3, 15, 20, 30, tzinfo=UTC)
    assert await stored_shipments(session, shop.id) == {
        ("2001", "UPS", "1Z999AA10123456784", shipped, date(2024, 3, 15), True),
        ("2001", "UPS", "1Z999AA10123456785", shipped, date(2024, 3, 15), False),
        ("2003", "unknown", "untracked-2003", shipped, date(2024, 3, 15), True),
        ("2005", "DHL", "JD01", datetime(2024, 3, 15, 12, tzinfo=UTC), date(2024, 3, 15), True),
    }
    assert set(await stored_orders(session, shop.id)) == {"2001", "2003", "2005"}
    rows_by_day = nonzero_daily(await daily(session, shop.id))
    # Ordered the 14th (14:00Z, 16:00Z, and #2005 at 14:00Z); all shipped 20:30Z on the 15th
    # (#2005: 12:00Z): time to ship 30.5 h + 28.5 h + 22 h, the first shipment of each.
    assert rows_by_day == {
        date(2024, 3, 14): {"total_orders": 3},
        date(2024, 3, 15): {
            "shipments_shipped": 4,
            "time_to_ship_count": 3,
            "time_to_ship_seconds_sum": 109_800 + 102_600 + 79_200,
        },
    }
    by_dim = await dims(session, shop.id)
    assert by_dim[(date(2024, 3, 15), "carrier", "UPS")]["shipments_shipped"] == 2

    before = await rollup_state(session, shop.id)
    again = await run(session_factory, shop, path)
    assert (again.created, again.existing, again.shipments_created) == (0, 3, 0)
    assert await rollup_state(session, shop.id) == before


async def test_a_file_that_is_not_shopifys_export_is_refused_before_any_write(
    session_factory: async_sessionmaker[AsyncSession],
    session: AsyncSession,
    shop: Any,
    tmp_path: Path,
) -> None:
    plain = tmp_path / "orders.csv"
    plain.write_text("order_number,created_at\n1001,2026-03-02T15:00:00Z\n", encoding="utf-8")
    report = await run(session_factory, shop, plain)
    assert report.aborted and report.rows == 0
    assert [(e.line, e.column) for e in report.errors] == [(1, "Name")]
    assert "is this Shopify's order export?" in report.errors[0].reason

    # Newer exports spell it "Canceled at"; unknown columns are ignored.
    header = ["Name", "Created at", "Canceled at", "Some Column Shopify Added"]
    rows = [
        {
            "Name": "#7",
            "Created at": "2024-03-11 14:05:22 -0400",
            "Canceled at": "2024-03-11 15:00:00 -0400",
        }
    ]
    report = await run(session_factory, shop, write_export(tmp_path / "new.csv", rows, header))
    assert report.ok and report.created == 1
    orders = await stored_orders(session, shop.id)
    assert orders["7"]["status"] == "cancelled"
    assert orders["7"]["cancelled_at"] == datetime(2024, 3, 11, 19, 0, tzinfo=UTC)


def test_the_command_reports_by_line_and_counts_orders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`wismo import shopify-orders` on its own SQLite file: the error table and summary."""
    from typer.testing import CliRunner

    from app.cli import app
    from app.core.config import get_settings

    monkeypatch.setenv("WISMO_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        assert runner.invoke(app, ["migrate"]).exit_code == 0
        created = runner.invoke(app, ["create-store", "CLI", "--timezone", "America/New_York"])
        store_id = created.output.strip().splitlines()[-1]
        path = write_export(tmp_path / "orders_export_1.csv", EXPORT, SHOPIFY_HEADER)
        args = ["import", "shopify-orders", str(path), "--store", store_id]
        result = runner.invoke(app, args)
        again = runner.invoke(app, args)
    finally:
        get_settings.cache_clear()

    assert result.exit_code == 1  # some orders were refused
    text = " ".join(result.output.split())
    assert "3 order(s) (4 row(s)) not imported" in text
    assert "│ 11 │ Created at │ expected a time like" in text
    assert "│ 13 │ Total │" in text and "│ 14 │ Name │ order #1001 already appeared" in text
    assert "4 of 7 order(s) imported from 8 of 12 row(s) (4 new, 0 already present; 1 new" in text
    assert "(0 new, 4 already present; 0 new shipment(s))" in " ".join(again.output.split())
