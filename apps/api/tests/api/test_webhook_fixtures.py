"""Every published provider payload in ../shared/fixtures/webhooks, posted byte for byte and
signed through the real route, with the stored result asserted field by field.

The expected values below were read from the fixture files by hand (SOURCES.md says where
each file comes from); the store is in America/New_York.
"""

import base64
import hashlib
import hmac
import unicodedata
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Customer, Order, ParkedWebhook, Shipment, TrackingEvent, WebhookDelivery
from tests.helpers import daily
from tests.support import SHARED_DIR

FIXTURES = SHARED_DIR / "fixtures" / "webhooks"
SHOPIFY_SECRET = "shpss_fixture_0f1e2d3c4b5a"
TRACKING_SECRET = "easypost_fixture_9a8b7c6d"
DOMAIN = "fixture-shop.myshopify.com"


def fixture(name: str) -> bytes:
    path = FIXTURES / name
    if not path.is_file():
        pytest.fail(f"missing published fixture {path} (../shared must be beside the project)")
    return Path(path).read_bytes()


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


@pytest.fixture
async def shop(make_store: Any) -> Any:
    return await make_store(
        "Fixture Shop",
        "America/New_York",
        domain=DOMAIN,
        shopify_secret=SHOPIFY_SECRET,
        tracking_secret=TRACKING_SECRET,
    )


async def shopify(client: httpx.AsyncClient, topic: str, name: str, webhook_id: str) -> Any:
    body = fixture(f"shopify/{name}")
    signature = base64.b64encode(
        hmac.new(SHOPIFY_SECRET.encode(), body, hashlib.sha256).digest()
    ).decode()
    r = await client.post(
        "/api/v1/webhooks/shopify",
        content=body,
        headers={
            "Content-Type": "application/json",
            "X-Shopify-Topic": topic,
            "X-Shopify-Hmac-Sha256": signature,
            "X-Shopify-Shop-Domain": DOMAIN,
            "X-Shopify-Webhook-Id": webhook_id,
            "X-Shopify-API-Version": "2024-04",
        },
    )
    return r


async def easypost(client: httpx.AsyncClient, store_id: Any, name: str) -> Any:
    body = fixture(f"easypost/{name}")
    key = unicodedata.normalize("NFKD", TRACKING_SECRET).encode()
    signature = "hmac-sha256-hex=" + hmac.new(key, body, hashlib.sha256).hexdigest()
    return await client.post(
        f"/api/v1/webhooks/tracking/easypost?store={store_id}",
        content=body,
        headers={"Content-Type": "application/json", "X-Hmac-Signature": signature},
    )


async def timeline(client: httpx.AsyncClient, shop: Any, number: str) -> dict[str, Any]:
    r = await client.get(f"/api/v1/orders/{number}/timeline", headers=shop.headers)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def shipments_of(session: AsyncSession, order: Order) -> list[Shipment]:
    return list(
        await session.scalars(
            select(Shipment).where(Shipment.order_id == order.id).order_by(Shipment.shipped_at)
        )
    )


