"""Writes of orders, shipments, tracking events and inquiries, each keeping the rollups exact.

Every write is idempotent where a sender may retry: orders upsert on their number, shipments
on (carrier, tracking number), events on their provider id, inquiries on the helpdesk's id.
"""

import hashlib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import ConflictError, NotFoundError, ValidationError
from app.core.timeutils import ensure_not_future, local_date, local_parts, utcnow
from app.core.vocab import CARRIER_SCAN_STATUSES, EXCEPTION_STATUSES
from app.db.scoping import for_store, get_scoped
from app.ingestion import order_state, rollups
from app.ingestion.customers import get_or_create_customer
from app.ingestion.rollups import (
    inquiry_contribution,
    order_contribution,
    seconds_between,
    shipment_contribution,
)
from app.ingestion.schemas import (
    InquiryCreate,
    InquiryUpdate,
    InquiryUpsert,
    OrderUpsert,
    ShipmentCreate,
    TrackingEventCreate,
)
from app.models import Order, OrderInquiry, Shipment, Store, TrackingEvent
from app.stores import business_hours

REPEAT_WINDOW = timedelta(days=7)


# ---------------------------------------------------------------- orders


async def get_order(session: AsyncSession, store_id: uuid.UUID, order_number: str) -> Order:
    return await get_scoped(
        session, Order, store_id, Order.order_number == order_number, what="order"
    )


async def find_order(session: AsyncSession, store_id: uuid.UUID, order_number: str) -> Order | None:
    return (
        await session.scalars(for_store(Order, store_id).where(Order.order_number == order_number))
    ).first()


async def upsert_order(
    session: AsyncSession, store: Store, order_number: str, data: OrderUpsert
) -> tuple[Order, bool]:
    """Create or update an order; returns (order, created)."""
    order_number = order_number.strip().lstrip("#")
    if not order_number:
        raise ValidationError("order number is empty")
    created_at = check_order_times(data)
    customer_id = None
    if data.customer_email:
        customer = await get_or_create_customer(
            session, store.id, data.customer_email, data.customer_name
        )
        customer_id = customer.id

    order = (
        await session.scalars(
            for_store(Order, store.id).where(Order.order_number == order_number).with_for_update()
        )
    ).first()
    if (
        order is not None
        and data.external_id is not None
        and order.external_id is not None
        and order.external_id != data.external_id
    ):
        # The same number from another source order (a second shop, a renumbered export):
        # overwriting would merge two customers' orders into one.
        raise ConflictError(
            f"order {order_number} already exists with external id {order.external_id}; "
            f"this one has external id {data.external_id}"
        )
    created = order is None
    shipments: list[Shipment] = []
    before = rollups.Contribution()
    if order is None:
        order = Order(store_id=store.id, order_number=order_number, status="open")
        session.add(order)
    else:
        # The order's time and promised date feed its shipments' counters too.
        shipments = await _order_shipments(session, order)
        before.merge(order_contribution(order))
        for shipment in shipments:
            before.merge(shipment_contribution(shipment, order))
    set_order_fields(order, store, data, created_at, customer_id)
    await session.flush()
    after = order_contribution(order)
    for shipment in shipments:
        after.merge(shipment_contribution(shipment, order))
    await rollups.apply(session, store.id, before.delta_to(after))
    if order.external_id:
        from app.integrations import parking  # parked payloads call back into here

        await parking.release_for_order(session, store, order)
    return order, created


def check_order_times(data: OrderUpsert) -> datetime:
    """The order's creation time, after refusing any of its times that lies in the future."""
    created_at = ensure_not_future(data.created_at, "createdAt")
    if data.cancelled_at is not None:
        ensure_not_future(data.cancelled_at, "cancelledAt")
    if data.refunded_at is not None:
        ensure_not_future(data.refunded_at, "refundedAt")
    return created_at


