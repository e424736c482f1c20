"""CSV import: streamed, row-level errors, one SAVEPOINT per row, batched commits.

Every expected figure is worked out by hand from the timestamps in the files. The store is in
America/New_York (UTC-5 until 2026-03-08).
"""

import textwrap
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.errors import NotFoundError
from app.ingestion import rollups
from app.ingestion.csv_import import ImportProgress, ImportReport, column_key, import_csv
from app.models import Customer, Order, OrderInquiry, Shipment, Store
from tests.helpers import daily, dims

DERIVED = ("inquiry_rate", "avg_resolution_time", "satisfaction_score")


@pytest.fixture
async def csv_store(make_store: Any) -> Any:
    return await make_store("CSV Store", "America/New_York")


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return path


def errors_of(report: ImportReport) -> list[tuple[int, str | None]]:
    return [(e.line, e.column) for e in report.errors]


def counters(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v not in (0, None) and k not in DERIVED}


async def count(session: AsyncSession, model: Any, store_id: Any) -> int:
    stmt = select(func.count()).select_from(model).where(model.store_id == store_id)
    return int(await session.scalar(stmt) or 0)


async def run(
    factory: async_sessionmaker[AsyncSession],
    store: Any,
    kind: str,
    path: Path,
    **kwargs: Any,
) -> ImportReport:
    return await import_csv(factory, store.id, kind, path, **kwargs)


def test_column_names_accept_snake_and_camel_case() -> None:
    assert column_key("createdAt") == "created_at"
    assert column_key(" Created_At ") == "created_at"
    assert column_key("\ufefforderNumber") == "order_number"
    assert column_key("effortScore") == "effort_score"


async def test_orders_good_rows_kept_bad_rows_reported(
    session_factory: async_sessionmaker[AsyncSession],
    session: AsyncSession,
    csv_store: Any,
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        "orders.csv",
        """
        order_number,created_at,customer_email,customer_name,total,currency,status,promised_delivery_date
        1001,2026-03-02T07:30:00Z,ann@example.com,Ann,49.90,USD,,2026-03-06
        1002,2026-03-02T04:30:00Z,bob@example.com,Bob,10.00,USD,,
        1003,not-a-date,cy@example.com,Cy,5,USD,,
        1004,2026-03-03T12:00:00Z,not-an-email,Di,5,usd,,
        #1005,2026-03-03T15:00:00Z,,,"1,000.00",USD,open,
        1006,2026-03-03T15:00:00+00:00,,,,,shipped,
        ,2026-03-03T15:00:00Z,,,,,,
        1007,2026-03-04T02:00:00Z,eve@example.com,"Eve, ""E"" Evans",0,EUR,cancelled,
        1008,2030-01-01T00:00:00Z,,,,,,
        1001,2026-03-02T07:30:00Z,ann@example.com,Ann,59.90,USD,,2026-03-06

        1009,2026-03-04T15:00:00Z,,"Fay
        Foo",1,USD,,
        1010,yesterday,,,,,,
        """,
    )
    progress: list[ImportProgress] = []
    report = await run(session_factory, csv_store, "orders", path, progress=progress.append)

    assert (report.rows, report.rows_ok, report.rows_failed) == (12, 5, 7)
    assert (report.created, report.existing) == (4, 1)  # 1001 was imported, then updated
    assert not report.aborted and not report.ok
    # Line numbers are the file's (a quoted field over two lines shifts the rows after it).
    assert errors_of(report) == [
        (4, "created_at"),
        (5, "customer_email"),
        (5, "currency"),
        (6, "total"),
        (7, "status"),
        (8, "order_number"),
        (10, "created_at"),
        (15, "created_at"),
    ]
    reasons = {(e.line, e.column): e.reason for e in report.errors}
    assert "datetime" in reasons[(4, "created_at")] and "'not-a-date'" in reasons[(4, "created_at")]
    assert "pattern" in reasons[(5, "currency")]
    assert "decimal" in reasons[(6, "total")]
    assert "required" in reasons[(8, "order_number")]
    assert reasons[(10, "created_at")] == "createdAt is in the future"
    assert progress[-1].bytes_read == path.stat().st_size == progress[-1].bytes_total

    orders = {
        o.order_number: o
        for o in await session.scalars(select(Order).where(Order.store_id == csv_store.id))
    }
    assert set(orders) == {"1001", "1002", "1007", "1009"}
    assert str(orders["1001"].total) == "59.90"  # the later row updated it
    assert orders["1007"].status == "cancelled" and orders["1007"].currency == "EUR"
    emails = set(
        await session.scalars(select(Customer.email).where(Customer.store_id == csv_store.id))
    )
    assert emails == {"ann@example.com", "bob@example.com", "eve@example.com"}
    names = set(
        await session.scalars(select(Customer.name).where(Customer.store_id == csv_store.id))
    )
    assert 'Eve, "E" Evans' in names

    rows = await daily(session, csv_store.id)
    # 1002 at 04:30Z is 23:30 on March 1st in New York; 1007 at 02:00Z on the 4th is the 3rd.
    assert {d: counters(r) for d, r in rows.items()} == {
        date(2026, 3, 1): {"total_orders": 1},
        date(2026, 3, 2): {"total_orders": 1},
        date(2026, 3, 3): {"total_orders": 1},
        date(2026, 3, 4): {"total_orders": 1},
    }


