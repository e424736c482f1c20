"""Shopify webhooks: signature, store mapping, idempotency, orders and fulfillments.

Payloads: when `../shared/fixtures/webhooks/shopify/` holds Shopify's published samples
they are used for the structural tests (their expectations are read from the payload).
Otherwise every payload below is built from Shopify's published format -- the
"orders/create", "orders/cancelled", "fulfillments/create" and "fulfillments/update" sample
payloads and the delivery headers of https://shopify.dev/docs/api/webhooks (API version
2026-07) -- trimmed to the fields a webhook is read for, with dates and numbers chosen so
that every figure asserted below is worked out by hand.

The stores are in America/New_York (UTC-5 until 2026-03-08).
"""

import base64
import copy
import hashlib
import hmac
import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import (
    Customer,
    Order,
    ParkedWebhook,
    Shipment,
    TrackingEvent,
    WebhookDelivery,
    WismoDailyHistogram,
)
from tests.helpers import daily, dims, nonzero
from tests.support import SHARED_DIR

URL = "/api/v1/webhooks/shopify"
SECRET_A = "shpss_a_8d5f2c1e9b7a4d3c"
SECRET_B = "shpss_b_1a2b3c4d5e6f7a8b"
DOMAIN_A = "shop-a.myshopify.com"
DOMAIN_B = "shop-b.myshopify.com"
FIXTURES = SHARED_DIR / "fixtures" / "webhooks" / "shopify"


def published(topic: str, built: dict[str, Any]) -> dict[str, Any]:
    """Shopify's published sample for a topic from ../shared/fixtures when present."""
    stem = topic.replace("/", "_")
    for candidate in (
        FIXTURES / f"{stem}.json",
        FIXTURES / f"{topic.replace('/', '-')}.json",
        FIXTURES / f"{topic}.json",
    ):
        if candidate.is_file():
            loaded: dict[str, Any] = json.loads(Path(candidate).read_text())
            return loaded
    return copy.deepcopy(built)


# Shape and field names from the orders/create sample payload of
# https://shopify.dev/docs/api/webhooks (2026-07), trimmed; values chosen for these tests.
ORDER = {
    "id": 820982911946154508,
    "admin_graphql_api_id": "gid://shopify/Order/820982911946154508",
    "name": "#1001",
    "order_number": 1001,
    "number": 1,
    "email": "jon@example.com",
    "contact_email": "jon@example.com",
    # 2026-03-02T07:30Z = 02:30 in New York on March 2nd.
    "created_at": "2026-03-01T23:30:00-08:00",
    "updated_at": "2026-03-01T23:30:00-08:00",
    "processed_at": "2026-03-01T23:30:00-08:00",
    "cancelled_at": None,
    "cancel_reason": None,
    "closed_at": None,
    "confirmed": True,
    "currency": "USD",
    "presentment_currency": "USD",
    "financial_status": "paid",
    "fulfillment_status": None,
    "subtotal_price": "394.95",
    "total_price": "404.95",
    "total_tax": "0.00",
    "test": False,
    "customer": {
        "id": 115310627314723954,
        "email": "john@example.com",
        "first_name": "John",
        "last_name": "Smith",
        "state": "disabled",
        "currency": "USD",
    },
    "shipping_address": {
        "first_name": "Steve",
        "last_name": "Shipper",
        "name": "Steve Shipper",
        "address1": "123 Shipping Street",
        "city": "Shippington",
        "zip": "40003",
        "province": "Kentucky",
        "province_code": "KY",
        "country": "United States",
        "country_code": "US",
    },
    "line_items": [
        {
            "id": 487817672276298554,
            "name": "Aviator sunglasses",
            "price": "89.99",
            "quantity": 1,
            "sku": "SKU2006-001",
            "requires_shipping": True,
            "fulfillment_status": None,
        }
    ],
    "fulfillments": [],
    "refunds": [],
}