def set_order_fields(
    order: Order,
    store: Store,
    data: OrderUpsert,
    created_at: datetime,
    customer_id: uuid.UUID | None,
) -> None:
    order.created_at = created_at
    order.local_date = local_date(created_at, store.timezone)
    if customer_id is not None:
        order.customer_id = customer_id
    for field in (
        "status",
        "financial_status",
        "fulfillment_status",
        "total",
        "currency",
        "shipping_postcode",
        "promised_delivery_date",
        "cancelled_at",
        "refunded_at",
        "external_id",
    ):
        value = getattr(data, field)
        if value is not None:
            setattr(order, field, value)
    if data.cancelled_at is not None and data.status is None:
        order.status = "cancelled"


async def _order_shipments(session: AsyncSession, order: Order) -> list[Shipment]:
    return list(
        await session.scalars(
            for_store(Shipment, order.store_id)
            .where(Shipment.order_id == order.id)
            .order_by(Shipment.shipped_at, Shipment.id)
        )
    )


# ---------------------------------------------------------------- shipments


async def add_shipment(
    session: AsyncSession, store: Store, order: Order, data: ShipmentCreate
) -> tuple[Shipment, bool]:
    """Create a shipment, or return the existing one with the same carrier and tracking number."""
    shipped_at = ensure_not_future(data.shipped_at, "shippedAt")
    carrier = normalise_carrier(data.carrier)
    existing = (
        await session.scalars(
            for_store(Shipment, store.id).where(
                Shipment.carrier == carrier, Shipment.tracking_number == data.tracking_number
            )
        )
    ).first()
    if existing is not None:
        if existing.order_id != order.id:
            raise ConflictError(
                f"tracking number {data.tracking_number} already belongs to another order"
            )
        if data.estimated_delivery and existing.estimated_delivery != data.estimated_delivery:
            await update_estimate(session, existing, order, data.estimated_delivery)
        return existing, False
    check_shipped_after_order(order, shipped_at)

    siblings = await _order_shipments(session, order)
    first = all(shipped_at < s.shipped_at for s in siblings)
    shipment = shipment_row(store, order.id, data, carrier, shipped_at, first)
    session.add(shipment)
    await session.flush()
    delta = shipment_contribution(shipment, order)
    if shipment.is_first_for_order:
        for sibling in siblings:
            if sibling.is_first_for_order:
                delta.merge(shipment_contribution(sibling, order), sign=-1)
                sibling.is_first_for_order = False
                delta.merge(shipment_contribution(sibling, order))
    await rollups.apply(session, store.id, delta)
    from app.integrations import parking  # parked payloads call back into here

    await parking.release_for_shipment(session, store, shipment)
    return shipment, True


def check_shipped_after_order(order: Order, shipped_at: datetime) -> None:
    if shipped_at < order.created_at:
        raise ValidationError("shippedAt is before the order was created")


async def remove_shipments_of_fulfillment(
    session: AsyncSession, store: Store, order: Order, external_id: str
) -> int:
    """Remove the shipments a source created under `external_id` (a fulfillment that was
    cancelled or failed after all); the rollups move back. Returns how many."""
    shipments = await _order_shipments(session, order)
    doomed = [s for s in shipments if s.external_id == external_id]
    for shipment in doomed:
        await rollups.apply_change(session, store.id, shipment_contribution(shipment, order), None)
        await session.execute(
            delete(TrackingEvent).where(
                TrackingEvent.store_id == store.id, TrackingEvent.shipment_id == shipment.id
            )
        )
        await session.delete(shipment)
    remaining = [s for s in shipments if s not in doomed]
    if doomed and remaining and not any(s.is_first_for_order for s in remaining):
        first = remaining[0]  # _order_shipments orders by shipped_at
        before = shipment_contribution(first, order)
        first.is_first_for_order = True
        await rollups.apply_change(session, store.id, before, shipment_contribution(first, order))
    await session.flush()
    return len(doomed)


async def update_estimate(
    session: AsyncSession, shipment: Shipment, order: Order, estimate: object
) -> None:
    before = shipment_contribution(shipment, order)
    shipment.estimated_delivery = estimate  # type: ignore[assignment]
    if shipment.original_estimated_delivery is None:
        shipment.original_estimated_delivery = estimate  # type: ignore[assignment]
    await rollups.apply_change(
        session, order.store_id, before, shipment_contribution(shipment, order)
    )