ORDERS = """
    order_number,created_at
    1001,2026-03-02T07:30:00Z
    1002,2026-03-02T04:30:00Z
    """


async def test_shipments_and_inquiries_with_hand_computed_rollups(
    session_factory: async_sessionmaker[AsyncSession],
    session: AsyncSession,
    csv_store: Any,
    tmp_path: Path,
) -> None:
    report = await run(session_factory, csv_store, "orders", write(tmp_path, "o.csv", ORDERS))
    assert report.ok and report.created == 2

    shipments = write(
        tmp_path,
        "shipments.csv",
        """
        orderNumber,carrier,trackingNumber,shippedAt,estimatedDelivery
        1001,ups,1ZAAA1,2026-03-03T14:00:00Z,2026-03-06
        1002,USPS,9400A2,2026-03-02T12:00:00Z,
        9999,UPS,1ZZZZ9,2026-03-03T14:00:00Z,
        1001,UPS,1ZAAA1,2026-03-03T14:00:00Z,
        1002,UPS,1ZAAA1,2026-03-03T14:00:00Z,
        1002,UPS,1ZBBB2,2026-03-01T00:00:00Z,
        """,
    )
    report = await run(session_factory, csv_store, "shipments", shipments)
    assert (report.rows_ok, report.rows_failed, report.created, report.existing) == (3, 3, 2, 1)
    assert errors_of(report) == [
        (4, "orderNumber"),  # reported under the header as written
        (6, "trackingNumber"),
        (7, "shippedAt"),
    ]
    assert report.errors[0].reason == "order not found"
    assert "already belongs to another order" in report.errors[1].reason
    assert await count(session, Shipment, csv_store.id) == 2

    inquiries = write(
        tmp_path,
        "inquiries.csv",
        """
        inquiry_type,created_at,order_number,customer_email,channel,resolved_at,rating,escalated,external_id
        status,2026-03-04T15:00:00Z,1001,,email,2026-03-04T16:00:00Z,5,false,zd-1
        tracking,2026-03-05T15:00:00Z,1001,,chat,,,no,zd-2
        refund,2026-03-05T16:00:00Z,,zed@example.com,phone,2026-03-05T16:30:00Z,6,,zd-3
        delivery,2026-03-05T17:00:00Z,4242,,,,,,zd-4
        other,2026-03-05T18:00:00Z,,,,2026-03-05T17:00:00Z,,,zd-5
        status,2026-03-04T15:00:00Z,1001,,email,2026-03-04T16:00:00Z,5,false,zd-1
        status,2026-03-05T20:00:00Z,,,sms,,,,zd-6
        """,
    )
    report = await run(session_factory, csv_store, "inquiries", inquiries)
    assert (report.rows_ok, report.rows_failed, report.created, report.existing) == (3, 4, 2, 1)
    assert errors_of(report) == [
        (4, "rating"),
        (5, "order_number"),
        (6, "resolved_at"),
        (8, "channel"),
    ]
    assert await count(session, OrderInquiry, csv_store.id) == 2

    rows = await daily(session, csv_store.id)
    assert {d: counters(r) for d, r in rows.items()} == {
        # 1002 ordered 23:30 local on March 1st, shipped 7 h 30 min later by USPS.
        date(2026, 3, 1): {"total_orders": 1},
        date(2026, 3, 2): {
            "total_orders": 1,
            "shipments_shipped": 1,
            "time_to_ship_count": 1,
            "time_to_ship_seconds_sum": 27_000,
        },
        # 1001 ordered 07:30Z on the 2nd, shipped 14:00Z on the 3rd: 30 h 30 min.
        date(2026, 3, 3): {
            "shipments_shipped": 1,
            "time_to_ship_count": 1,
            "time_to_ship_seconds_sum": 109_800,
        },
        # zd-1: resolved in an hour and rated 5, but zd-2 followed up the next day, so it
        # is not a first-contact resolution; zd-2 is a repeat.
        date(2026, 3, 4): {
            "total_inquiries": 1,
            "resolved_inquiries": 1,
            "resolution_seconds_sum": 3_600,
            "rating_count": 1,
            "rating_sum": 5,
            "satisfied_count": 1,
        },
        date(2026, 3, 5): {"total_inquiries": 1, "repeat_inquiries": 1},
    }
    by_dim = await dims(session, csv_store.id)
    assert by_dim[(date(2026, 3, 3), "carrier", "UPS")]["shipments_shipped"] == 1
    assert by_dim[(date(2026, 3, 2), "carrier", "USPS")]["shipments_shipped"] == 1
    assert by_dim[(date(2026, 3, 5), "channel", "chat")]["repeat_inquiries"] == 1