# Shape from the fulfillments/create sample payload of https://shopify.dev/docs/api/webhooks.
FULFILLMENT = {
    "id": 123456,
    "order_id": 820982911946154508,
    "status": "success",
    # 2026-03-02T15:15Z: 7 h 45 min after the order.
    "created_at": "2026-03-02T10:15:00-05:00",
    "updated_at": "2026-03-02T10:15:00-05:00",
    "service": "manual",
    "tracking_company": "UPS",
    "shipment_status": None,
    "location_id": None,
    "origin_address": None,
    "email": "jon@example.com",
    "destination": {
        "first_name": "Steve",
        "last_name": "Shipper",
        "address1": "123 Shipping Street",
        "city": "Shippington",
        "zip": "40003",
        "province": "Kentucky",
        "country": "United States",
        "country_code": "US",
        "province_code": "KY",
    },
    "line_items": [{"id": 487817672276298554, "title": "Aviator sunglasses", "quantity": 1}],
    "tracking_number": "1Z827WK74630",
    "tracking_numbers": ["1Z827WK74630"],
    "tracking_url": "https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=1Z827WK74630",
    "tracking_urls": [
        "https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=1Z827WK74630"
    ],
    "receipt": {},
    "name": "#1001.1",
    "admin_graphql_api_id": "gid://shopify/Fulfillment/123456",
}


