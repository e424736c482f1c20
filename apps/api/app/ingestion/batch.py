"""Many new orders, shipments or inquiries written at once (the CSV import's batches, the
Shopify history import's).

The same checks, field rules, order state, repeat linking and rollup contributions as one
write in `app.ingestion.service`, with a handful of statements per batch instead of several
per row: existing rows are looked up with one query per table, customers are created with one
INSERT, the new rows go in with one multi-row INSERT per table (`app.db.upsert.insert_rows`:
the rows are built by the shared functions, as ORM instances or for inquiries as plain rows,
then written as plain values, without the unit of work), and the batch's rollup change with
one `apply`.

A row the batch cannot write exactly as the one-row path would (it updates an existing order,
repeats an external id, names an unknown order, has a time the checks refuse...) is handed
back, and the caller writes it through the one-row path, which applies or reports it.
"""

import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from types import ModuleType, SimpleNamespace
from typing import Any, cast

from sqlalchemy import Table, inspect, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import AppError
from app.core.security import hash_email
from app.core.timeutils import ensure_not_future, utcnow
from app.db.scoping import for_store, in_chunks, rows_in
from app.db.upsert import insert_rows, update_rows
from app.ingestion import order_state, rollups
from app.ingestion import service as ingestion
from app.ingestion.schemas import (
    InquiryCreate,
    OrderUpsert,
    ShipmentCreate,
    TrackingEventCreate,
)
from app.models import Customer, Order, OrderInquiry, Shipment, Store, TrackingEvent
from app.stores import business_hours

# New inquiries are written with `insert_rows` and never enter the session: plain rows of their
# column values (what the shared functions read and set), without an ORM instance's tracking.
_plain_row = cast(Callable[..., OrderInquiry], SimpleNamespace)


@dataclass
class BatchResult:
    created: list[int] = field(default_factory=list)  # indexes of the items written
    one_by_one: list[int] = field(default_factory=list)  # indexes left to the one-row path
    rows: list[Any] = field(default_factory=list)  # the rows written, in `created`'s order