async def test_shopify_order_1001_from_update_to_cancelled_and_refunded(
    client: httpx.AsyncClient, session: AsyncSession, shop: Any
) -> None:
    # orders_updated.json: #1001, partially refunded, its one fulfillment failed.
    r = await shopify(client, "orders/updated", "orders_updated.json", "wh-1")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "processed"
    assert r.json()["shipmentsCreated"] == 0
    assert r.json()["skipped"] == ["fulfillment 255858046 is failure: not a shipment"]
    order = (await session.scalars(select(Order))).one()
    assert order.order_number == "1001"
    assert order.external_id == "450789469"
    assert order.created_at == datetime(2008, 1, 10, 16, 0, tzinfo=UTC)  # 11:00 -05:00
    assert order.local_date == date(2008, 1, 10)
    assert order.status == "open"
    assert order.financial_status == "partially_refunded"
    assert order.fulfillment_status == "unfulfilled"
    assert order.total == Decimal("598.94")
    assert order.currency == "USD"
    assert order.shipping_postcode == "40202"
    assert (order.cancelled_at, order.refunded_at) == (None, None)
    customer = (await session.scalars(select(Customer))).one()
    assert (customer.email, customer.name) == ("bob.norman@mail.example.com", "Bob Norman")
    assert (await timeline(client, shop, "1001"))["status"] == "unfulfilled"

    # fulfillments_create.json: fulfillment 255858046 of the same order, pending, 1Z2345,
    # no carrier named, created 2014-04-28T13:28:03-04:00.
    r = await shopify(client, "fulfillments/create", "fulfillments_create.json", "wh-2")
    assert r.status_code == 200, r.text
    assert r.json()["shipmentsCreated"] == 1
    [first] = await shipments_of(session, order)
    assert (first.carrier, first.tracking_number, first.external_id) == (
        "unknown",
        "1Z2345",
        "255858046",
    )
    assert first.shipped_at == datetime(2014, 4, 28, 17, 28, 3, tzinfo=UTC)
    assert first.status == "pending"
    assert (await timeline(client, shop, "1001"))["status"] == "fulfilled"

    # fulfillments_update.json: #1001.2, success, UPS 1Z001985YW99744790, no shipment status.
    r = await shopify(client, "fulfillments/update", "fulfillments_update.json", "wh-3")
    assert r.status_code == 200, r.text
    assert r.json()["shipmentsCreated"] == 1
    assert r.json()["eventsCreated"] == 0
    _, ups = await shipments_of(session, order)
    assert (ups.carrier, ups.tracking_number, ups.external_id) == (
        "UPS",
        "1Z001985YW99744790",
        "1069019879",
    )
    assert ups.shipped_at == datetime(2024, 4, 2, 14, 1, 55, tzinfo=UTC)  # 09:01:55 -05:00
    assert (ups.is_first_for_order, first.is_first_for_order) == (False, True)

    # orders_cancelled.json: refunded (refund at 2024-04-02T09:03:37-05:00), sent as
    # cancelled although `cancelled_at` is null; fulfillment 255858046 reads "failure".
    r = await shopify(client, "orders/cancelled", "orders_cancelled.json", "wh-4")
    assert r.status_code == 200, r.text
    assert r.json()["skipped"] == ["fulfillment 255858046 is failure: not a shipment (1 removed)"]
    await session.refresh(order)
    assert order.status == "cancelled"
    assert order.financial_status == "refunded"
    assert order.cancelled_at == datetime(2024, 4, 2, 14, 3, 37, tzinfo=UTC)  # updated_at
    assert order.refunded_at == datetime(2024, 4, 2, 14, 3, 37, tzinfo=UTC)  # refunds[0]
    [remaining] = await shipments_of(session, order)
    assert remaining.tracking_number == "1Z001985YW99744790"
    assert remaining.is_first_for_order
    body = await timeline(client, shop, "1001")
    assert body["status"] == "cancelled"
    assert [e["type"] for e in body["events"]] == ["order", "fulfillment"]

    # Rollups: the order on its day; only the UPS shipment, now the order's first, counts.
    rows = await daily(session, shop.id)
    assert rows[date(2008, 1, 10)]["total_orders"] == 1
    assert rows[date(2014, 4, 28)]["shipments_shipped"] == 0
    shipped = rows[date(2024, 4, 2)]
    to_ship = datetime(2024, 4, 2, 14, 1, 55) - datetime(2008, 1, 10, 16, 0, 0)
    assert (shipped["shipments_shipped"], shipped["time_to_ship_count"]) == (1, 1)
    assert shipped["time_to_ship_seconds_sum"] == int(to_ship.total_seconds())

    # A repeated delivery changes nothing.
    r = await shopify(client, "orders/cancelled", "orders_cancelled.json", "wh-4")
    assert r.json()["status"] == "duplicate"
    assert await daily(session, shop.id) == rows


