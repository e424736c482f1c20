"""Bulk loading of generated demo rows, and the demo stores/user behind `wismo demo`.

Rows go in with bulk inserts per batch (PostgreSQL + asyncpg: `COPY`; otherwise executemany
INSERTs); the rollups are the sum of `rollups.*_contribution` over the batch, applied once per
batch through `rollups.apply` - the only writer of the rollup tables. Like every service this
module only flushes: the caller commits.
"""

import hashlib
import secrets
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from operator import attrgetter
from typing import Any, cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import service as auth
from app.core import clock
from app.core.errors import ConflictError, NotFoundError
from app.core.timeutils import FUTURE_TOLERANCE
from app.demo.generator import DemoBatch, DemoConfig, StoreDataGenerator, batches, make_plan
from app.demo.profiles import DEMO_STORES, DemoStoreSpec
from app.ingestion import rollups
from app.models import Customer, Order, OrderInquiry, Shipment, Store, TrackingEvent
from app.stores import business_hours
from app.stores.service import create_store

ProgressFn = Callable[[int, int], None]

DEMO_USER_EMAIL = "demo@wismo.dev"
DEMO_USER_PASSWORD = "wismo-demo"  # noqa: S105 - the published demo login

CUSTOMER_COLUMNS = ("id", "email_hash", "email", "name", "created_at")
ORDER_COLUMNS = (
    "id",
    "order_number",
    "external_id",
    "customer_id",
    "status",
    "financial_status",
    "fulfillment_status",
    "total",
    "currency",
    "shipping_postcode",
    "created_at",
    "local_date",
    "cancelled_at",
    "refunded_at",
    "promised_delivery_date",
)
SHIPMENT_COLUMNS = (
    "id",
    "order_id",
    "external_id",
    "carrier",
    "tracking_number",
    "status",
    "shipped_at",
    "shipped_local_date",
    "original_estimated_delivery",
    "estimated_delivery",
    "delivered_at",
    "delivered_local_date",
    "exception_reason",
    "first_scan_at",
    "last_event_at",
    "had_exception",
    "is_first_for_order",
)
EVENT_COLUMNS = (
    "id",
    "shipment_id",
    "occurred_at",
    "status",
    "subtag",
    "description",
    "location",
    "provider_event_id",
)
INQUIRY_COLUMNS = (
    "id",
    "conversation_id",
    "order_id",
    "order_number",
    "customer_id",
    "external_id",
    "inquiry_type",
    "order_status",
    "channel",
    "carrier",
    "exception_reason",
    "created_at",
    "local_date",
    "local_hour",
    "local_weekday",
    "is_repeat",
    "followed_up",
    "first_response_at",
    "resolved",
    "resolved_at",
    "resolution_seconds",
    "escalated",
    "customer_satisfied",
    "satisfaction_rating",
    "effort_score",
    "feedback_text",
    "first_response_business_seconds",
    "resolution_business_seconds",
)
# Bookkeeping timestamps (when the row was written), set to the load time like ingestion does.
WRITTEN_AT_COLUMN = {
    "orders": "updated_at",
    "shipments": "updated_at",
    "tracking_events": "received_at",
}


# Contributions of consecutive batches are summed before they are applied: a store's days
# and dimension keys recur in every batch, so applying fewer, larger deltas writes far fewer
# rollup rows. The threshold bounds the memory the pending sum may take.
ROLLUP_FLUSH_KEYS = 100_000


class DemoDataExistsError(ConflictError):
    pass


@dataclass(slots=True)
class DemoSummary:
    store_id: uuid.UUID
    store_name: str
    timezone: str
    start_date: date
    end_date: date
    customers: int = 0
    orders: int = 0
    shipments: int = 0
    tracking_events: int = 0
    inquiries: int = 0
    seconds: float = 0.0


@dataclass(slots=True)
class DemoStoreResult:
    store_id: uuid.UUID
    name: str
    domain: str
    timezone: str
    currency: str
    created: bool
    api_key: str | None  # shown once; None for a store that already existed
    summary: DemoSummary | None
    message: str


@dataclass(slots=True)
class DemoResult:
    email: str
    password: str
    stores: list[DemoStoreResult]

    @property
    def created_any(self) -> bool:
        return any(s.created for s in self.stores)


# ---------------------------------------------------------------- bulk writes