def normalise_carrier(name: str) -> str:
    cleaned = " ".join(name.strip().split())
    aliases = {"ups": "UPS", "usps": "USPS", "fedex": "FedEx", "dhl": "DHL", "dhl express": "DHL"}
    return aliases.get(cleaned.lower(), cleaned)


async def get_shipment(
    session: AsyncSession, store_id: uuid.UUID, shipment_id: uuid.UUID
) -> Shipment:
    return await get_scoped(
        session, Shipment, store_id, Shipment.id == shipment_id, what="shipment"
    )


# ---------------------------------------------------------------- tracking events


@dataclass
class EventResult:
    event: TrackingEvent
    created: bool


def derived_event_id(data: TrackingEventCreate) -> str:
    parts = (
        data.occurred_at.isoformat(),
        data.status,
        data.subtag,
        data.description,
        data.location,
    )
    raw = "|".join(str(p) for p in parts)
    return "h:" + hashlib.sha256(raw.encode()).hexdigest()[:40]


async def add_tracking_event(
    session: AsyncSession, store: Store, shipment: Shipment, data: TrackingEventCreate
) -> EventResult:
    """Store a carrier event and re-derive the shipment's state from all of its events.

    Events arrive in any order and repeat; deriving from the whole set (a handful of rows)
    means a late or repeated event can never leave `status` and `delivered_at` disagreeing.
    """
    occurred_at = check_event_time(shipment.shipped_at, data)
    event_id = data.event_id or derived_event_id(data)
    known = list(
        await session.scalars(
            for_store(TrackingEvent, store.id).where(TrackingEvent.shipment_id == shipment.id)
        )
    )
    existing = next((e for e in known if e.provider_event_id == event_id), None)
    if existing is not None:
        return EventResult(existing, created=False)

    event = event_row(store, shipment, data, occurred_at, event_id)
    session.add(event)
    order = await get_scoped(session, Order, store.id, Order.id == shipment.order_id, what="order")
    before = shipment_contribution(shipment, order)
    record_event(shipment, store, known, event, data)
    await session.flush()
    await rollups.apply_change(session, store.id, before, shipment_contribution(shipment, order))
    return EventResult(event, created=True)


def check_event_time(shipped_at: datetime, data: TrackingEventCreate) -> datetime:
    """The event's time, after refusing one in the future or a delivery before shipping."""
    occurred_at = ensure_not_future(data.occurred_at, "occurredAt")
    if data.status == "delivered" and occurred_at < shipped_at:
        raise ValidationError(
            "a delivery scan dated before the shipment was shipped "
            f"({occurred_at.isoformat()} < {shipped_at.isoformat()})"
        )
    return occurred_at


def shipment_row(
    store: Store,
    order_id: uuid.UUID,
    data: ShipmentCreate,
    carrier: str,
    shipped_at: datetime,
    is_first_for_order: bool,
) -> Shipment:
    """A new shipment row (its shipping time already checked), before any tracking event."""
    return Shipment(
        store_id=store.id,
        id=uuid.uuid4(),
        order_id=order_id,
        external_id=data.external_id,
        carrier=carrier,
        tracking_number=data.tracking_number,
        status="pending",
        shipped_at=shipped_at,
        shipped_local_date=local_date(shipped_at, store.timezone),
        original_estimated_delivery=data.estimated_delivery,
        estimated_delivery=data.estimated_delivery,
        had_exception=False,
        is_first_for_order=is_first_for_order,
    )


def event_row(
    store: Store,
    shipment: Shipment,
    data: TrackingEventCreate,
    occurred_at: datetime,
    event_id: str,
) -> TrackingEvent:
    """The tracking-event row of `data` (its time already checked), not yet recorded."""
    return TrackingEvent(
        store_id=store.id,
        shipment_id=shipment.id,
        occurred_at=occurred_at,
        status=data.status,
        subtag=data.subtag,
        description=data.description,
        location=data.location,
        provider_event_id=event_id,
    )