async def test_a_row_failing_on_a_database_constraint_leaves_nothing_half_written(
    session_factory: async_sessionmaker[AsyncSession],
    session: AsyncSession,
    csv_store: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Row 1003's customer and order are flushed, then the database refuses a write (a real
    primary-key violation): its SAVEPOINT rolls all of it back and the next row goes on."""
    real_apply = rollups.apply

    async def apply(session: AsyncSession, store_id: Any, delta: Any) -> None:
        written = select(Order.id).where(Order.store_id == store_id, Order.order_number == "1003")
        writing_1003 = (await session.scalar(written)) is not None
        if writing_1003:
            # A second store with the same primary key: IntegrityError on every backend.
            await session.execute(
                insert(Store.__table__).values(
                    id=store_id, name="dup", timezone="UTC", currency="USD"
                )
            )
        await real_apply(session, store_id, delta)

    monkeypatch.setattr(rollups, "apply", apply)
    path = write(
        tmp_path,
        "orders.csv",
        """
        order_number,created_at,customer_email
        1001,2026-03-02T15:00:00Z,ann@example.com
        1003,2026-03-05T15:00:00Z,cy@example.com
        1004,2026-03-06T15:00:00Z,di@example.com
        """,
    )
    report = await run(session_factory, csv_store, "orders", path)
    assert (report.rows_ok, report.rows_failed) == (2, 1)
    assert errors_of(report) == [(3, None)]
    assert report.errors[0].reason.startswith("database error (IntegrityError): ")

    numbers = set(
        await session.scalars(select(Order.order_number).where(Order.store_id == csv_store.id))
    )
    assert numbers == {"1001", "1004"}
    emails = set(
        await session.scalars(select(Customer.email).where(Customer.store_id == csv_store.id))
    )
    assert emails == {"ann@example.com", "di@example.com"}  # cy's customer row rolled back too
    rows = await daily(session, csv_store.id)
    assert {d: counters(r) for d, r in rows.items()} == {
        date(2026, 3, 2): {"total_orders": 1},
        date(2026, 3, 6): {"total_orders": 1},
    }


async def test_header_problems_stop_the_import_before_any_write(
    session_factory: async_sessionmaker[AsyncSession],
    session: AsyncSession,
    csv_store: Any,
    tmp_path: Path,
) -> None:
    bad = write(
        tmp_path,
        "bad.csv",
        """
        orderNumber,createdAt,created_at,colour
        1001,2026-03-02T15:00:00Z,2026-03-02T15:00:00Z,red
        """,
    )
    report = await run(session_factory, csv_store, "orders", bad)
    assert report.aborted and report.rows == 0
    assert errors_of(report) == [(1, "created_at"), (1, "colour")]
    assert "appears twice" in report.errors[0].reason
    assert "unknown column" in report.errors[1].reason

    missing = write(tmp_path, "missing.csv", "carrier,tracking_number\nUPS,1Z1\n")
    report = await run(session_factory, csv_store, "shipments", missing)
    assert report.aborted
    assert {e.column for e in report.errors} == {"order_number", "shipped_at"}

    empty = write(tmp_path, "empty.csv", "")
    report = await run(session_factory, csv_store, "inquiries", empty)
    assert report.aborted and errors_of(report) == [(1, None)]
    assert await count(session, Order, csv_store.id) == 0


async def test_batches_commit_every_n_rows_and_ragged_rows_are_reported(
    session_factory: async_sessionmaker[AsyncSession],
    session: AsyncSession,
    csv_store: Any,
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        "orders.csv",
        """
        order_number,created_at
        2001,2026-03-02T15:00:00Z
        2002,2026-03-02T16:00:00Z,extra
        2003,2026-03-02T17:00:00Z
        2004,2026-03-02T18:00:00Z
        2005,2026-03-02T19:00:00Z
        """,
    )
    report = await run(session_factory, csv_store, "orders", path, batch_size=2)
    assert (report.rows, report.rows_ok, report.batches) == (5, 4, 3)
    assert errors_of(report) == [(3, None)]
    assert report.errors[0].reason == "expected 2 fields, found 3"
    assert (await daily(session, csv_store.id))[date(2026, 3, 2)]["total_orders"] == 4

    # A report keeps at most max_errors rows and counts the rest.
    bad = write(tmp_path, "bad.csv", "order_number,created_at\n" + "x,bad\n" * 5)
    report = await run(session_factory, csv_store, "orders", bad, max_errors=2)
    assert len(report.errors) == 2 and report.errors_omitted == 3 and report.rows_failed == 5


async def test_unknown_store_or_kind_is_refused(
    session_factory: async_sessionmaker[AsyncSession], csv_store: Any, tmp_path: Path
) -> None:
    path = write(tmp_path, "o.csv", ORDERS)
    with pytest.raises(NotFoundError):
        await import_csv(session_factory, uuid.uuid4(), "orders", path)
    with pytest.raises(ValueError, match="kind must be one of"):
        await import_csv(session_factory, csv_store.id, "refunds", path)