class _BulkWriter:
    """COPY on PostgreSQL/asyncpg (several times faster), executemany INSERTs elsewhere."""

    def __init__(self, session: AsyncSession, copy_connection: Any | None) -> None:
        self.session = session
        self.copy_connection = copy_connection

    @classmethod
    async def open(cls, session: AsyncSession) -> "_BulkWriter":
        conn = await session.connection()
        copy_connection = None
        if conn.dialect.name == "postgresql" and conn.dialect.driver == "asyncpg":
            # A query has run in this transaction already, so the driver connection is inside
            # it and the COPY is part of the caller's transaction (and rolls back with it).
            raw = await conn.get_raw_connection()
            copy_connection = raw.driver_connection
        return cls(session, copy_connection)

    async def write(
        self, table: Table, columns: Sequence[str], records: list[tuple[Any, ...]]
    ) -> None:
        if not records:
            return
        if self.copy_connection is not None:
            await self.copy_connection.copy_records_to_table(
                table.name, records=records, columns=list(columns)
            )
            return
        for start in range(0, len(records), 5000):
            chunk = records[start : start + 5000]
            await self.session.execute(
                insert(table), [dict(zip(columns, r, strict=True)) for r in chunk]
            )


def _records(
    rows: Sequence[object], columns: Sequence[str], store_id: uuid.UUID, written_at: datetime | None
) -> list[tuple[Any, ...]]:
    get = attrgetter(*columns)
    if written_at is None:
        return [(store_id, *get(r)) for r in rows]
    return [(store_id, *get(r), written_at) for r in rows]


async def _write_batch(
    writer: _BulkWriter, store_id: uuid.UUID, batch: DemoBatch, written_at: datetime
) -> None:
    plan: tuple[tuple[Table, Sequence[object], tuple[str, ...]], ...] = (
        (cast(Table, Customer.__table__), batch.customers, CUSTOMER_COLUMNS),
        (cast(Table, Order.__table__), batch.orders, ORDER_COLUMNS),
        (cast(Table, Shipment.__table__), batch.shipments, SHIPMENT_COLUMNS),
        (cast(Table, TrackingEvent.__table__), batch.events, EVENT_COLUMNS),
        (cast(Table, OrderInquiry.__table__), batch.inquiries, INQUIRY_COLUMNS),
    )
    for table, rows, columns in plan:
        extra = WRITTEN_AT_COLUMN.get(table.name)
        names = ("store_id", *columns, *((extra,) if extra else ()))
        await writer.write(
            table, names, _records(rows, columns, store_id, written_at if extra else None)
        )


def batch_contribution(
    batch: DemoBatch, into: rollups.Contribution | None = None
) -> rollups.Contribution:
    """The rollup counters of a batch: the sum of each row's contribution (added to `into`).

    The contribution functions only read attributes, and the demo rows carry every column
    they read under the model's names, so the rows stand in for ORM instances.
    """
    total = into if into is not None else rollups.Contribution()
    orders = {o.id: o for o in batch.orders}
    for o in batch.orders:
        total.merge(rollups.order_contribution(cast(Order, o)))
    for s in batch.shipments:
        rollups.shipment_contribution(
            cast(Shipment, s), cast(Order, orders[s.order_id]), into=total
        )
    for i in batch.inquiries:
        rollups.inquiry_contribution(cast(OrderInquiry, i), into=total)
    return total


# ---------------------------------------------------------------- loading a store


async def load_store_data(
    session: AsyncSession, store: Store, config: DemoConfig, progress: ProgressFn | None = None
) -> DemoSummary:
    """Generate and insert a store's demo data; the store must have no orders yet.

    `progress(done, total)` is called after each batch with planned order counts.
    """
    started = time.perf_counter()
    existing = await session.scalar(
        select(func.count()).select_from(Order).where(Order.store_id == store.id)
    )
    if existing:
        raise DemoDataExistsError(
            f"store {store.name!r} ({store.id}) already has {existing} orders; "
            "demo data is only loaded into a store without orders"
        )
    gen = StoreDataGenerator(config, store.timezone, store.currency)
    plan = gen.plan
    written_at = clock.now()
    if plan.now > written_at + FUTURE_TOLERANCE:
        raise ValueError(
            f"demo data up to {plan.now.isoformat()} would lie in the future "
            f"(the clock says {written_at.isoformat()})"
        )
    planned = dict(plan.daily_orders)
    total = plan.total_orders
    summary = DemoSummary(store.id, store.name, store.timezone, plan.start_date, plan.end_date)
    writer = await _BulkWriter.open(session)
    done = 0
    if progress is not None:
        progress(0, total)
    pending = rollups.Contribution()
    calendar = await business_hours.calendar_for(session, store)
    for batch in batches(gen, config.batch_orders):
        for inquiry in batch.inquiries:
            business_hours.stamp(cast(OrderInquiry, inquiry), calendar)
        await _write_batch(writer, store.id, batch, written_at)
        batch_contribution(batch, into=pending)
        if len(pending.daily) + len(pending.dims) + len(pending.hist) >= ROLLUP_FLUSH_KEYS:
            await rollups.apply(session, store.id, pending)
            pending = rollups.Contribution()
        summary.customers += len(batch.customers)
        summary.orders += len(batch.orders)
        summary.shipments += len(batch.shipments)
        summary.tracking_events += len(batch.events)
        summary.inquiries += len(batch.inquiries)
        done += sum(n for d, n in planned.items() if batch.first_date <= d <= batch.last_date)
        if progress is not None:
            progress(done, total)
    await rollups.apply(session, store.id, pending)
    summary.seconds = time.perf_counter() - started
    return summary


