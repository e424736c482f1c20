"""The demo bulk loader against the database: it must leave exactly what the per-row
ingestion path leaves, rollups included, and `create_demo` must be re-runnable."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import BigInteger, Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import service as auth
from app.core import clock
from app.demo import (
    DEMO_STORES,
    DEMO_USER_EMAIL,
    DEMO_USER_PASSWORD,
    DemoBatch,
    DemoConfig,
    DemoDataExistsError,
    create_demo,
    generate_all,
    load_store_data,
)
from app.ingestion import service as ingestion
from app.ingestion.schemas import InquiryCreate, OrderUpsert, ShipmentCreate, TrackingEventCreate
from app.models import (
    Customer,
    Order,
    OrderInquiry,
    Shipment,
    Store,
    StoreMember,
    TrackingEvent,
    User,
    WismoDailyDimensionMetrics,
    WismoDailyHistogram,
    WismoDailyMetrics,
)

NOW = datetime(2025, 10, 20, 18, 30, tzinfo=UTC)
# 26 days ending 2025-10-20 (~110 orders): the incident week falls inside, and this seed
# covers every branch the equivalence must hold for (asserted in `test_dataset_coverage`).
SMALL = DemoConfig(days=26, orders_per_day=5, seed=16, now=NOW)
TZ = "America/New_York"
ROLLUP_TABLES: tuple[Any, ...] = (
    WismoDailyMetrics,
    WismoDailyDimensionMetrics,
    WismoDailyHistogram,
)


async def _store(session: AsyncSession, handle: Any) -> Store:
    store = await session.get(Store, handle.id)
    assert store is not None
    return store


async def _count(session: AsyncSession, model: Any, store_id: Any) -> int:
    stmt = select(func.count()).select_from(model).where(model.store_id == store_id)
    return int(await session.scalar(stmt) or 0)


async def rollup_rows(
    session: AsyncSession, store_id: Any
) -> dict[str, dict[tuple[Any, ...], Any]]:
    """Every rollup row keyed by its primary key, store_id and timestamps left out.

    Rows whose counters are all zero are dropped: the per-row path leaves such rows behind
    when a counter moves from one key to another (a shipment's exception reason changing
    with a later event), and a zero row means the same as no row.
    """
    out: dict[str, dict[tuple[Any, ...], Any]] = {}
    for model in ROLLUP_TABLES:
        table: Table = model.__table__
        cols = [c for c in table.columns if c.name not in ("store_id", "updated_at")]
        keys = [c.name for c in cols if c.primary_key]
        counters = [c.name for c in cols if isinstance(c.type, BigInteger)]
        rows = (await session.execute(select(*cols).where(table.c.store_id == store_id))).all()
        by_key: dict[tuple[Any, ...], Any] = {}
        for row in rows:
            values = row._asdict()
            if not any(values[c] for c in counters):
                continue
            by_key[tuple(values[k] for k in keys)] = values
        out[table.name] = by_key
    return out


async def replay_per_row(session: AsyncSession, store: Store, data: DemoBatch) -> None:
    """Feed the generated facts through the per-row ingestion services, as integrations would."""
    customers = {c.id: c for c in data.customers}
    orders: dict[Any, Order] = {}
    for o in data.orders:
        customer = customers[o.customer_id]
        orders[o.id], _ = await ingestion.upsert_order(
            session,
            store,
            o.order_number,
            OrderUpsert(
                created_at=o.created_at,
                customer_email=customer.email,
                customer_name=customer.name,
                status=o.status,
                financial_status=o.financial_status,
                fulfillment_status=o.fulfillment_status,
                total=o.total,
                currency=o.currency,
                shipping_postcode=o.shipping_postcode,
                promised_delivery_date=o.promised_delivery_date,
                cancelled_at=o.cancelled_at,
                refunded_at=o.refunded_at,
                external_id=o.external_id,
            ),
        )
    shipments: dict[Any, Shipment] = {}
    for s in data.shipments:
        shipments[s.id], _ = await ingestion.add_shipment(
            session,
            store,
            orders[s.order_id],
            ShipmentCreate(
                carrier=s.carrier,
                tracking_number=s.tracking_number,
                shipped_at=s.shipped_at,
                estimated_delivery=s.carrier_estimate,
            ),
        )
    for e in data.events:
        await ingestion.add_tracking_event(
            session,
            store,
            shipments[e.shipment_id],
            TrackingEventCreate(
                occurred_at=e.occurred_at,
                status=e.status,
                subtag=e.subtag,
                description=e.description,
                location=e.location,
                event_id=e.provider_event_id,
                estimated_delivery=e.estimated_delivery,
            ),
        )
    numbers = {o.id: o.order_number for o in data.orders}
    for i in sorted(data.inquiries, key=lambda i: i.created_at):
        await ingestion.record_inquiry(
            session,
            store,
            InquiryCreate(
                order_number=numbers[i.order_id] if i.order_id else None,
                customer_email=None if i.order_id else customers[i.customer_id].email,
                inquiry_type=i.inquiry_type,
                channel=i.channel,
                created_at=i.created_at,
                first_response_at=i.first_response_at,
                resolved_at=i.resolved_at,
                escalated=i.escalated,
                rating=i.satisfaction_rating,
                effort_score=i.effort_score,
                feedback=i.feedback_text,
                external_id=i.external_id,
            ),
        )
    await session.flush()


def test_dataset_coverage() -> None:
    """The equivalence below is only as good as the branches the small dataset takes."""
    data = generate_all(SMALL, TZ)
    statuses = {e.status for e in data.events}
    assert {
        "info_received",
        "in_transit",
        "out_for_delivery",
        "exception",
        "failed_attempt",
        "available_for_pickup",
        "returned",
        "delivered",
    } <= statuses
    reasons: dict[Any, set[str | None]] = {}
    for e in data.events:
        if e.status in ("exception", "failed_attempt"):
            reasons.setdefault(e.shipment_id, set()).add(e.subtag)
    assert any(len(r) > 1 for r in reasons.values())  # the latest reason wins
    assert any(
        s.carrier_estimate is None and s.original_estimated_delivery is not None
        for s in data.shipments
    )  # the first estimate from an event becomes the original
    assert {o.status for o in data.orders} >= {"cancelled", "refunded", "closed", "open"}
    assert any(o.fulfillment_status == "partial" for o in data.orders)
    assert any(not s.is_first_for_order for s in data.shipments)
    assert any(s.carrier_estimate is None for s in data.shipments)
    assert any(o.promised_delivery_date is not None for o in data.orders)
    assert any(i.order_id is None for i in data.inquiries)
    assert any(i.is_repeat for i in data.inquiries)
    assert any(not i.resolved for i in data.inquiries)
    assert any(i.satisfaction_rating is not None for i in data.inquiries)
    assert len({i.order_status for i in data.inquiries}) >= 7


async def test_bulk_load_equals_per_row_ingestion(session: AsyncSession, make_store: Any) -> None:
    bulk = await _store(session, await make_store("Bulk", TZ))
    per_row = await _store(session, await make_store("Per Row", TZ))
    data = generate_all(SMALL, TZ)

    summary = await load_store_data(session, bulk, SMALL)
    await replay_per_row(session, per_row, data)

    assert (summary.orders, summary.shipments, summary.tracking_events, summary.inquiries) == (
        len(data.orders),
        len(data.shipments),
        len(data.events),
        len(data.inquiries),
    )
    for model in (Customer, Order, Shipment, TrackingEvent, OrderInquiry):
        assert await _count(session, model, bulk.id) == await _count(session, model, per_row.id)

    expected = await rollup_rows(session, per_row.id)
    actual = await rollup_rows(session, bulk.id)
    for table, rows in expected.items():
        assert actual[table].keys() == rows.keys(), table
        for key, row in rows.items():
            assert actual[table][key] == row, (table, key)
    assert sum(r["total_orders"] for r in actual["wismo_daily_metrics"].values()) == len(
        data.orders
    )

    # The denormalised columns, row by row.
    def shipment_facts(s: Shipment) -> tuple[Any, ...]:
        return (
            s.status,
            s.shipped_local_date,
            s.first_scan_at,
            s.last_event_at,
            s.had_exception,
            s.exception_reason,
            s.is_first_for_order,
            s.delivered_at,
            s.delivered_local_date,
            s.original_estimated_delivery,
            s.estimated_delivery,
        )

    def inquiry_facts(i: OrderInquiry) -> tuple[Any, ...]:
        return (
            i.order_number,
            i.order_status,
            i.carrier,
            i.is_repeat,
            i.followed_up,
            i.local_date,
            i.local_hour,
            i.local_weekday,
            i.resolution_seconds,
            i.customer_satisfied,
        )

    async def by(model: Any, store_id: Any, key: Any, facts: Any) -> dict[Any, Any]:
        rows = await session.scalars(select(model).where(model.store_id == store_id))
        return {key(r): facts(r) for r in rows}

    ship_key = lambda s: (s.carrier, s.tracking_number)  # noqa: E731
    assert await by(Shipment, bulk.id, ship_key, shipment_facts) == await by(
        Shipment, per_row.id, ship_key, shipment_facts
    )
    inq_key = lambda i: i.external_id  # noqa: E731
    assert await by(OrderInquiry, bulk.id, inq_key, inquiry_facts) == await by(
        OrderInquiry, per_row.id, inq_key, inquiry_facts
    )
    order_facts = lambda o: (  # noqa: E731
        o.status,
        o.local_date,
        o.fulfillment_status,
        o.cancelled_at,
        o.refunded_at,
    )
    order_key = lambda o: o.order_number  # noqa: E731
    assert await by(Order, bulk.id, order_key, order_facts) == await by(
        Order, per_row.id, order_key, order_facts
    )


async def test_load_refuses_a_store_with_orders_and_reports_progress(
    session: AsyncSession, make_store: Any
) -> None:
    store = await _store(session, await make_store("Progress", "Europe/London", currency="GBP"))
    calls: list[tuple[int, int]] = []
    config = DemoConfig(days=6, orders_per_day=6, seed=3, now=NOW, batch_orders=8)
    summary = await load_store_data(session, store, config, lambda d, t: calls.append((d, t)))

    assert len(calls) >= 3  # the start, then once per batch
    assert calls[0][0] == 0
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert calls[-1][0] == calls[-1][1] >= summary.orders > 0
    assert await _count(session, Order, store.id) == summary.orders
    currencies = set(
        await session.scalars(select(Order.currency).where(Order.store_id == store.id))
    )
    assert currencies == {"GBP"}
    with pytest.raises(DemoDataExistsError):
        await load_store_data(session, store, config)


async def test_load_refuses_data_after_the_clock_s_now(
    session: AsyncSession, make_store: Any
) -> None:
    store = await _store(session, await make_store("Future", "America/New_York"))
    config = DemoConfig(days=3, orders_per_day=4, seed=5, now=NOW)
    with clock.frozen(NOW - timedelta(hours=1)), pytest.raises(ValueError, match="future"):
        await load_store_data(session, store, config)
    assert await _count(session, Order, store.id) == 0
    with clock.frozen(NOW):
        assert (await load_store_data(session, store, config)).orders > 0


async def test_create_demo_is_rerunnable(session: AsyncSession) -> None:
    config = DemoConfig(days=3, orders_per_day=4, seed=5, now=NOW)
    first = await create_demo(session, config)

    assert [s.name for s in first.stores] == [s.name for s in DEMO_STORES]
    assert all(s.created and s.api_key and s.summary for s in first.stores)
    assert {s.timezone for s in first.stores} == {s.timezone for s in DEMO_STORES}
    user = await auth.authenticate(session, DEMO_USER_EMAIL, DEMO_USER_PASSWORD)
    roles = {m.store.id: m.role for m in await auth.memberships(session, user.id)}
    assert roles == {s.store_id: "owner" for s in first.stores}
    for s in first.stores:
        assert s.api_key is not None and s.summary is not None
        found = await auth.store_for_api_key(session, s.api_key)
        assert found is not None and found[0].id == s.store_id
        assert await _count(session, Order, s.store_id) == s.summary.orders

    # Every shipment belongs to an order of its own store.
    for s in first.stores:
        joined = await session.scalar(
            select(func.count())
            .select_from(Shipment)
            .join(Order, (Order.store_id == Shipment.store_id) & (Order.id == Shipment.order_id))
            .where(Shipment.store_id == s.store_id)
        )
        assert joined == await _count(session, Shipment, s.store_id) > 0

    second = await create_demo(session, config)
    assert [s.store_id for s in second.stores] == [s.store_id for s in first.stores]
    assert not second.created_any
    assert all(s.api_key is None and s.summary is None for s in second.stores)
    users = await session.scalar(
        select(func.count()).select_from(User).where(User.email == DEMO_USER_EMAIL)
    )
    members = await session.scalar(
        select(func.count()).select_from(StoreMember).where(StoreMember.user_id == user.id)
    )
    assert (users, members) == (1, len(DEMO_STORES))