def record_event(
    shipment: Shipment,
    store: Store,
    known: list[TrackingEvent],
    event: TrackingEvent,
    data: TrackingEventCreate,
) -> None:
    """The shipment's state with a new event added to its `known` ones (no I/O)."""
    occurred_at = event.occurred_at
    is_latest = _is_latest(shipment, occurred_at)

    if data.status in CARRIER_SCAN_STATUSES and (
        shipment.first_scan_at is None or occurred_at < shipment.first_scan_at
    ):
        shipment.first_scan_at = max(occurred_at, shipment.shipped_at)
    if data.status in EXCEPTION_STATUSES:
        shipment.had_exception = True
        if shipment.exception_reason is None or is_latest:
            shipment.exception_reason = exception_reason(data)
    if data.estimated_delivery is not None and is_latest:
        shipment.estimated_delivery = data.estimated_delivery
        if shipment.original_estimated_delivery is None:
            shipment.original_estimated_delivery = data.estimated_delivery
    events = [*known, event]
    shipment.status = order_state.shipment_status(events)
    shipment.last_event_at = max(e.occurred_at for e in events)
    shipment.delivered_at = order_state.delivered_at(events)
    shipment.delivered_local_date = (
        local_date(shipment.delivered_at, store.timezone) if shipment.delivered_at else None
    )


def _is_latest(shipment: Shipment, occurred_at: datetime) -> bool:
    return shipment.last_event_at is None or occurred_at >= shipment.last_event_at


def exception_reason(data: TrackingEventCreate) -> str:
    if data.status == "failed_attempt":
        return data.subtag or "failed_attempt"
    return data.subtag or "exception"


# ---------------------------------------------------------------- inquiries


async def order_status_at(
    session: AsyncSession, order: Order, at: datetime | None = None
) -> tuple[str, str | None]:
    """The order's status (DESIGN 4) and its latest shipment's carrier at `at` (None: now)."""
    status, carrier, _ = await order_context_at(session, order, at)
    return status, carrier


