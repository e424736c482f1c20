"""What the webhook receivers share: signatures, idempotency, payload reading, shipment lookup.

Facts are written only through `app.ingestion.service`, which keeps the rollups exact; this
module writes nothing but the idempotency row of `webhook_deliveries`.
"""

import base64
import hashlib
import hmac
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Literal

import orjson
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import AppError, AuthenticationError, NotFoundError, ValidationError
from app.core.timeutils import FUTURE_TOLERANCE, utcnow
from app.db.scoping import for_store, get_scoped
from app.db.upsert import insert_ignore
from app.ingestion import service as ingestion
from app.ingestion.schemas import TrackingEventCreate
from app.ingestion.tracking_status import Provider, UnknownStatusError, map_status
from app.models import Order, Shipment, Store, WebhookDelivery

OutcomeStatus = Literal[
    "processed",  # verified, new, written
    "duplicate",  # this delivery id was processed before: nothing changed
    "ignored",  # verified, but nothing this service stores (recorded, answered 200)
    "parked",  # verified, waits for its order or shipment (kept, applied when it appears)
]


@dataclass
class WebhookOutcome:
    status: OutcomeStatus
    provider: str
    delivery_id: str | None = None
    topic: str | None = None
    detail: str | None = None
    orders: int = 0  # orders created or updated
    shipments_created: int = 0
    events_created: int = 0
    events_existing: int = 0  # already stored (a provider re-sends the whole history)
    skipped: list[str] = field(default_factory=list)  # events that could not be used, and why


# ---------------------------------------------------------------- signatures


def hmac_sha256(secret: bytes, body: bytes) -> bytes:
    return hmac.new(secret, body, hashlib.sha256).digest()


def verify_base64_signature(secret: str, body: bytes, signature: str | None) -> bool:
    """Shopify and AfterShip: base64(HMAC-SHA256(secret, raw body)), compared in constant time."""
    if not signature or not secret:
        return False
    expected = base64.b64encode(hmac_sha256(secret.encode(), body))
    return hmac.compare_digest(expected, signature.strip().encode())


def require_signature(valid: bool, header: str) -> None:
    if not valid:
        raise AuthenticationError(f"invalid or missing {header} signature")


# ---------------------------------------------------------------- idempotency


async def claim_delivery(
    session: AsyncSession,
    store_id: uuid.UUID,
    provider: str,
    delivery_id: str,
    topic: str | None,
    outcome: str = "processed",
) -> bool:
    """Record a delivery id in this request's transaction; False when it was seen before.

    The row commits (or rolls back) with the writes of the delivery, so a delivery that
    failed half-way is processed again on the provider's retry. A concurrent duplicate waits
    on the primary key and then finds the row.
    """
    table = WebhookDelivery.__table__
    stmt = insert_ignore(session, table, ("store_id", "provider", "delivery_id")).values(
        store_id=store_id,
        provider=provider,
        delivery_id=delivery_id[:200],
        topic=(topic or None) and topic[:64],
        outcome=outcome,
        received_at=utcnow(),
    )
    result = await session.execute(stmt)
    return bool(getattr(result, "rowcount", 0))


def mark_duplicate(outcome: "WebhookOutcome") -> "WebhookOutcome":
    outcome.status = "duplicate"
    outcome.detail = "this delivery was already processed"
    return outcome


async def ignore(
    session: AsyncSession, store_id: uuid.UUID, outcome: "WebhookOutcome", detail: str
) -> "WebhookOutcome":
    """A verified delivery with nothing to store: recorded and answered 200, so the provider
    does not retry it forever."""
    assert outcome.delivery_id is not None
    if not await claim_delivery(
        session, store_id, outcome.provider, outcome.delivery_id, outcome.topic, "ignored"
    ):
        return mark_duplicate(outcome)
    outcome.status = "ignored"
    outcome.detail = detail
    return outcome


def body_digest(body: bytes) -> str:
    """A delivery id for a payload that carries none (stable across identical retries)."""
    return "sha256:" + hashlib.sha256(body).hexdigest()


def derived_id(prefix: str, *parts: object) -> str:
    raw = "|".join("" if p is None else str(p) for p in parts)
    return f"{prefix}:" + hashlib.sha256(raw.encode()).hexdigest()[:40]


