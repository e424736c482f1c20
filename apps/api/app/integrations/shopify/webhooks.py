"""Shopify webhooks: orders/create, orders/updated, orders/cancelled, orders/fulfilled,
orders/partially_fulfilled, fulfillments/create, fulfillments/update.

Format: https://shopify.dev/docs/api/webhooks (headers X-Shopify-Topic,
X-Shopify-Hmac-Sha256, X-Shopify-Shop-Domain, X-Shopify-Webhook-Id; the sample payloads of
each topic) and https://shopify.dev/docs/apps/build/webhooks/subscribe/https (the signature:
base64 HMAC-SHA256 of the raw body with the app's secret, compared in constant time).

- The store is the one whose `domain` is X-Shopify-Shop-Domain (unknown: 404); the body is
  verified with that store's `shopify_webhook_secret` (a custom app) or the installed app's
  API secret (`WISMO_SHOPIFY_API_SECRET`) before anything is read (401).
- X-Shopify-Webhook-Id is recorded in `webhook_deliveries` in the same transaction as the
  writes: a repeated delivery changes nothing and answers 200 "duplicate".
- Orders: `name` "#1001" is the order number "1001", `id` the external id (an order number
  already taken by another Shopify id is a 409: never merged). An order's `fulfillments[]`
  go through the same code as the fulfillment topics.
- Fulfillments: the order is found by `order_id` (= the order's external id), else by the
  fulfillment's name ("#1001.1"); one for an order the store does not know yet is parked
  (202) and applied when the order arrives. One shipment per tracking number (a fulfillment
  without one gets "fulfillment-<id>"), and `shipment_status` becomes a tracking event (one
  per fulfillment and status). A cancelled or failed fulfillment is no shipment: one
  created from it earlier is removed.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from pydantic import EmailStr, TypeAdapter
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import AuthenticationError, NotFoundError, ValidationError
from app.ingestion import service as ingestion
from app.ingestion.schemas import OrderUpsert, ShipmentCreate, TrackingEventCreate
from app.ingestion.tracking_status import UnknownStatusError, map_status
from app.integrations import parking
from app.integrations.common import (
    WebhookOutcome,
    body_digest,
    claim_delivery,
    ignore,
    mark_duplicate,
    obj,
    optional_timestamp,
    order_by_external_id,
    parse_date,
    parse_json_object,
    parse_timestamp,
    require_signature,
    string,
    verify_base64_signature,
)
from app.models import Order, Store

PROVIDER: Final = "shopify"
ORDER_TOPICS = frozenset(
    {
        "orders/create",
        "orders/updated",
        "orders/cancelled",
        "orders/fulfilled",
        "orders/partially_fulfilled",
    }
)
FULFILLMENT_TOPICS = frozenset({"fulfillments/create", "fulfillments/update"})
TOPICS = ORDER_TOPICS | FULFILLMENT_TOPICS

_email = TypeAdapter(EmailStr)
_FULFILLMENT_STATUS = {"fulfilled": "fulfilled", "partial": "partial", None: "unfulfilled"}
_DEAD_FULFILLMENT = frozenset({"cancelled", "error", "failure"})


async def store_for_shop(session: AsyncSession, shop_domain: str | None) -> Store:
    domain = (shop_domain or "").strip().lower()
    if not domain:
        raise AuthenticationError("missing X-Shopify-Shop-Domain header")
    store = (await session.scalars(select(Store).where(func.lower(Store.domain) == domain))).first()
    if store is None:
        raise NotFoundError(f"no store is connected to the shop {domain}")
    return store


async def handle(
    session: AsyncSession,
    body: bytes,
    *,
    topic: str | None,
    signature: str | None,
    shop_domain: str | None,
    webhook_id: str | None,
    app_secret: str | None = None,
) -> WebhookOutcome:
    """Verify and apply one Shopify delivery (the caller commits the transaction)."""
    if not signature:
        raise AuthenticationError("missing X-Shopify-Hmac-Sha256 header")
    store = await store_for_shop(session, shop_domain)
    secrets = [s for s in (store.shopify_webhook_secret, app_secret) if s]
    require_signature(
        any(verify_base64_signature(s, body, signature) for s in secrets), "X-Shopify-Hmac-Sha256"
    )
    payload = parse_json_object(body)
    topic = (topic or "").strip().lower()
    delivery_id = (webhook_id or "").strip() or body_digest(body)
    outcome = WebhookOutcome("processed", PROVIDER, delivery_id=delivery_id, topic=topic)
    if topic not in TOPICS:
        return await ignore(session, store.id, outcome, f"topic {topic or '(none)'} is not used")

    if topic in ORDER_TOPICS:
        order_number, data = order_from_payload(payload, cancelled=topic == "orders/cancelled")
        if not await claim_delivery(session, store.id, PROVIDER, delivery_id, topic):
            return mark_duplicate(outcome)
        upserted, _ = await ingestion.upsert_order(session, store, order_number, data)
        outcome.orders = 1
        fulfillments = payload.get("fulfillments")
        for fulfillment in fulfillments if isinstance(fulfillments, list) else []:
            await apply_fulfillment(session, store, upserted, obj(fulfillment), outcome)
        return outcome

    order = await _fulfillment_order(session, store, payload)
    if order is None:
        order_id = string(payload.get("order_id"), 100)
        if order_id is None:
            return await ignore(session, store.id, outcome, "the fulfillment names no order")
        if not await claim_delivery(session, store.id, PROVIDER, delivery_id, topic, "parked"):
            return mark_duplicate(outcome)
        await parking.park(
            session,
            store.id,
            PROVIDER,
            topic,
            delivery_id,
            waits_for="order",
            key=order_id,
            body=body,
        )
        outcome.status = "parked"
        outcome.detail = (
            f"order {order_id} is not known to this store yet: kept for {parking.PARK_DAYS} "
            "days and applied when the order arrives"
        )
        return outcome
    if not await claim_delivery(session, store.id, PROVIDER, delivery_id, topic):
        return mark_duplicate(outcome)
    await apply_fulfillment(session, store, order, payload, outcome)
    return outcome


# ---------------------------------------------------------------- orders


def order_number_of(payload: dict[str, Any]) -> str:
    number = string(payload.get("name")) or string(payload.get("order_number"))
    if number is None:
        raise ValidationError("the order has neither a name nor an order_number")
    return number.lstrip("#").strip()


def order_status_of(payload: dict[str, Any], *, cancelled: bool) -> str:
    if cancelled or string(payload.get("cancelled_at")):
        return "cancelled"
    if string(payload.get("financial_status")) == "refunded":
        return "refunded"
    if string(payload.get("closed_at")):
        return "closed"
    return "open"


def _valid_email(*candidates: Any) -> str | None:
    for candidate in candidates:
        value = string(candidate)
        if value is None:
            continue
        try:
            return str(_email.validate_python(value))
        except PydanticValidationError:
            continue
    return None


def _money(value: Any) -> Decimal | None:
    s = string(value)
    if s is None:
        return None
    try:
        amount = Decimal(s)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() and amount >= 0 else None


def order_from_payload(payload: dict[str, Any], *, cancelled: bool) -> tuple[str, OrderUpsert]:
    """The order's number and fields, from Shopify's Order resource as webhooks send it."""
    customer = obj(payload.get("customer"))
    shipping = obj(payload.get("shipping_address"))
    name = " ".join(
        p for p in (string(customer.get("first_name")), string(customer.get("last_name"))) if p
    ) or string(shipping.get("name"))
    cancelled_at = optional_timestamp(payload.get("cancelled_at"), "cancelled_at")
    if cancelled and cancelled_at is None:
        cancelled_at = optional_timestamp(payload.get("updated_at"), "updated_at")
    currency = string(payload.get("currency"))
    refunded_at = None
    if string(payload.get("financial_status")) == "refunded":
        refunds = payload.get("refunds")
        refund_times = [
            t
            for r in (refunds if isinstance(refunds, list) else [])
            if (t := optional_timestamp(obj(r).get("created_at"), "refunds[].created_at"))
        ]
        refunded_at = max(refund_times, default=None) or optional_timestamp(
            payload.get("updated_at"), "updated_at"
        )
    fields: dict[str, Any] = {
        "created_at": parse_timestamp(payload.get("created_at"), "created_at"),
        "customer_email": _valid_email(
            payload.get("email"), payload.get("contact_email"), customer.get("email")
        ),
        "customer_name": name[:200] if name else None,
        "status": order_status_of(payload, cancelled=cancelled),
        "financial_status": string(payload.get("financial_status"), 32),
        "fulfillment_status": _FULFILLMENT_STATUS.get(string(payload.get("fulfillment_status"))),
        "total": _money(payload.get("total_price")),
        "currency": currency.upper() if currency and len(currency) == 3 else None,
        "shipping_postcode": string(shipping.get("zip"), 32),
        "cancelled_at": cancelled_at,
        "refunded_at": refunded_at,
        "external_id": string(payload.get("id"), 100),
    }
    try:
        data = OrderUpsert.model_validate(fields)
    except PydanticValidationError as exc:
        raise ValidationError(f"the order payload is invalid: {_first_error(exc)}") from None
    return order_number_of(payload), data


def _first_error(exc: PydanticValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(p) for p in error.get("loc", ()))
    return f"{where}: {error.get('msg', 'invalid')}"


# ---------------------------------------------------------------- fulfillments


async def _fulfillment_order(
    session: AsyncSession, store: Store, payload: dict[str, Any]
) -> Order | None:
    external_id = string(payload.get("order_id"))
    if external_id is not None:
        order = await order_by_external_id(session, store.id, external_id)
        if order is not None:
            return order
    # A fulfillment is named after its order: "#1001.1" is the first fulfillment of #1001.
    match = re.fullmatch(r"#?(.+)\.\d+", string(payload.get("name")) or "")
    if match:
        return await ingestion.find_order(session, store.id, match.group(1).strip())
    return None


def tracking_numbers_of(payload: dict[str, Any]) -> list[str]:
    numbers: list[str] = []
    many = payload.get("tracking_numbers")
    for value in [*(many if isinstance(many, list) else []), payload.get("tracking_number")]:
        number = string(value, 100)
        if number and number not in numbers:
            numbers.append(number)
    if not numbers:  # shipped without tracking (local delivery, untracked post)
        fid = string(payload.get("id"))
        if fid is None:
            raise ValidationError("the fulfillment has neither an id nor a tracking number")
        numbers.append(f"fulfillment-{fid}"[:100])
    return numbers


@dataclass
class FulfillmentPlan:
    """What one Shopify Fulfillment becomes, read without touching the database: the
    shipments of its tracking numbers and the tracking event of its shipment status, or
    nothing when it was cancelled or failed (`dead`)."""

    fulfillment_id: str | None
    dead: str | None
    shipments: list[ShipmentCreate] = field(default_factory=list)
    event: TrackingEventCreate | None = None
    skipped: list[str] = field(default_factory=list)


def plan_fulfillment(payload: dict[str, Any]) -> FulfillmentPlan:
    fulfillment_id = string(payload.get("id"), 100)
    state = string(payload.get("status"))
    if state in _DEAD_FULFILLMENT:
        return FulfillmentPlan(fulfillment_id, dead=state)
    plan = FulfillmentPlan(fulfillment_id, dead=None)
    shipped_at = parse_timestamp(payload.get("created_at"), "created_at")
    carrier = string(payload.get("tracking_company"), 64) or "unknown"
    estimate = parse_date(payload.get("estimated_delivery_at"))
    shipment_status = string(payload.get("shipment_status"))
    if shipment_status is not None:
        try:
            mapped = map_status(PROVIDER, shipment_status)
        except UnknownStatusError as exc:
            plan.skipped.append(str(exc))
        else:
            occurred_at = optional_timestamp(payload.get("updated_at"), "updated_at")
            plan.event = TrackingEventCreate(
                occurred_at=max(occurred_at or shipped_at, shipped_at),
                status=mapped.status,
                subtag=mapped.reason or shipment_status[:64],
                description=f"Shopify shipment status: {shipment_status}",
                # One event per fulfillment and status: a repeated update adds nothing.
                event_id=f"shopify:{fulfillment_id}:{shipment_status}"[:200],
            )
    plan.shipments = [
        ShipmentCreate(
            carrier=carrier,
            tracking_number=number,
            shipped_at=shipped_at,
            estimated_delivery=estimate,
            external_id=fulfillment_id,
        )
        for number in tracking_numbers_of(payload)
    ]
    return plan


async def apply_fulfillment(
    session: AsyncSession,
    store: Store,
    order: Order,
    payload: dict[str, Any],
    outcome: WebhookOutcome,
) -> None:
    """One Shopify Fulfillment (a topic's body or an element of an order's `fulfillments[]`)."""
    plan = plan_fulfillment(payload)
    if plan.dead is not None:
        removed = 0
        if plan.fulfillment_id is not None:
            removed = await ingestion.remove_shipments_of_fulfillment(
                session, store, order, plan.fulfillment_id
            )
        outcome.skipped.append(
            f"fulfillment {plan.fulfillment_id} is {plan.dead}: not a shipment"
            + (f" ({removed} removed)" if removed else "")
        )
        return
    outcome.skipped.extend(plan.skipped)
    for data in plan.shipments:
        shipment, created = await ingestion.add_shipment(session, store, order, data)
        outcome.shipments_created += int(created)
        if plan.event is not None:
            result = await ingestion.add_tracking_event(session, store, shipment, plan.event)
            outcome.events_created += int(result.created)
            outcome.events_existing += int(not result.created)


__all__ = [
    "TOPICS",
    "FulfillmentPlan",
    "apply_fulfillment",
    "handle",
    "order_from_payload",
    "plan_fulfillment",
    "store_for_shop",
]