async def _plan_each_statement(session: AsyncSession) -> None:
    """PostgreSQL: until the transaction ends, plan each statement for its parameters. A batch
    runs the same lookups (IN lists of hundreds of values) and foreign-key checks many times
    on one connection, and after five runs PostgreSQL may keep a generic plan made for no
    values in particular: on tables without statistics yet (a first import) a sequential scan
    per row. Planning a statement costs far less than one such scan."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


async def _give_first_statistics(session: AsyncSession, table: Table) -> None:
    """PostgreSQL: ANALYZE a table the batch has just written to if it has no statistics yet
    (a new installation's first import; autovacuum would analyze it a minute later). Without
    them the planner cannot tell two indexes that start with store_id apart, and the foreign-key
    check of each row inserted into a table referencing this one (orders -> customers,
    inquiries -> orders, events -> shipments) may read all of the store's rows in its
    `(store_id, email_hash)` or `(store_id, order_number)` index instead of one in the primary
    key: the 2,000 orders of a batch took 0.6 s where they take 0.04 s."""
    if session.get_bind().dialect.name != "postgresql":
        return
    rows = await session.scalar(
        text("SELECT reltuples FROM pg_class WHERE oid = CAST(:name AS regclass)"),
        {"name": table.name},
    )
    if rows is not None and rows <= 0:  # -1: never analyzed (0 before PostgreSQL 14)
        await session.execute(text(f"ANALYZE {table.name}"))


def _values(row: Any, table: Table) -> dict[str, Any]:
    """The column values set on a new ORM instance (the others take their defaults)."""
    return {k: v for k, v in vars(row).items() if k in table.c}


async def _insert_new(session: AsyncSession, model: Any, rows: Sequence[Any]) -> None:
    """Write new instances, which stay out of the session (their ids are set already)."""
    table: Table = model.__table__
    await insert_rows(session, table, [_values(row, table) for row in rows])


async def customers_by_email(
    session: AsyncSession, store_id: uuid.UUID, wanted: Sequence[tuple[str, str | None]]
) -> dict[str, Customer]:
    """`get_or_create_customer` for many (email, name) pairs in file order: one read, one
    INSERT ... ON CONFLICT DO NOTHING for the new ones, and a later name wins as it would."""
    by_hash = {hash_email(email): email for email, _ in wanted}
    query = for_store(Customer, store_id)
    found = {c.email_hash: c for c in await rows_in(session, query, Customer.email_hash, by_hash)}
    first_name: dict[str, str | None] = {}
    for email, name in wanted:
        first_name.setdefault(hash_email(email), name)
    missing = [h for h in by_hash if h not in found]
    if missing:
        now = utcnow()
        await insert_rows(
            session,
            Customer.__table__,  # type: ignore[arg-type]
            [
                {
                    "store_id": store_id,
                    "id": uuid.uuid4(),
                    "email_hash": h,
                    "email": by_hash[h].strip().lower(),
                    "name": first_name[h],
                    "created_at": now,
                }
                for h in missing
            ],
            ignore_conflicts_on=["store_id", "email_hash"],
        )
        await _give_first_statistics(session, Customer.__table__)  # type: ignore[arg-type]
        for customer in await rows_in(session, query, Customer.email_hash, missing):
            found[customer.email_hash] = customer
    result: dict[str, Customer] = {}
    for email, name in wanted:
        customer = found[hash_email(email)]
        if name and customer.name != name:
            customer.name = name
        result[email] = customer
    return result


async def add_new_orders(
    session: AsyncSession, store: Store, items: Sequence[tuple[str, OrderUpsert]]
) -> BatchResult:
    """Create the orders whose number is new (and appears once in the batch)."""
    result = BatchResult()
    await _plan_each_statement(session)
    numbers = [number.strip().lstrip("#") for number, _ in items]
    seen = Counter(numbers)
    existing = set(
        await rows_in(
            session,
            select(Order.order_number).where(Order.store_id == store.id),
            Order.order_number,
            numbers,
        )
    )
    # An order whose external id has parked payloads waiting releases them: one row at a time.
    parked = await _parked(session, store.id, "order", [d.external_id for _, d in items])
    fresh: list[tuple[int, Any]] = []
    for index, (number, (_, data)) in enumerate(zip(numbers, items, strict=True)):
        # An update moves shipments' counters: the one-row path.
        simple = (
            number
            and seen[number] == 1
            and number not in existing
            and not (data.external_id and _parking().wait_key(data.external_id) in parked)
        )
        try:
            created_at = ingestion.check_order_times(data) if simple else None
        except AppError:
            created_at = None
        if created_at is None:
            result.one_by_one.append(index)
        else:
            fresh.append((index, created_at))
    # A customer that a one-row write also names must see the rows' names in file order.
    later_emails = {items[i][1].customer_email for i in result.one_by_one}
    kept = [(i, t) for i, t in fresh if items[i][1].customer_email not in later_emails]
    result.one_by_one.extend(i for i, _ in fresh if items[i][1].customer_email in later_emails)
    result.one_by_one.sort()
    emails = [
        (data.customer_email, data.customer_name)
        for _, data in (items[i] for i, _ in kept)
        if data.customer_email
    ]
    customers = await customers_by_email(session, store.id, emails)
    delta = rollups.Contribution()
    orders: list[Order] = []
    for index, created_at in kept:
        data = items[index][1]
        order = Order(
            id=uuid.uuid4(), store_id=store.id, order_number=numbers[index], status="open"
        )
        customer = customers[data.customer_email] if data.customer_email else None
        customer_id = customer.id if customer is not None else None
        ingestion.set_order_fields(order, store, data, created_at, customer_id)
        orders.append(order)
        result.created.append(index)
        result.rows.append(order)
    await session.flush()  # the customers renamed above, within the batch
    await _insert_new(session, Order, orders)
    await _give_first_statistics(session, Order.__table__)  # type: ignore[arg-type]
    for order in orders:
        delta.merge(rollups.order_contribution(order))
    await rollups.apply(session, store.id, delta)
    return result


def _parking() -> ModuleType:
    from app.integrations import parking  # parked payloads call back into the ingestion path

    return parking


async def _parked(
    session: AsyncSession, store_id: uuid.UUID, waits_for: str, keys: Iterable[str | None]
) -> set[str]:
    wanted = [k for k in keys if k]
    if not wanted:
        return set()
    found: set[str] = await _parking().waiting(session, store_id, waits_for, wanted)
    return found


@dataclass(frozen=True)
class NewShipment:
    """A shipment of an order with no shipment stored, and the tracking events it has."""

    order: Order
    data: ShipmentCreate
    events: Sequence[TrackingEventCreate] = ()


async def add_new_shipments(
    session: AsyncSession, store: Store, items: Sequence[NewShipment]
) -> BatchResult:
    """Create the shipments (and their events) of orders that have none stored yet, as
    `ingestion.add_shipment` and `add_tracking_event` would one after the other: the same
    checks, the first shipment of each order, the state derived from the events in turn.

    Handed back: a tracking number already stored or repeated in the batch, one with parked
    tracking payloads waiting for it, an order with stored shipments, a time the checks
    refuse."""
    result = BatchResult()
    if not items:
        return result
    await _plan_each_statement(session)
    keys = [(ingestion.normalise_carrier(i.data.carrier), i.data.tracking_number) for i in items]
    repeated = Counter(keys)
    numbers = list({number for _, number in keys})
    taken: set[tuple[str, str]] = set()
    for chunk in in_chunks(numbers):
        taken.update(
            (carrier, number)
            for carrier, number in await session.execute(
                select(Shipment.carrier, Shipment.tracking_number).where(
                    Shipment.store_id == store.id, Shipment.tracking_number.in_(chunk)
                )
            )
        )
    with_shipments = set(
        await rows_in(
            session,
            select(Shipment.order_id).where(Shipment.store_id == store.id),
            Shipment.order_id,
            [i.order.id for i in items],
        )
    )
    parked = await _parked(session, store.id, "shipment", numbers)
    wait_key = _parking().wait_key
    accepted: list[tuple[int, Any, list[Any]]] = []
    for index, (item, key) in enumerate(zip(items, keys, strict=True)):
        if (
            repeated[key] > 1
            or key in taken
            or item.order.id in with_shipments
            or wait_key(item.data.tracking_number) in parked
        ):
            result.one_by_one.append(index)
            continue
        try:
            shipped_at = ensure_not_future(item.data.shipped_at, "shippedAt")
            ingestion.check_shipped_after_order(item.order, shipped_at)
            occurred = [ingestion.check_event_time(shipped_at, e) for e in item.events]
        except AppError:
            result.one_by_one.append(index)
            continue
        accepted.append((index, shipped_at, occurred))

    # The first shipment of an order: the earliest, the earlier-written one on a tie.
    first: dict[uuid.UUID, tuple[Any, int]] = {}
    for index, shipped_at, _ in accepted:
        order_id = items[index].order.id
        if order_id not in first or shipped_at < first[order_id][0]:
            first[order_id] = (shipped_at, index)
    shipments: list[Shipment] = []
    events: list[TrackingEvent] = []
    for index, shipped_at, occurred in accepted:
        item = items[index]
        data = item.data
        shipment = ingestion.shipment_row(
            store,
            item.order.id,
            data,
            keys[index][0],
            shipped_at,
            is_first_for_order=first[item.order.id][1] == index,
        )
        known: list[TrackingEvent] = []
        for event_data, occurred_at in zip(item.events, occurred, strict=True):
            event_id = event_data.event_id or ingestion.derived_event_id(event_data)
            if any(e.provider_event_id == event_id for e in known):
                continue  # a repeated event adds nothing
            row = ingestion.event_row(store, shipment, event_data, occurred_at, event_id)
            ingestion.record_event(shipment, store, known, row, event_data)
            known.append(row)
        shipments.append(shipment)
        events.extend(known)
        result.created.append(index)
        result.rows.append(shipment)
    await _insert_new(session, Shipment, shipments)
    await _give_first_statistics(session, Shipment.__table__)  # type: ignore[arg-type]
    await _insert_new(session, TrackingEvent, events)
    delta = rollups.Contribution()
    for index, shipment in zip(result.created, shipments, strict=True):
        rollups.shipment_contribution(shipment, items[index].order, into=delta)
    await rollups.apply(session, store.id, delta)
    return result


def _subject(inquiry: OrderInquiry) -> tuple[str, uuid.UUID] | None:
    if inquiry.order_id is not None:
        return ("order", inquiry.order_id)
    if inquiry.customer_id is not None:
        return ("customer", inquiry.customer_id)
    return None


async def add_new_inquiries(
    session: AsyncSession, store: Store, items: Sequence[InquiryCreate]
) -> BatchResult:
    """Record the inquiries whose external id is new, in file order."""
    result = BatchResult()
    external = Counter(d.external_id for d in items if d.external_id)
    if any(n > 1 for n in external.values()):
        # A retry within the batch: the one-row path keeps the first and answers the rest.
        result.one_by_one = list(range(len(items)))
        return result
    await _plan_each_statement(session)
    known = set(
        await rows_in(
            session,
            select(OrderInquiry.external_id).where(OrderInquiry.store_id == store.id),
            OrderInquiry.external_id,
            external,
        )
    )
    numbers = {d.order_number.strip().lstrip("#") for d in items if d.order_number}
    # Plain rows of the orders' columns (what the order state and the new rows read).
    order_rows = select(*Order.__table__.c).where(Order.store_id == store.id)
    orders: dict[str, Order] = {
        row.order_number: cast(Order, row)
        for row in await rows_in(session, order_rows, Order.order_number, numbers, plain=True)
    }
    accepted: list[tuple[int, Any, Order | None]] = []
    for index, data in enumerate(items):
        order = orders.get(data.order_number.strip().lstrip("#")) if data.order_number else None
        try:
            times = ingestion.check_inquiry_times(data)
        except AppError:
            times = None
        if times is None or data.external_id in known or (data.order_number and order is None):
            result.one_by_one.append(index)
        else:
            accepted.append((index, times, order))

    emails = [items[i].customer_email for i, _, _ in accepted]
    customers = await customers_by_email(session, store.id, [(e, None) for e in emails if e])
    states = await _states_at(
        session, store.id, [(order, times[0]) for _, times, order in accepted if order]
    )
    new: list[OrderInquiry] = []
    for index, times, order in accepted:
        data = items[index]
        customer_id = order.customer_id if order else None
        if data.customer_email:
            customer_id = customers[data.customer_email].id
        state = states[(order.id, times[0])] if order else (None, None, None)
        new.append(
            ingestion.new_inquiry(store, data, times, order, customer_id, state, row=_plain_row)
        )
        result.created.append(index)
        result.rows.append(new[-1])

    await business_hours.stamp_all(session, store, new)
    delta = await _link_all_repeats(session, store.id, new)
    await _insert_new(session, OrderInquiry, new)
    for inquiry in new:
        rollups.inquiry_contribution(inquiry, into=delta)
    await rollups.apply(session, store.id, delta)
    return result


async def _states_at(
    session: AsyncSession, store_id: uuid.UUID, wanted: Sequence[tuple[Order, Any]]
) -> dict[tuple[uuid.UUID, Any], tuple[str, str | None, str | None]]:
    """`ingestion.order_context_at` for many (order, moment) pairs, with two queries."""
    open_orders = [o.id for o, at in wanted if order_state.closed_state(o, at) is None]
    shipments: defaultdict[uuid.UUID, list[Shipment]] = defaultdict(list)
    for shipment in await rows_in(
        session, for_store(Shipment, store_id), Shipment.order_id, open_orders
    ):
        shipments[shipment.order_id].append(shipment)
    # Plain rows of the columns the order state reads (there are several events per shipment).
    events: defaultdict[uuid.UUID, list[Any]] = defaultdict(list)
    shipment_ids = [s.id for group in shipments.values() for s in group]
    event_columns = select(
        TrackingEvent.shipment_id,
        TrackingEvent.occurred_at,
        TrackingEvent.status,
        TrackingEvent.subtag,
    ).where(TrackingEvent.store_id == store_id)
    for chunk in in_chunks(shipment_ids):
        for event in await session.execute(
            event_columns.where(TrackingEvent.shipment_id.in_(chunk))
        ):
            events[event.shipment_id].append(event)
    states: dict[tuple[uuid.UUID, Any], tuple[str, str | None, str | None]] = {}
    for order, at in wanted:
        shipped = [s for s in shipments.get(order.id, ()) if s.shipped_at <= at]
        latest = max(shipped, key=lambda s: (s.shipped_at, s.id), default=None)
        found = events[latest.id] if latest is not None else []
        status, carrier = order_state.order_state(order, latest, found, at)
        states[(order.id, at)] = (status, carrier, order_state.exception_cause(status, found, at))
    return states


async def _link_all_repeats(
    session: AsyncSession, store_id: uuid.UUID, new: Sequence[OrderInquiry]
) -> rollups.Contribution:
    """`ingestion._link_repeats` for new inquiries taken in order: each is linked with the
    stored inquiries on its subject and with the batch's earlier ones."""
    delta = rollups.Contribution()
    subjects = {s for s in map(_subject, new) if s is not None}
    if not subjects:
        return delta
    earliest = min(i.created_at for i in new) - ingestion.REPEAT_WINDOW
    latest = max(i.created_at for i in new) + ingestion.REPEAT_WINDOW
    window = for_store(OrderInquiry, store_id).where(
        OrderInquiry.created_at >= earliest, OrderInquiry.created_at <= latest
    )
    by_subject: defaultdict[tuple[str, uuid.UUID], list[OrderInquiry]] = defaultdict(list)
    order_ids = [key for kind, key in subjects if kind == "order"]
    customer_ids = [key for kind, key in subjects if kind == "customer"]
    without_order = window.where(OrderInquiry.order_id.is_(None))
    lookups: list[tuple[Any, Any, list[uuid.UUID]]] = [
        (window, OrderInquiry.order_id, order_ids),
        (without_order, OrderInquiry.customer_id, customer_ids),
    ]
    stored_rows: list[OrderInquiry] = []
    for stmt, column, keys in lookups:
        for stored in await rows_in(session, stmt.with_for_update(), column, keys):
            subject = _subject(stored)
            if subject is not None:
                by_subject[subject].append(stored)
                stored_rows.append(stored)
    fresh = {id(i) for i in new}
    for inquiry in new:
        subject = _subject(inquiry)
        if subject is None:
            continue
        t = inquiry.created_at
        neighbours = [
            other
            for other in by_subject[subject]
            if t - ingestion.REPEAT_WINDOW <= other.created_at <= t + ingestion.REPEAT_WINDOW
        ]
        delta.merge(
            ingestion.link_repeats(inquiry, neighbours, counted=lambda o: id(o) not in fresh)
        )
        by_subject[subject].append(inquiry)
    # The stored inquiries now repeated or followed up: one UPDATE, and out of the session
    # (a later read loads them as written).
    changed = [i for i in stored_rows if inspect(i).modified]
    flags = [
        {"store_id": i.store_id, "id": i.id, "is_repeat": i.is_repeat, "followed_up": i.followed_up}
        for i in changed
    ]
    for stored in changed:
        session.expunge(stored)
    await update_rows(session, OrderInquiry.__table__, ("store_id", "id"), flags)  # type: ignore[arg-type]
    return delta
