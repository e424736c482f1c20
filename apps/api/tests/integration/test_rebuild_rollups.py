"""Reconciliation: `rebuild_store` recomputes from the facts exactly what the writes built.

The store is in America/New_York (UTC-5 until 2026-03-08); the hand-computed figures below
follow from the timestamps.
"""

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.ingestion import rollups
from app.ingestion import service as ingestion
from app.ingestion.schemas import InquiryCreate, OrderUpsert, ShipmentCreate, TrackingEventCreate
from app.models import Store, WismoDailyMetrics
from tests.helpers import daily, dims, histograms, nonzero


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def write_history(session: AsyncSession, store: Store) -> None:
    o1, _ = await ingestion.upsert_order(
        session,
        store,
        "1001",
        OrderUpsert(created_at=at("2026-03-02T15:00"), customer_email="ann@example.com"),
    )
    o2, _ = await ingestion.upsert_order(
        session,
        store,
        "1002",
        OrderUpsert(created_at=at("2026-03-03T15:00"), promised_delivery_date=date(2026, 3, 6)),
    )
    s1, _ = await ingestion.add_shipment(
        session,
        store,
        o1,
        ShipmentCreate(carrier="ups", tracking_number="1Z1", shipped_at=at("2026-03-03T15:00")),
    )
    for occurred, status in (("2026-03-04T10:00", "in_transit"), ("2026-03-05T18:00", "delivered")):
        await ingestion.add_tracking_event(
            session, store, s1, TrackingEventCreate(occurred_at=at(occurred), status=status)
        )
    s2, _ = await ingestion.add_shipment(
        session,
        store,
        o2,
        ShipmentCreate(carrier="FedEx", tracking_number="F1", shipped_at=at("2026-03-04T12:00")),
    )
    await ingestion.add_tracking_event(
        session,
        store,
        s2,
        TrackingEventCreate(occurred_at=at("2026-03-05T12:00"), status="exception", subtag="lost"),
    )
    await ingestion.record_inquiry(
        session,
        store,
        InquiryCreate(
            order_number="1001",
            inquiry_type="status",
            channel="email",
            created_at=at("2026-03-03T16:00"),
            first_response_at=at("2026-03-03T16:10"),
            resolved_at=at("2026-03-03T18:00"),
            rating=5,
        ),
    )
    # A repeat two days later spoils the first one's first-contact resolution.
    await ingestion.record_inquiry(
        session,
        store,
        InquiryCreate(
            order_number="#1001",
            inquiry_type="delivery",
            channel="chat",
            created_at=at("2026-03-05T16:00"),
        ),
    )
    await ingestion.record_inquiry(
        session,
        store,
        InquiryCreate(
            customer_email="bob@example.com",
            inquiry_type="refund",
            channel="phone",
            created_at=at("2026-03-05T03:00"),  # the 4th in New York
            resolved_at=at("2026-03-05T05:00"),
            escalated=True,
            effort_score=6,
        ),
    )
    await session.flush()


async def rollup_tables(session: AsyncSession, store_id: Any) -> tuple[Any, Any, Any]:
    session.expire_all()
    return (
        {d: nonzero(c) for d, c in (await daily(session, store_id)).items() if nonzero(c)},
        {k: nonzero(c) for k, c in (await dims(session, store_id)).items() if nonzero(c)},
        await histograms(session, store_id),
    )


async def test_rebuild_reproduces_the_rollups_the_writes_built(
    session: AsyncSession, make_store: Any
) -> None:
    handle = await make_store("Rebuild Store", "America/New_York")
    store = await session.get(Store, handle.id)
    assert store is not None
    await write_history(session, store)
    written = await rollup_tables(session, handle.id)
    by_day, by_dim, hist = written

    assert by_day[date(2026, 3, 2)] == {"total_orders": 1}
    march_3 = by_day[date(2026, 3, 3)]
    assert (march_3["total_orders"], march_3["total_inquiries"]) == (1, 1)
    assert (march_3["resolved_inquiries"], march_3["resolution_seconds_sum"]) == (1, 7200)
    assert "first_contact_resolved" not in march_3  # followed up on the 5th
    assert (march_3["shipments_shipped"], march_3["time_to_ship_seconds_sum"]) == (1, 86400)
    march_4 = by_day[date(2026, 3, 4)]
    assert (march_4["total_inquiries"], march_4["escalated_inquiries"]) == (1, 1)
    assert (march_4["effort_count"], march_4["effort_sum"]) == (1, 6)
    assert (march_4["shipments_shipped"], march_4["shipments_with_exception"]) == (1, 1)
    march_5 = by_day[date(2026, 3, 5)]
    assert (march_5["total_inquiries"], march_5["repeat_inquiries"]) == (1, 1)
    assert (march_5["shipments_delivered"], march_5["transit_seconds_sum"]) == (1, 183600)
    assert by_dim[(date(2026, 3, 4), "exception_reason", "lost")] == {"shipments_with_exception": 1}
    assert by_dim[(date(2026, 3, 3), "carrier", "UPS")]["shipments_shipped"] == 1
    assert sum(n for (d, m, sg, _), n in hist.items() if m == "resolution" and sg == "") == 2

    # Damage every table, then rebuild from the facts.
    await session.execute(
        update(WismoDailyMetrics)
        .where(WismoDailyMetrics.store_id == handle.id)
        .values(total_orders=99, inquiry_rate=None)
    )
    await rollups.apply(
        session,
        handle.id,
        rollups.order_contribution(
            type("Stray", (), {"local_date": date(2026, 2, 1)})()  # type: ignore[arg-type]
        ),
    )
    await rollups.rebuild_store(session, handle.id)
    await session.flush()

    assert await rollup_tables(session, handle.id) == written
    session.expire_all()
    derived = await daily(session, handle.id)
    assert float(derived[date(2026, 3, 3)]["inquiry_rate"]) == 1.0
    assert derived[date(2026, 3, 3)]["avg_resolution_time"] == 7200
    assert float(derived[date(2026, 3, 3)]["satisfaction_score"]) == 5.0
    assert derived[date(2026, 3, 5)]["inquiry_rate"] is None  # no orders that day