# ---------------------------------------------------------------- payload reading


def parse_json_object(body: bytes) -> dict[str, Any]:
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise AppError("the body is not valid JSON") from None
    if not isinstance(payload, dict):
        raise AppError("the body must be a JSON object")
    return payload


def string(value: Any, limit: int | None = None) -> str | None:
    """A non-empty string (numbers are accepted as ids), trimmed to `limit` characters."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    s = str(value).strip()
    if not s:
        return None
    return s[:limit] if limit else s


def obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def parse_timestamp(
    value: Any, field_name: str, *, naive_ceiling: datetime | None = None
) -> datetime:
    """An ISO 8601 timestamp as aware UTC.

    Carriers sometimes give local wall-clock times without an offset (AfterShip documents
    `checkpoint_time` in "the timezone of the checkpoint"): such a time is read as UTC and
    never later than `naive_ceiling` (when the provider recorded it), so a local time east
    of Greenwich cannot land in the future.
    """
    s = string(value)
    if s is None:
        raise ValidationError(f"{field_name} is missing")
    try:
        if len(s) == 10:  # a date alone
            moment = datetime.combine(date.fromisoformat(s), datetime.min.time())
        else:
            moment = datetime.fromisoformat(s.replace("z", "Z"))
    except ValueError:
        raise ValidationError(f"{field_name} is not an ISO 8601 timestamp: {s!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
        if naive_ceiling is not None and moment > naive_ceiling:
            moment = naive_ceiling
    return moment.astimezone(UTC)


def optional_timestamp(value: Any, field_name: str) -> datetime | None:
    try:
        return parse_timestamp(value, field_name) if string(value) else None
    except ValidationError:
        return None


def parse_date(value: Any) -> date | None:
    """The calendar date of a date or timestamp as the provider wrote it (no zone shift)."""
    s = string(value)
    if s is None or len(s) < 10:
        return None
    try:
        return date.fromisoformat(s[:10])
    except ValueError:
        return None


def is_future(moment: datetime) -> bool:
    return moment > utcnow() + FUTURE_TOLERANCE


# ---------------------------------------------------------------- stores, orders, shipments


async def tracking_store(session: AsyncSession, store_ref: str | None) -> Store:
    """The store named by the `store` query parameter of a tracking webhook URL, or 404."""
    try:
        store_id = uuid.UUID(str(store_ref))
    except ValueError:
        raise NotFoundError("store not found: add ?store=<store id> to the webhook URL") from None
    store = await session.get(Store, store_id)
    if store is None:
        raise NotFoundError("store not found: add ?store=<store id> to the webhook URL")
    return store


def tracking_secret(store: Store) -> str:
    if not store.tracking_webhook_secret:
        raise AuthenticationError("this store has no tracking webhook secret configured")
    return store.tracking_webhook_secret


def _carrier_key(name: str | None) -> str:
    return re.sub(r"[^a-z0-9]", "", (name or "").lower())


async def find_shipment(
    session: AsyncSession, store_id: uuid.UUID, tracking_number: str, carrier: str | None
) -> Shipment | None:
    """The store's shipment with this tracking number (case-insensitive for the usual forms).

    Tracking numbers are unique per carrier, not globally: when several carriers share one,
    the provider's carrier name (slug) picks it, else the most recent shipment wins.
    """
    forms = {tracking_number, tracking_number.upper(), tracking_number.lower()}
    candidates = list(
        await session.scalars(
            for_store(Shipment, store_id)
            .where(Shipment.tracking_number.in_(forms))
            .order_by(Shipment.shipped_at.desc(), Shipment.id)
        )
    )
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    wanted = _carrier_key(carrier)
    if wanted:
        for shipment in candidates:
            have = _carrier_key(shipment.carrier)
            if have and (have.startswith(wanted) or wanted.startswith(have)):
                return shipment
    return candidates[0]


async def order_of(session: AsyncSession, shipment: Shipment) -> Order:
    return await get_scoped(
        session, Order, shipment.store_id, Order.id == shipment.order_id, what="order"
    )


async def order_by_external_id(
    session: AsyncSession, store_id: uuid.UUID, external_id: str
) -> Order | None:
    return (
        await session.scalars(
            select(Order).where(Order.store_id == store_id, Order.external_id == external_id)
        )
    ).first()


# ---------------------------------------------------------------- applying tracking events


@dataclass
class TrackingUpdate:
    """What a tracking provider's payload says, in ingestion's terms."""

    tracking_number: str
    carrier: str | None
    events: list[TrackingEventCreate]
    estimate: date | None


async def receive_tracking(
    session: AsyncSession,
    store: Store,
    body: bytes,
    update: TrackingUpdate,
    outcome: WebhookOutcome,
) -> WebhookOutcome:
    """The tail every tracking provider shares: apply to the shipment, or park the payload
    until the shipment appears (providers do not retry a 2xx, so nothing is dropped)."""
    from app.integrations import parking

    assert outcome.delivery_id is not None
    shipment = await find_shipment(session, store.id, update.tracking_number, update.carrier)
    if shipment is None:
        if not await claim_delivery(
            session, store.id, outcome.provider, outcome.delivery_id, outcome.topic, "parked"
        ):
            return mark_duplicate(outcome)
        await parking.park(
            session,
            store.id,
            outcome.provider,
            outcome.topic,
            outcome.delivery_id,
            waits_for="shipment",
            key=update.tracking_number,
            body=body,
        )
        outcome.status = "parked"
        outcome.detail = (
            f"tracking number {update.tracking_number} is not known to this store yet: "
            f"kept for {parking.PARK_DAYS} days and applied when the shipment arrives"
        )
        return outcome
    if not await claim_delivery(
        session, store.id, outcome.provider, outcome.delivery_id, outcome.topic
    ):
        return mark_duplicate(outcome)
    await apply_tracking(session, store, shipment, update.events, update.estimate, outcome)
    return outcome


async def apply_tracking(
    session: AsyncSession,
    store: Store,
    shipment: Shipment,
    events: list[TrackingEventCreate],
    estimate: date | None,
    outcome: WebhookOutcome,
) -> None:
    """Feed events (oldest first) and the latest delivery estimate through ingestion.

    Out-of-order and repeated events are ingestion's job (an older event never moves a
    shipment back; a known event id is not stored twice). The estimate is taken only from a
    payload that is not older than what the shipment already knows.
    """
    last_known = shipment.last_event_at
    newest = max((e.occurred_at for e in events), default=None)
    for data in sorted(events, key=lambda e: e.occurred_at):
        try:
            result = await ingestion.add_tracking_event(session, store, shipment, data)
        except ValidationError as exc:
            outcome.skipped.append(f"{data.status} at {data.occurred_at.isoformat()}: {exc}")
            continue
        if result.created:
            outcome.events_created += 1
        else:
            outcome.events_existing += 1
    stale = newest is not None and last_known is not None and newest < last_known
    if estimate is not None and not stale and shipment.estimated_delivery != estimate:
        order = await order_of(session, shipment)
        await ingestion.update_estimate(session, shipment, order, estimate)


def scan_event(
    provider: Provider,
    label: str,
    outcome: WebhookOutcome,
    *,
    status: str,
    detail: str | None,
    occurred_at: Callable[[], datetime],
    event_id: str,
    description: str | None = None,
    location: str | None = None,
) -> TrackingEventCreate | None:
    """A provider's scan (or its tracker's own status) as an event of our vocabulary; None,
    with the reason in `outcome.skipped`, when its status is unknown or its time unreadable or
    in the future. `occurred_at` reads the time (it may raise ValidationError)."""
    try:
        mapped = map_status(provider, status, detail)
        at = occurred_at()
    except (UnknownStatusError, ValidationError) as exc:
        outcome.skipped.append(f"{label}: {getattr(exc, 'detail', exc)}")
        return None
    if not event_window_ok(at, label, outcome):
        return None
    return TrackingEventCreate(
        occurred_at=at,
        status=mapped.status,
        subtag=(mapped.reason or detail or "")[:64] or None,
        description=description,
        location=location,
        event_id=event_id,
    )


def event_window_ok(moment: datetime, label: str, outcome: WebhookOutcome) -> bool:
    """Events stamped in the future are bad data: skipped and reported, never clamped."""
    if is_future(moment):
        outcome.skipped.append(f"{label}: timestamp {moment.isoformat()} is in the future")
        return False
    return True