async def test_shopify_orders_1002_create_then_fulfilled_with_another_id_is_a_conflict(
    client: httpx.AsyncClient, session: AsyncSession, shop: Any, make_store: Any
) -> None:
    # orders_create.json: #1002 (id 1073459972), paid, unfulfilled, empty email.
    r = await shopify(client, "orders/create", "orders_create.json", "wh-10")
    assert r.status_code == 200, r.text
    order = (await session.scalars(select(Order))).one()
    assert (order.order_number, order.external_id) == ("1002", "1073459972")
    assert order.created_at == datetime(2024, 4, 2, 14, 4, 18, tzinfo=UTC)
    assert (order.status, order.financial_status, order.fulfillment_status) == (
        "open",
        "paid",
        "unfulfilled",
    )
    assert (order.total, order.currency, order.customer_id) == (Decimal("199.00"), "USD", None)

    # orders_fulfilled.json is another Shopify order (id 1073459965) under the same name.
    r = await shopify(client, "orders/fulfilled", "orders_fulfilled.json", "wh-11")
    assert r.status_code == 409, r.text
    assert "1073459972" in r.json()["detail"] and "1073459965" in r.json()["detail"]
    await session.refresh(order)
    assert (order.external_id, order.fulfillment_status) == ("1073459972", "unfulfilled")
    assert list(await session.scalars(select(Shipment))) == []
    assert list(await session.scalars(select(WebhookDelivery.delivery_id))) == ["wh-10"]


async def test_shopify_orders_fulfilled_creates_its_shipment(
    client: httpx.AsyncClient, session: AsyncSession, shop: Any
) -> None:
    # orders_fulfilled.json: #1002, fulfilled by fulfillment 1069019890 with no tracking.
    r = await shopify(client, "orders/fulfilled", "orders_fulfilled.json", "wh-20")
    assert r.status_code == 200, r.text
    assert r.json()["shipmentsCreated"] == 1
    order = (await session.scalars(select(Order))).one()
    assert (order.external_id, order.fulfillment_status) == ("1073459965", "fulfilled")
    [shipment] = await shipments_of(session, order)
    assert (shipment.carrier, shipment.tracking_number, shipment.external_id) == (
        "unknown",
        "fulfillment-1069019890",
        "1069019890",
    )
    assert shipment.shipped_at == datetime(2024, 4, 2, 14, 3, 44, tzinfo=UTC)
    assert (await timeline(client, shop, "1002"))["status"] == "fulfilled"
    customer = (await session.scalars(select(Customer))).one()
    assert customer.email == "foo@example.com"


async def ship(
    client: httpx.AsyncClient, shop: Any, number: str, carrier: str, tracking: str, at: str
) -> None:
    r = await client.put(
        f"/api/v1/orders/{number}",
        json={"createdAt": "2014-11-18T20:00:00Z" if at < "2015" else "2024-07-30T12:00:00Z"},
        headers=shop.headers,
    )
    assert r.status_code in (200, 201), r.text
    r = await client.post(
        f"/api/v1/orders/{number}/shipments",
        json={"carrier": carrier, "trackingNumber": tracking, "shippedAt": at},
        headers=shop.headers,
    )
    assert r.status_code == 201, r.text


