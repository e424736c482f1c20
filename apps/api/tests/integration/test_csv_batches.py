"""CSV batches write exactly what the same rows written one at a time write.

Two stores get the same orders, shipments and one earlier inquiry. Store A imports an
inquiries file in batches of four rows; store B records the same rows one by one with
`record_inquiry`. Facts and every rollup row must agree, and the repeat links are checked by
hand. The store is in America/New_York (UTC-5 until 2026-03-08).
"""

import textwrap
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.errors import AppError
from app.ingestion import csv_import
from app.ingestion import service as ingestion
from app.ingestion.schemas import InquiryCreate, OrderUpsert, ShipmentCreate, TrackingEventCreate
from app.models import Customer, Order, OrderInquiry, Store
from tests.helpers import daily, dims, histograms

INQUIRIES = """
inquiry_type,created_at,order_number,customer_email,channel,resolved_at,rating,external_id
status,2026-03-03T12:00:00Z,1001,,email,2026-03-03T13:00:00Z,4,r1
tracking,2026-03-04T15:00:00Z,#1001,,chat,,,r2
refund,2026-03-05T16:00:00Z,,zed@example.com,phone,2026-03-05T16:30:00Z,,r3
other,2026-03-04T16:00:00Z,,zed@example.com,chat,,,r4
status,2026-03-06T10:00:00Z,1002,amy@example.com,email,,,r5
status,2026-03-06T11:00:00Z,9999,,email,,,r6
delivery,2026-03-07T15:00:00Z,1001,,chat,2026-03-07T14:00:00Z,,r7
delivery,2026-03-07T15:00:00Z,1001,,chat,2026-03-07T16:00:00Z,5,r8
status,2026-03-20T10:00:00Z,1003,,other,,,r9
"""


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def seed(session: AsyncSession, store: Store) -> None:
    orders = {}
    for number, created in (("1001", "2026-03-02T15:00"), ("1002", "2026-03-03T15:00")):
        orders[number], _ = await ingestion.upsert_order(
            session, store, number, OrderUpsert(created_at=at(created))
        )
    await ingestion.upsert_order(
        session,
        store,
        "1003",
        OrderUpsert(created_at=at("2026-03-10T15:00"), cancelled_at=at("2026-03-11T15:00")),
    )
    ups, _ = await ingestion.add_shipment(
        session,
        store,
        orders["1001"],
        ShipmentCreate(carrier="UPS", tracking_number="1Z1", shipped_at=at("2026-03-03T14:00")),
    )
    for occurred, status in (("2026-03-04T10:00", "in_transit"), ("2026-03-06T18:00", "delivered")):
        await ingestion.add_tracking_event(
            session, store, ups, TrackingEventCreate(occurred_at=at(occurred), status=status)
        )
    await ingestion.add_shipment(
        session,
        store,
        orders["1002"],
        ShipmentCreate(carrier="FedEx", tracking_number="F1", shipped_at=at("2026-03-05T12:00")),
    )
    await ingestion.record_inquiry(
        session,
        store,
        InquiryCreate(
            order_number="1002",
            inquiry_type="status",
            channel="email",
            created_at=at("2026-03-05T18:00"),
            resolved_at=at("2026-03-05T19:00"),
            external_id="earlier",
        ),
    )
    await session.commit()


async def facts(session: AsyncSession, store_id: Any) -> dict[str, tuple[Any, ...]]:
    rows = await session.execute(
        select(OrderInquiry, Customer.email)
        .outerjoin(
            Customer,
            (Customer.store_id == OrderInquiry.store_id)
            & (Customer.id == OrderInquiry.customer_id),
        )
        .where(OrderInquiry.store_id == store_id)
    )
    return {
        i.external_id: (
            i.is_repeat,
            i.followed_up,
            i.order_status,
            i.carrier,
            i.order_number,
            email,
            i.local_date,
            i.local_hour,
            i.resolution_seconds,
        )
        for i, email in rows
    }


async def rollups_of(session: AsyncSession, store_id: Any) -> tuple[Any, ...]:
    session.expire_all()
    return (
        await daily(session, store_id),
        await dims(session, store_id),
        await histograms(session, store_id),
    )


async def test_a_batched_import_equals_the_same_rows_one_by_one(
    session_factory: async_sessionmaker[AsyncSession],
    session: AsyncSession,
    make_store: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a = await make_store("Batched", "America/New_York")
    b = await make_store("One by one", "America/New_York")
    for handle in (a, b):
        store = await session.get(Store, handle.id)
        assert store is not None
        await seed(session, store)

    path = tmp_path / "inquiries.csv"
    path.write_text(textwrap.dedent(INQUIRIES).lstrip("\n"), encoding="utf-8")
    one_row_writes: list[str | None] = []
    real_record = ingestion.record_inquiry

    async def counting_record(session: AsyncSession, store: Store, data: Any, **kw: Any) -> Any:
        one_row_writes.append(data.external_id)
        return await real_record(session, store, data, **kw)

    monkeypatch.setattr(ingestion, "record_inquiry", counting_record)
    report = await csv_import.import_csv(session_factory, a.id, "inquiries", path, batch_size=4)
    monkeypatch.undo()

    assert (report.rows, report.rows_ok, report.rows_failed, report.created) == (9, 7, 2, 7)
    assert [(e.line, e.column) for e in report.errors] == [(7, "order_number"), (8, "resolved_at")]
    # Only the two rows the batches could not write went through the one-row path.
    assert sorted(one_row_writes) == ["r6", "r7"]

    store_b = await session.get(Store, b.id)
    assert store_b is not None
    for line in INQUIRIES.strip().splitlines()[1:]:
        kind, created, number, email, channel, resolved, rating, external = line.split(",")
        data = InquiryCreate.model_validate(
            {
                "inquiryType": kind,
                "createdAt": created,
                "orderNumber": number or None,
                "customerEmail": email or None,
                "channel": channel,
                "resolvedAt": resolved or None,
                "rating": rating or None,
                "externalId": external,
            }
        )
        try:
            async with session.begin_nested():
                await ingestion.record_inquiry(session, store_b, data)
        except AppError:
            pass
    await session.commit()

    batched, single = await facts(session, a.id), await facts(session, b.id)
    assert batched == single
    # r1 <- r2 <- r8 on order 1001 within 7 days; r4 (earlier) <- r3 on zed's customer;
    # r5 follows the stored inquiry on 1002 by less than a day.
    links = {k: v[:2] for k, v in batched.items()}
    assert links == {
        "earlier": (False, True),
        "r1": (False, True),
        "r2": (True, True),
        "r3": (True, False),
        "r4": (False, True),
        "r5": (True, False),
        "r8": (True, False),
        "r9": (False, False),
    }
    assert batched["r2"][2:4] == ("in_transit", "UPS")
    assert batched["r8"][2:4] == ("delivered", "UPS")
    assert batched["r9"][2:4] == ("cancelled", None)
    assert batched["r5"][5] == "amy@example.com"

    assert await rollups_of(session, a.id) == await rollups_of(session, b.id)
    orders = await session.scalars(select(Order.order_number).where(Order.store_id == a.id))
    assert sorted(orders) == ["1001", "1002", "1003"]