async def load_demo_into_store(
    session: AsyncSession,
    store_id: uuid.UUID,
    config: DemoConfig,
    progress: ProgressFn | None = None,
) -> DemoSummary:
    """`wismo demo --store ID`."""
    store = await session.get(Store, store_id)
    if store is None:
        raise NotFoundError(f"store {store_id} not found")
    return await load_store_data(session, store, config, progress)


# ---------------------------------------------------------------- the demo stores


def store_config(config: DemoConfig, spec: DemoStoreSpec) -> DemoConfig:
    """Each demo store gets its own seed (derived from the config's) and share of the volume."""
    digest = hashlib.sha256(f"{config.seed}:{spec.key}".encode()).digest()
    return replace(
        config,
        seed=int.from_bytes(digest[:6], "big"),
        orders_per_day=config.orders_per_day * spec.volume,
    )


async def create_demo(
    session: AsyncSession,
    config: DemoConfig,
    progress: ProgressFn | None = None,
    *,
    specs: Sequence[DemoStoreSpec] = DEMO_STORES,
) -> DemoResult:
    """Create the demo stores (with data), the demo user owning them and an API key per store.

    Re-runnable: a demo store that exists already (same domain) is left as it is, and the demo
    user is (re)attached to it with the demo password.
    """
    domains = [s.domain for s in specs]
    existing = {
        s.domain: s for s in await session.scalars(select(Store).where(Store.domain.in_(domains)))
    }
    configs = {s.key: store_config(config, s) for s in specs}
    totals = {
        s.key: make_plan(configs[s.key], s.timezone).total_orders
        for s in specs
        if s.domain not in existing
    }
    grand_total = sum(totals.values())
    offset = 0
    results: list[DemoStoreResult] = []
    for spec in specs:
        store = existing.get(spec.domain)
        if store is not None:
            await auth.create_user(session, DEMO_USER_EMAIL, DEMO_USER_PASSWORD, store.id, "owner")
            results.append(
                DemoStoreResult(
                    store.id,
                    store.name,
                    spec.domain,
                    store.timezone,
                    store.currency,
                    created=False,
                    api_key=None,
                    summary=None,
                    message="already exists, left as it is",
                )
            )
            continue
        store = await create_store(
            session,
            spec.name,
            spec.timezone,
            currency=spec.currency,
            domain=spec.domain,
            shopify_secret=secrets.token_urlsafe(24),
            tracking_secret=secrets.token_urlsafe(24),
        )
        await auth.create_user(session, DEMO_USER_EMAIL, DEMO_USER_PASSWORD, store.id, "owner")
        _, key = await auth.create_api_key(session, store.id, name="demo")
        if spec.business_hours:
            await business_hours.put_version(
                session,
                store,
                weekly=spec.business_hours,
                holidays=(),
                effective_from=make_plan(configs[spec.key], spec.timezone).start_date,
            )

        def store_progress(done: int, _total: int, base: int = offset) -> None:
            if progress is not None:
                progress(base + done, grand_total)

        summary = await load_store_data(session, store, configs[spec.key], store_progress)
        offset += totals[spec.key]
        results.append(
            DemoStoreResult(
                store.id,
                store.name,
                spec.domain,
                store.timezone,
                store.currency,
                created=True,
                api_key=key,
                summary=summary,
                message=(
                    f"{summary.orders} orders, {summary.shipments} shipments, "
                    f"{summary.inquiries} inquiries over {config.days} days"
                ),
            )
        )
    return DemoResult(DEMO_USER_EMAIL, DEMO_USER_PASSWORD, results)