async def test_easypost_in_transit_arrives_before_its_shipment_and_is_applied_later(
    client: httpx.AsyncClient, session: AsyncSession, shop: Any
) -> None:
    # tracker_updated_in_transit.json: Event evt_1, FedEx tracking code "1", 7 details.
    r = await easypost(client, shop.id, "tracker_updated_in_transit.json")
    assert r.status_code == 202, r.text
    assert r.json()["status"] == "parked"
    assert len(list(await session.scalars(select(ParkedWebhook)))) == 1

    await ship(client, shop, "5001", "FedEx", "1", "2024-07-31T14:00:00Z")
    shipment = (await session.scalars(select(Shipment))).one()
    events = list(await session.scalars(select(TrackingEvent).order_by(TrackingEvent.occurred_at)))
    assert [(e.occurred_at, e.status, e.description, e.location) for e in events] == [
        (utc("2024-07-31T15:00:00Z"), "info_received", "Shipment information sent to FedEx",
         "32837, US"),
        (utc("2024-07-31T19:27:00Z"), "in_transit", "Picked up", "ORLANDO, FL 32809, US"),
        (utc("2024-07-31T22:35:00Z"), "in_transit", "Arrived at FedEx location",
         "ORLANDO, FL 32809, US"),
        (utc("2024-08-01T14:42:13Z"), "in_transit", "Departed FedEx location",
         "ORLANDO, FL 32809, US"),
        (utc("2024-08-02T02:46:19Z"), "in_transit", "On the way", "KENLY, NC 27542, US"),
        (utc("2024-08-02T18:35:20Z"), "in_transit", "On the way", "EDISON TWP, NJ 08817, US"),
        (utc("2024-08-02T18:50:00Z"), "in_transit", "Arrived at FedEx location",
         "EDISON, NJ 08817, US"),
    ]  # fmt: skip
    assert shipment.status == "in_transit"
    assert shipment.first_scan_at == utc("2024-07-31T19:27:00Z")
    assert shipment.last_event_at == utc("2024-08-02T18:50:00Z")
    assert (shipment.delivered_at, shipment.delivered_local_date) == (None, None)
    assert shipment.estimated_delivery == date(2024, 8, 5)
    assert list(await session.scalars(select(ParkedWebhook))) == []
    body = await timeline(client, shop, "5001")
    assert body["status"] == "in_transit"
    assert body["estimatedDelivery"] == "2024-08-05"


async def test_easypost_delivered_scan_older_than_the_last_scan_is_terminal(
    client: httpx.AsyncClient, session: AsyncSession, shop: Any
) -> None:
    # tracker_updated_delivered.json: EZ4000000004; its "DELIVERED" detail is stamped
    # 2014-11-19T10:51:54Z, before the five scans of 2014-11-21..24 it lists.
    await ship(client, shop, "5002", "UPS", "EZ4000000004", "2014-11-19T08:00:00Z")
    r = await easypost(client, shop.id, "tracker_updated_delivered.json")
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["eventsCreated"]) == ("processed", 6)
    shipment = (await session.scalars(select(Shipment))).one()
    assert shipment.status == "delivered"
    assert shipment.delivered_at == utc("2014-11-19T10:51:54Z")
    assert shipment.delivered_local_date == date(2014, 11, 19)
    assert shipment.last_event_at == utc("2014-11-24T08:10:00Z")
    assert (shipment.estimated_delivery, shipment.original_estimated_delivery) == (
        date(2014, 11, 27),
        date(2014, 11, 27),
    )
    body = await timeline(client, shop, "5002")
    assert body["status"] == "delivered"
    assert body["deliveredOnTime"] is True

    day = (await daily(session, shop.id))[date(2014, 11, 19)]
    # Shipped 08:00Z, delivered 10:51:54Z: 10,314 s, never clamped to zero.
    assert (day["shipments_delivered"], day["transit_seconds_sum"]) == (1, 10_314)
    assert (day["delivered_with_estimate"], day["delivered_on_time"]) == (1, 1)


async def test_easypost_delivery_dated_before_shipping_is_skipped_not_clamped(
    client: httpx.AsyncClient, session: AsyncSession, shop: Any
) -> None:
    # Shipped after the fixture's delivered stamp: that scan cannot be this parcel's delivery.
    await ship(client, shop, "5003", "UPS", "EZ4000000004", "2014-11-20T08:00:00Z")
    r = await easypost(client, shop.id, "tracker_updated_delivered.json")
    assert r.status_code == 200, r.text
    assert r.json()["eventsCreated"] == 5
    assert len(r.json()["skipped"]) == 1 and "before the shipment" in r.json()["skipped"][0]
    shipment = (await session.scalars(select(Shipment))).one()
    assert (shipment.status, shipment.delivered_at) == ("out_for_delivery", None)
    assert all(row["shipments_delivered"] == 0 for row in (await daily(session, shop.id)).values())