def sign(body: bytes, secret: str) -> str:
    """base64(HMAC-SHA256(secret, raw body)), as Shopify signs deliveries."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


async def deliver(
    client: httpx.AsyncClient,
    topic: str,
    payload: dict[str, Any] | bytes,
    *,
    secret: str = SECRET_A,
    domain: str = DOMAIN_A,
    webhook_id: str | None = None,
    signature: str | None = None,
) -> httpx.Response:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Shopify-Topic": topic,
        "X-Shopify-Hmac-Sha256": signature if signature is not None else sign(body, secret),
        "X-Shopify-Shop-Domain": domain,
        "X-Shopify-API-Version": "2026-07",
        "X-Shopify-Webhook-Id": webhook_id or str(uuid.uuid4()),
        "X-Shopify-Triggered-At": "2026-03-02T15:15:00.000000Z",
        "X-Shopify-Event-Id": str(uuid.uuid4()),
    }
    return await client.post(URL, content=body, headers=headers)


@pytest.fixture
async def shop_a(make_store: Any) -> Any:
    return await make_store("Shop A", "America/New_York", domain=DOMAIN_A, shopify_secret=SECRET_A)


@pytest.fixture
async def shop_b(make_store: Any) -> Any:
    return await make_store("Shop B", "America/New_York", domain=DOMAIN_B, shopify_secret=SECRET_B)


async def count(session: AsyncSession, model: Any, store_id: uuid.UUID) -> int:
    return int(
        await session.scalar(
            select(func.count()).select_from(model).where(model.store_id == store_id)
        )
        or 0
    )


async def histograms(session: AsyncSession, store_id: uuid.UUID) -> set[tuple[Any, ...]]:
    """Every histogram row of a store, whatever its key columns are."""
    table = WismoDailyHistogram.__table__
    rows = await session.execute(select(table).where(table.c.store_id == store_id))
    return {tuple(row) for row in rows if row.count}


async def snapshot(session: AsyncSession, store_id: uuid.UUID) -> tuple[Any, ...]:
    """Every rollup row and fact count of a store."""
    return (
        await daily(session, store_id),
        await dims(session, store_id),
        await histograms(session, store_id),
        await count(session, Order, store_id),
        await count(session, Customer, store_id),
        await count(session, Shipment, store_id),
        await count(session, TrackingEvent, store_id),
    )


async def the_order(session: AsyncSession, store_id: uuid.UUID) -> Order:
    return (await session.scalars(select(Order).where(Order.store_id == store_id))).one()


# ---------------------------------------------------------------- orders


async def test_orders_create_is_stored_with_local_date_and_rollups(
    client: httpx.AsyncClient, session: AsyncSession, shop_a: Any
) -> None:
    r = await deliver(client, "orders/create", ORDER, webhook_id="wh-order-1")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "processed" and body["orders"] == 1
    assert body["deliveryId"] == "wh-order-1" and body["topic"] == "orders/create"

    order = await the_order(session, shop_a.id)
    assert order.order_number == "1001"  # "#1001" without the hash
    assert order.external_id == "820982911946154508"
    assert order.created_at == datetime(2026, 3, 2, 7, 30, tzinfo=UTC)
    assert order.local_date == date(2026, 3, 2)
    assert order.status == "open" and order.financial_status == "paid"
    assert order.fulfillment_status == "unfulfilled"
    assert order.total == Decimal("404.95") and order.currency == "USD"
    assert order.shipping_postcode == "40003"
    customer = (await session.scalars(select(Customer).where(Customer.store_id == shop_a.id))).one()
    assert customer.email == "jon@example.com" and customer.name == "John Smith"
    assert order.customer_id == customer.id

    rows = await daily(session, shop_a.id)
    assert nonzero(rows[date(2026, 3, 2)]) == {"total_orders": 1}
    assert await count(session, WebhookDelivery, shop_a.id) == 1


async def test_published_order_sample_round_trips(
    client: httpx.AsyncClient, session: AsyncSession, shop_a: Any
) -> None:
    """The published sample (or our copy of its shape): expectations read from the payload."""
    payload = published("orders/create", ORDER)
    r = await deliver(client, "orders/create", payload)
    assert r.status_code == 200, r.text
    order = await the_order(session, shop_a.id)
    assert order.order_number == str(payload["name"]).lstrip("#")
    assert order.external_id == str(payload["id"])
    created = datetime.fromisoformat(payload["created_at"])
    assert order.created_at == created.astimezone(UTC)
    assert order.status == ("cancelled" if payload.get("cancelled_at") else "open")


async def test_bad_signature_is_401_and_stores_nothing(
    client: httpx.AsyncClient, session: AsyncSession, shop_a: Any
) -> None:
    body = json.dumps(published("orders/create", ORDER)).encode()
    before = await snapshot(session, shop_a.id)
    attempts = [
        await deliver(client, "orders/create", body, secret="not-the-secret"),
        await deliver(client, "orders/create", body, signature=""),
        await deliver(client, "orders/create", body, signature="bm90IGEgc2lnbmF0dXJl"),
        # Signed, then altered in transit (one byte more: still valid JSON).
        await deliver(client, "orders/create", b" " + body, signature=sign(body, SECRET_A)),
    ]
    for r in attempts:
        assert r.status_code == 401, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
    assert await snapshot(session, shop_a.id) == before
    assert await count(session, Order, shop_a.id) == 0
    assert await count(session, WebhookDelivery, shop_a.id) == 0


async def test_unknown_shop_domain_is_404_and_stores_nothing(
    client: httpx.AsyncClient, session: AsyncSession, shop_a: Any
) -> None:
    r = await deliver(client, "orders/create", ORDER, domain="stranger.myshopify.com")
    assert r.status_code == 404, r.text
    r = await deliver(client, "orders/create", ORDER, domain="")
    assert r.status_code == 401, r.text
    assert await count(session, Order, shop_a.id) == 0


async def test_a_signature_of_store_a_for_store_b_is_rejected(
    client: httpx.AsyncClient, session: AsyncSession, shop_a: Any, shop_b: Any
) -> None:
    # Signed with A's secret but claiming to come from B's shop: B's secret does not verify.
    r = await deliver(client, "orders/create", ORDER, secret=SECRET_A, domain=DOMAIN_B)
    assert r.status_code == 401, r.text
    assert await count(session, Order, shop_a.id) == 0
    assert await count(session, Order, shop_b.id) == 0
    assert await count(session, WebhookDelivery, shop_b.id) == 0

    # Properly signed for B: the order is B's alone, with B's local date and rollups.
    r = await deliver(client, "orders/create", ORDER, secret=SECRET_B, domain=DOMAIN_B)
    assert r.status_code == 200, r.text
    assert await count(session, Order, shop_b.id) == 1
    assert await count(session, Order, shop_a.id) == 0
    assert await daily(session, shop_a.id) == {}
    assert (await daily(session, shop_b.id))[date(2026, 3, 2)]["total_orders"] == 1


async def test_repeated_delivery_changes_nothing(
    client: httpx.AsyncClient, session: AsyncSession, shop_a: Any
) -> None:
    first = await deliver(client, "orders/create", ORDER, webhook_id="wh-dup")
    assert first.status_code == 200 and first.json()["status"] == "processed"
    before = await snapshot(session, shop_a.id)

    # The same delivery again (Shopify retries with the same X-Shopify-Webhook-Id), even with
    # a body that would change the order: nothing is applied.
    changed = {**ORDER, "total_price": "999.00", "financial_status": "refunded"}
    for payload in (ORDER, changed):
        again = await deliver(client, "orders/create", payload, webhook_id="wh-dup")
        assert again.status_code == 200, again.text
        assert again.json()["status"] == "duplicate"
    assert await snapshot(session, shop_a.id) == before
    order = await the_order(session, shop_a.id)
    assert order.total == Decimal("404.95") and order.financial_status == "paid"
    assert await count(session, WebhookDelivery, shop_a.id) == 1

    # A new delivery of the same order state (orders/updated) is an idempotent upsert.
    r = await deliver(client, "orders/updated", ORDER, webhook_id="wh-update-same")
    assert r.status_code == 200 and r.json()["status"] == "processed"
    assert await snapshot(session, shop_a.id) == before


async def test_cancelled_order(
    client: httpx.AsyncClient, session: AsyncSession, shop_a: Any
) -> None:
    assert (await deliver(client, "orders/create", ORDER)).status_code == 200
    before = await daily(session, shop_a.id)
    # Shape of the orders/cancelled sample: the order with cancelled_at and cancel_reason.
    cancelled = {
        **ORDER,
        "cancelled_at": "2026-03-02T09:00:00-05:00",
        "cancel_reason": "customer",
        "financial_status": "voided",
        "updated_at": "2026-03-02T09:00:00-05:00",
    }
    r = await deliver(client, "orders/cancelled", cancelled)
    assert r.status_code == 200, r.text
    order = await the_order(session, shop_a.id)
    assert order.status == "cancelled"
    assert order.cancelled_at == datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    assert order.financial_status == "voided"
    # A cancelled order is still an order of its day: the rollups do not move.
    assert await daily(session, shop_a.id) == before

    # An inquiry about it sees the cancellation.
    r = await client.post(
        "/api/v1/inquiries",
        json={"orderNumber": "1001", "inquiryType": "refund", "channel": "email"},
        headers=shop_a.headers,
    )
    assert r.status_code == 201, r.text
    assert r.json()["orderStatus"] == "cancelled"


async def test_unused_topic_is_ignored_and_bad_json_is_400(
    client: httpx.AsyncClient, session: AsyncSession, shop_a: Any
) -> None:
    r = await deliver(client, "products/update", {"id": 1, "title": "Hat"})
    assert r.status_code == 200 and r.json()["status"] == "ignored"
    r = await deliver(client, "orders/create", b"{not json")
    assert r.status_code == 400, r.text
    r = await deliver(client, "orders/create", {**ORDER, "created_at": "yesterday"})
    assert r.status_code == 422, r.text
    # Only the ignored delivery is recorded (so a repeat of it is a duplicate, not work).
    rows = list(await session.scalars(select(WebhookDelivery)))
    assert [(row.store_id, row.topic, row.outcome) for row in rows] == [
        (shop_a.id, "products/update", "ignored")
    ]
    assert await count(session, Order, shop_a.id) == 0


async def test_oversized_body_is_413(
    client: httpx.AsyncClient,
    session: AsyncSession,
    shop_a: Any,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(settings, "max_webhook_bytes", 256)
    r = await deliver(client, "orders/create", ORDER)
    assert r.status_code == 413, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert await count(session, Order, shop_a.id) == 0


# ---------------------------------------------------------------- fulfillments


def fulfillment(
    shipment_status: str | None = None, updated_at: str | None = None, **extra: Any
) -> dict[str, Any]:
    payload = copy.deepcopy(FULFILLMENT)
    payload["shipment_status"] = shipment_status
    if updated_at is not None:
        payload["updated_at"] = updated_at
    payload.update(extra)
    return payload


async def test_fulfillments_create_and_update_out_of_order(
    client: httpx.AsyncClient, session: AsyncSession, shop_a: Any
) -> None:
    assert (await deliver(client, "orders/create", ORDER)).status_code == 200
    r = await deliver(client, "fulfillments/create", fulfillment())
    assert r.status_code == 200, r.text
    assert r.json()["shipmentsCreated"] == 1
    shipment = (await session.scalars(select(Shipment).where(Shipment.store_id == shop_a.id))).one()
    assert (shipment.carrier, shipment.tracking_number) == ("UPS", "1Z827WK74630")
    assert shipment.shipped_at == datetime(2026, 3, 2, 15, 15, tzinfo=UTC)
    assert shipment.status == "pending"

    # In transit at 19:45 local (2026-03-03T00:45Z): the carrier's first scan.
    r = await deliver(
        client, "fulfillments/update", fulfillment("in_transit", "2026-03-02T19:45:00-05:00")
    )
    assert r.status_code == 200 and r.json()["eventsCreated"] == 1
    # Delivered on March 4th at 13:20 local (18:20Z).
    r = await deliver(
        client, "fulfillments/update", fulfillment("delivered", "2026-03-04T13:20:00-05:00")
    )
    assert r.status_code == 200 and r.json()["eventsCreated"] == 1
    settled = await snapshot(session, shop_a.id)

    # Out for delivery, stamped before the delivery, arrives late: it never moves it back.
    r = await deliver(
        client,
        "fulfillments/update",
        fulfillment("out_for_delivery", "2026-03-04T08:05:00-05:00"),
    )
    assert r.status_code == 200 and r.json()["eventsCreated"] == 1
    # Another delivery reporting the same delivered status adds nothing.
    r = await deliver(
        client, "fulfillments/update", fulfillment("delivered", "2026-03-04T13:25:00-05:00")
    )
    assert r.status_code == 200 and r.json()["eventsExisting"] == 1

    await session.refresh(shipment)
    assert shipment.status == "delivered"
    assert shipment.delivered_at == datetime(2026, 3, 4, 18, 20, tzinfo=UTC)
    assert shipment.delivered_local_date == date(2026, 3, 4)
    assert await count(session, TrackingEvent, shop_a.id) == 3
    before_daily, before_dims, before_hist, *_ = settled
    assert await daily(session, shop_a.id) == before_daily
    assert await dims(session, shop_a.id) == before_dims
    assert await histograms(session, shop_a.id) == before_hist

    rows = await daily(session, shop_a.id)
    # Shipped 2026-03-02: ordered 07:30Z, shipped 15:15Z (27,900 s), first scan 00:45Z next
    # day (pickup 34,200 s).
    assert nonzero(rows[date(2026, 3, 2)]) == {
        "total_orders": 1,
        "shipments_shipped": 1,
        "time_to_ship_count": 1,
        "time_to_ship_seconds_sum": 27_900,
        "pickup_count": 1,
        "pickup_seconds_sum": 34_200,
    }
    # Delivered 2026-03-04 18:20Z: 2 d 3 h 5 min after shipping (183,900 s), 1 d 17 h 35 min
    # after the first scan (149,700 s); no estimate was given.
    assert nonzero(rows[date(2026, 3, 4)]) == {
        "shipments_delivered": 1,
        "transit_seconds_sum": 183_900,
        "carrier_transit_count": 1,
        "carrier_transit_seconds_sum": 149_700,
    }
    carrier = (await dims(session, shop_a.id))[(date(2026, 3, 4), "carrier", "UPS")]
    assert carrier["shipments_delivered"] == 1


async def test_attempted_delivery_counts_as_an_exception(
    client: httpx.AsyncClient, session: AsyncSession, shop_a: Any
) -> None:
    assert (await deliver(client, "orders/create", ORDER)).status_code == 200
    r = await deliver(
        client,
        "fulfillments/create",
        fulfillment("attempted_delivery", "2026-03-03T16:00:00-05:00"),
    )
    assert r.status_code == 200, r.text
    shipment = (await session.scalars(select(Shipment).where(Shipment.store_id == shop_a.id))).one()
    assert shipment.status == "failed_attempt" and shipment.had_exception
    assert shipment.exception_reason == "failed_attempt"
    assert (await daily(session, shop_a.id))[date(2026, 3, 2)]["shipments_with_exception"] == 1
    reasons = await dims(session, shop_a.id)
    assert (
        reasons[(date(2026, 3, 2), "exception_reason", "failed_attempt")][
            "shipments_with_exception"
        ]
        == 1
    )


async def test_fulfillment_of_an_unknown_order_is_parked_then_applied_when_it_arrives(
    client: httpx.AsyncClient, session: AsyncSession, shop_a: Any
) -> None:
    payload = fulfillment(order_id=ORDER["id"], name="#1001.1")
    r = await deliver(client, "fulfillments/create", payload, webhook_id="wh-early")
    assert r.status_code == 202, r.text
    assert r.json()["status"] == "parked"
    assert await count(session, Shipment, shop_a.id) == 0
    assert await count(session, ParkedWebhook, shop_a.id) == 1
    # A repeat of the parked delivery is a duplicate, not a second parked copy.
    r = await deliver(client, "fulfillments/create", payload, webhook_id="wh-early")
    assert r.json()["status"] == "duplicate"
    assert await count(session, ParkedWebhook, shop_a.id) == 1

    r = await deliver(client, "orders/create", ORDER)
    assert r.status_code == 200, r.text
    shipments = list(await session.scalars(select(Shipment)))
    assert [(s.tracking_number, s.carrier, s.shipped_at) for s in shipments] == [
        (FULFILLMENT["tracking_number"], "UPS", datetime(2026, 3, 2, 15, 15, tzinfo=UTC))
    ]
    assert await count(session, ParkedWebhook, shop_a.id) == 0
    # Ordered 07:30Z, shipped 15:15Z: 27,900 s to ship, counted once.
    day = (await daily(session, shop_a.id))[date(2026, 3, 2)]
    assert (day["shipments_shipped"], day["time_to_ship_seconds_sum"]) == (1, 27_900)


async def test_fulfillment_found_by_name_and_split_tracking_numbers(
    client: httpx.AsyncClient, session: AsyncSession, shop_a: Any
) -> None:
    # An order loaded by the REST API (no Shopify id) is found by the fulfillment's name.
    r = await client.put(
        "/api/v1/orders/1001",
        json={"createdAt": "2026-03-02T07:30:00Z"},
        headers=shop_a.headers,
    )
    assert r.status_code == 201, r.text
    payload = fulfillment(
        tracking_numbers=["1ZAAA0000000000001", "1ZAAA0000000000002"],
        tracking_number="1ZAAA0000000000001",
        tracking_company="UPS",
    )
    r = await deliver(client, "fulfillments/create", payload)
    assert r.status_code == 200, r.text
    assert r.json()["shipmentsCreated"] == 2
    rows = await daily(session, shop_a.id)
    # Two parcels shipped; only the first shipment of the order counts for time to ship.
    assert rows[date(2026, 3, 2)]["shipments_shipped"] == 2
    assert rows[date(2026, 3, 2)]["time_to_ship_count"] == 1

    # Without any tracking number the fulfillment is still a shipment.
    untracked = fulfillment(
        id=123457,
        name="#1001.2",
        tracking_number=None,
        tracking_numbers=[],
        tracking_company=None,
    )
    r = await deliver(client, "fulfillments/create", untracked)
    assert r.status_code == 200 and r.json()["shipmentsCreated"] == 1
    numbers = set(
        await session.scalars(
            select(Shipment.tracking_number).where(Shipment.store_id == shop_a.id)
        )
    )
    assert "fulfillment-123457" in numbers