async def order_context_at(
    session: AsyncSession, order: Order, at: datetime | None = None
) -> tuple[str, str | None, str | None]:
    """`order_status_at` and, when that status is `exception`, its cause."""
    if order_state.closed_state(order, at) is not None:
        return (*order_state.order_state(order, None, [], at), None)
    latest = for_store(Shipment, order.store_id).where(Shipment.order_id == order.id)
    if at is not None:
        latest = latest.where(Shipment.shipped_at <= at)
    latest_id = (
        latest.with_only_columns(Shipment.id)
        .order_by(Shipment.shipped_at.desc(), Shipment.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    # The latest shipment and its events in one round trip.
    rows = await session.execute(
        for_store(Shipment, order.store_id)
        .add_columns(TrackingEvent)
        .outerjoin(
            TrackingEvent,
            and_(
                TrackingEvent.store_id == Shipment.store_id,
                TrackingEvent.shipment_id == Shipment.id,
            ),
        )
        .where(Shipment.id == latest_id)
    )
    shipment: Shipment | None = None
    events: list[TrackingEvent] = []
    for found, event in rows:
        shipment = found
        if event is not None:
            events.append(event)
    status, carrier = order_state.order_state(order, shipment, events, at)
    return status, carrier, order_state.exception_cause(status, events, at)


async def record_inquiry(
    session: AsyncSession,
    store: Store,
    data: InquiryCreate,
    *,
    conversation_id: uuid.UUID | None = None,
) -> tuple[OrderInquiry, bool]:
    """Record an inquiry (helpdesk, backfill or chat); returns (inquiry, created)."""
    if data.external_id:
        existing = (
            await session.scalars(
                for_store(OrderInquiry, store.id).where(
                    OrderInquiry.external_id == data.external_id
                )
            )
        ).first()
        if existing is not None:
            return existing, False
    created_at, resolved_at, first_response_at = check_inquiry_times(data)
    order = None
    if data.order_number:
        order = await get_order(session, store.id, data.order_number.strip().lstrip("#"))
    customer_id = order.customer_id if order else None
    if data.customer_email:
        customer_id = (await get_or_create_customer(session, store.id, data.customer_email)).id

    state: tuple[str | None, str | None, str | None] = (None, None, None)
    if order is not None:
        state = await order_context_at(session, order, created_at)
    inquiry = new_inquiry(
        store,
        data,
        (created_at, resolved_at, first_response_at),
        order,
        customer_id,
        state,
        conversation_id,
    )
    await business_hours.stamp_all(session, store, [inquiry])
    neighbours_delta = await _link_repeats(session, inquiry)
    session.add(inquiry)
    await session.flush()
    await rollups.apply(session, store.id, neighbours_delta.merge(inquiry_contribution(inquiry)))
    return inquiry, True


def check_inquiry_times(data: InquiryCreate) -> tuple[datetime, datetime | None, datetime | None]:
    """(created, resolved, first response), after refusing times that cannot be."""
    created_at = ensure_not_future(data.created_at or utcnow(), "createdAt")
    resolved_at = ensure_not_future(data.resolved_at, "resolvedAt") if data.resolved_at else None
    first_response_at = (
        ensure_not_future(data.first_response_at, "firstResponseAt")
        if data.first_response_at
        else None
    )
    if resolved_at is not None and resolved_at < created_at:
        raise ValidationError("resolvedAt is before createdAt")
    if first_response_at is not None and first_response_at < created_at:
        raise ValidationError("firstResponseAt is before createdAt")
    if data.rating is not None and resolved_at is None:
        raise ValidationError("a rating needs resolvedAt: customers rate resolved inquiries")
    return created_at, resolved_at, first_response_at


def new_inquiry(
    store: Store,
    data: InquiryCreate,
    times: tuple[datetime, datetime | None, datetime | None],
    order: Order | None,
    customer_id: uuid.UUID | None,
    state: tuple[str | None, str | None, str | None],
    conversation_id: uuid.UUID | None = None,
    *,
    row: Callable[..., OrderInquiry] = OrderInquiry,
) -> OrderInquiry:
    """The inquiry row, not yet linked to its repeats nor added to the session (`row` makes it
    from the column values: an ORM instance, or for the batch writer a plain row)."""
    created_at, resolved_at, first_response_at = times
    order_status, carrier, cause = state
    day, hour, weekday = local_parts(created_at, store.timezone)
    return row(
        id=uuid.uuid4(),
        store_id=store.id,
        conversation_id=conversation_id,
        order_id=order.id if order else None,
        order_number=order.order_number if order else None,
        customer_id=customer_id,
        external_id=data.external_id,
        inquiry_type=data.inquiry_type,
        order_status=order_status,
        channel=data.channel,
        carrier=carrier,
        exception_reason=cause,
        created_at=created_at,
        local_date=day,
        local_hour=hour,
        local_weekday=weekday,
        is_repeat=False,
        followed_up=False,
        first_response_at=first_response_at,
        resolved=resolved_at is not None,
        resolved_at=resolved_at,
        resolution_seconds=seconds_between(created_at, resolved_at) if resolved_at else None,
        escalated=data.escalated,
        satisfaction_rating=data.rating,
        customer_satisfied=(data.rating >= 4) if data.rating is not None else None,
        effort_score=data.effort_score,
        feedback_text=data.feedback,
    )


def _same_subject(inquiry: OrderInquiry) -> object | None:
    if inquiry.order_id is not None:
        return OrderInquiry.order_id == inquiry.order_id
    if inquiry.customer_id is not None:
        return and_(
            OrderInquiry.order_id.is_(None), OrderInquiry.customer_id == inquiry.customer_id
        )
    return None


async def _link_repeats(session: AsyncSession, inquiry: OrderInquiry) -> rollups.Contribution:
    """Mark the new inquiry as a repeat, and neighbours within 7 days as repeated/followed up;
    returns the neighbours' rollup change (applied with the new inquiry's, in one write)."""
    subject = _same_subject(inquiry)
    if subject is None:
        return rollups.Contribution()
    t = inquiry.created_at
    return link_repeats(
        inquiry,
        await session.scalars(
            for_store(OrderInquiry, inquiry.store_id)
            .where(
                subject,  # type: ignore[arg-type]
                OrderInquiry.created_at >= t - REPEAT_WINDOW,
                OrderInquiry.created_at <= t + REPEAT_WINDOW,
                OrderInquiry.id != inquiry.id,
            )
            .with_for_update()
        ),
    )


def link_repeats(
    inquiry: OrderInquiry,
    neighbours: Iterable[OrderInquiry],
    counted: Callable[[OrderInquiry], bool] = lambda _: True,
) -> rollups.Contribution:
    """Link a new inquiry with the inquiries on its subject within 7 days of it; returns the
    rollup change of the neighbours that are `counted` (already in the rollups)."""
    delta = rollups.Contribution()
    t = inquiry.created_at
    for other in neighbours:
        if other.created_at <= t:  # earlier (ties count as earlier: they were recorded first)
            inquiry.is_repeat = True
            if not other.followed_up:
                _change(delta, other, "followed_up", counted(other))
        else:
            inquiry.followed_up = True
            if not other.is_repeat:
                _change(delta, other, "is_repeat", counted(other))
    return delta


def _change(delta: rollups.Contribution, inquiry: OrderInquiry, flag: str, counted: bool) -> None:
    if counted:
        delta.merge(inquiry_contribution(inquiry), sign=-1)
    setattr(inquiry, flag, True)
    if counted:
        delta.merge(inquiry_contribution(inquiry))


async def get_inquiry(
    session: AsyncSession, store_id: uuid.UUID, inquiry_id: uuid.UUID, *, for_update: bool = False
) -> OrderInquiry:
    stmt = for_store(OrderInquiry, store_id).where(OrderInquiry.id == inquiry_id)
    if for_update:
        stmt = stmt.with_for_update()
    inquiry = (await session.scalars(stmt)).first()
    if inquiry is None:
        raise NotFoundError("inquiry not found")
    return inquiry


async def update_inquiry(
    session: AsyncSession,
    inquiry: OrderInquiry,
    *,
    resolved_at: datetime | None = None,
    first_response_at: datetime | None = None,
    escalated: bool | None = None,
    rating: int | None = None,
    effort_score: int | None = None,
    feedback: str | None = None,
) -> OrderInquiry:
    """Change an inquiry's outcome; the rollups move by the difference."""
    before = inquiry_contribution(inquiry)
    if resolved_at is not None and not inquiry.resolved:
        resolved_at = ensure_not_future(resolved_at, "resolvedAt")
        if resolved_at < inquiry.created_at:
            raise ValidationError("resolvedAt is before the inquiry was created")
        inquiry.resolved = True
        inquiry.resolved_at = resolved_at
        inquiry.resolution_seconds = seconds_between(inquiry.created_at, resolved_at)
    if first_response_at is not None and inquiry.first_response_at is None:
        if first_response_at < inquiry.created_at:
            raise ValidationError("firstResponseAt is before the inquiry was created")
        inquiry.first_response_at = first_response_at
    if escalated:
        inquiry.escalated = True
    if rating is not None:
        inquiry.satisfaction_rating = rating
        inquiry.customer_satisfied = rating >= 4
    if effort_score is not None:
        inquiry.effort_score = effort_score
    if feedback is not None:
        inquiry.feedback_text = feedback
    await _restamp(session, inquiry)
    await session.flush()
    await rollups.apply_change(session, inquiry.store_id, before, inquiry_contribution(inquiry))
    return inquiry


async def amend_inquiry(
    session: AsyncSession, inquiry: OrderInquiry, changes: InquiryUpdate
) -> OrderInquiry:
    """Set a later outcome (PATCH semantics: fields left out stay); the rollups move from the
    old values to the new ones, so sending the same change again changes nothing."""
    before = inquiry_contribution(inquiry)
    if changes.resolved_at is not None:
        resolved_at = ensure_not_future(changes.resolved_at, "resolvedAt")
        if resolved_at < inquiry.created_at:
            raise ValidationError("resolvedAt is before the inquiry was created")
        inquiry.resolved = True
        inquiry.resolved_at = resolved_at
        inquiry.resolution_seconds = seconds_between(inquiry.created_at, resolved_at)
    if changes.first_response_at is not None:
        first_response_at = ensure_not_future(changes.first_response_at, "firstResponseAt")
        if first_response_at < inquiry.created_at:
            raise ValidationError("firstResponseAt is before the inquiry was created")
        inquiry.first_response_at = first_response_at
    if changes.escalated is not None:
        inquiry.escalated = changes.escalated
    if changes.rating is not None:
        if not inquiry.resolved:
            raise ValidationError("a rating needs resolvedAt: customers rate resolved inquiries")
        inquiry.satisfaction_rating = changes.rating
        inquiry.customer_satisfied = changes.rating >= 4
    if changes.effort_score is not None:
        inquiry.effort_score = changes.effort_score
    if changes.feedback is not None:
        inquiry.feedback_text = changes.feedback
    await _restamp(session, inquiry)
    await session.flush()
    await rollups.apply_change(session, inquiry.store_id, before, inquiry_contribution(inquiry))
    return inquiry


async def _restamp(session: AsyncSession, inquiry: OrderInquiry) -> None:
    store = await session.get(Store, inquiry.store_id)  # the request's store: no query
    assert store is not None
    await business_hours.stamp_all(session, store, [inquiry])


async def find_inquiry_by_external_id(
    session: AsyncSession, store_id: uuid.UUID, external_id: str, *, for_update: bool = False
) -> OrderInquiry | None:
    stmt = for_store(OrderInquiry, store_id).where(OrderInquiry.external_id == external_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt)).first()


async def upsert_inquiry_by_external_id(
    session: AsyncSession, store: Store, external_id: str, data: InquiryUpsert
) -> tuple[OrderInquiry, bool]:
    """Create the inquiry a helpdesk knows as `external_id`, or set its later outcome (its
    order, time, channel and type stay as first recorded). Returns (inquiry, created)."""
    existing = await find_inquiry_by_external_id(session, store.id, external_id, for_update=True)
    if existing is not None:
        changes = InquiryUpdate.model_validate(
            data.model_dump(include=set(InquiryUpdate.model_fields))
        )
        return await amend_inquiry(session, existing, changes), False
    create = InquiryCreate(
        order_number=data.order_number,
        customer_email=data.customer_email,
        inquiry_type=data.inquiry_type,
        channel=data.channel,
        created_at=data.created_at,
        first_response_at=data.first_response_at,
        resolved_at=data.resolved_at,
        escalated=bool(data.escalated),
        rating=data.rating,
        effort_score=data.effort_score,
        feedback=data.feedback,
        external_id=external_id,
    )
    return await record_inquiry(session, store, create)


async def resolve_inquiry(
    session: AsyncSession, store: Store, inquiry_id: uuid.UUID, resolved_at: datetime | None
) -> OrderInquiry:
    inquiry = await get_inquiry(session, store.id, inquiry_id, for_update=True)
    if inquiry.resolved:
        return inquiry  # resolving twice is a retry, not an error
    return await update_inquiry(session, inquiry, resolved_at=resolved_at or utcnow())


__all__ = [
    "EventResult",
    "add_shipment",
    "add_tracking_event",
    "amend_inquiry",
    "find_inquiry_by_external_id",
    "find_order",
    "get_order",
    "get_shipment",
    "order_context_at",
    "order_status_at",
    "record_inquiry",
    "remove_shipments_of_fulfillment",
    "resolve_inquiry",
    "update_inquiry",
    "upsert_inquiry_by_external_id",
    "upsert_order",
]
