"""AfterShip and EasyPost tracking webhooks, and the provider status table.

Payloads: when `../shared/fixtures/webhooks/{aftership,easypost}/` hold the providers'
published samples, `test_published_samples_are_accepted` posts them. Every other payload is
built from the providers' published formats, with dates and numbers chosen so that each
figure asserted below is worked out by hand:

- AfterShip: the tracking_update sample of "Webhook Specifications"
  (https://www.aftership.com/docs/tracking/webhook/webhook-specifications: event, event_id,
  is_tracking_first_tag, msg = Tracking with checkpoints, ts), the Checkpoint model
  (https://www.aftership.com/docs/tracking/model/checkpoint) and the signature scheme of
  https://www.aftership.com/docs/tracking/webhook/webhook-signature.
- EasyPost: the "Sample Webhook JSON" of https://www.easypost.com/tracking-webhooks (an
  Event whose result is a Tracker with tracking_details), the Tracker fields of
  https://docs.easypost.com/docs/trackers, and the signature of EasyPost's own client
  (`validate_webhook`, easypost-python easypost/util.py).

The store is in America/New_York (UTC-5 until 2026-03-08).
"""

import base64
import hashlib
import hmac
import json
import unicodedata
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core import clock
from app.core.vocab import SHIPMENT_STATUSES
from app.ingestion.tracking_status import (
    AFTERSHIP_SUBTAGS,
    EXCEPTION_REASONS,
    STATUS_TABLE,
    UnknownStatusError,
    map_status,
    provider_statuses,
)
from app.integrations import parking
from app.models import (
    ParkedWebhook,
    Shipment,
    TrackingEvent,
    WebhookDelivery,
    WismoDailyHistogram,
)
from tests.helpers import daily, dims, nonzero
from tests.support import SHARED_DIR

SECRET_A = "trk_secret_store_a_5c1f"
SECRET_B = "trk_secret_store_b_9e2d"
TRACKING = "1Z999AA10123456784"
FIXTURES = SHARED_DIR / "fixtures" / "webhooks"


def url(provider: str, store_id: Any) -> str:
    return f"/api/v1/webhooks/tracking/{provider}?store={store_id}"


def aftership_sign(body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def easypost_sign(body: bytes, secret: str) -> str:
    key = unicodedata.normalize("NFKD", secret).encode("utf-8")
    return "hmac-sha256-hex=" + hmac.new(key, body, hashlib.sha256).hexdigest()


async def post_aftership(
    client: httpx.AsyncClient,
    store_id: Any,
    payload: dict[str, Any] | bytes,
    secret: str = SECRET_A,
    signature: str | None = None,
) -> httpx.Response:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    sig = signature if signature is not None else aftership_sign(body, secret)
    return await client.post(
        url("aftership", store_id),
        content=body,
        headers={
            "Content-Type": "application/json",
            "aftership-hmac-sha256": sig,
            "As-Webhook-Version": "2026-07",
        },
    )


async def post_easypost(
    client: httpx.AsyncClient,
    store_id: Any,
    payload: dict[str, Any] | bytes,
    secret: str = SECRET_A,
    signature: str | None = None,
) -> httpx.Response:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    sig = signature if signature is not None else easypost_sign(body, secret)
    return await client.post(
        url("easypost", store_id),
        content=body,
        headers={"Content-Type": "application/json", "X-Hmac-Signature": sig},
    )


# ---------------------------------------------------------------- payload builders


def checkpoint(
    at: str,
    tag: str,
    subtag: str | None = None,
    message: str = "",
    location: str | None = None,
    created_at: str | None = None,
) -> dict[str, Any]:
    """One AfterShip Checkpoint (fields of the Checkpoint model)."""
    return {
        "slug": "ups",
        "city": None,
        "created_at": created_at or at,
        "location": location,
        "country_name": None,
        "message": message or tag,
        "country_iso3": "USA",
        "tag": tag,
        "subtag": subtag or f"{tag}_001",
        "subtag_message": tag,
        "checkpoint_time": at,
        "coordinates": [],
        "state": None,
        "zip": None,
        "raw_tag": None,
    }


def aftership(
    checkpoints: list[dict[str, Any]],
    *,
    tracking_number: str = TRACKING,
    event_id: str | None = None,
    event: str = "tracking_update",
    tag: str | None = None,
    expected_delivery: str | None = None,
) -> dict[str, Any]:
    """A webhook in the shape of AfterShip's published tracking_update sample."""
    last = max(checkpoints, key=lambda c: c["checkpoint_time"]) if checkpoints else None
    tag = tag or (last["tag"] if last else "Pending")
    return {
        "event": event,
        "event_id": event_id or str(uuid.uuid4()),
        "is_tracking_first_tag": False,
        "msg": {
            "id": "a1b2c3d4e5f60718293a4b5c6d7e8f90",
            "tracking_number": tracking_number,
            "slug": "ups",
            "tag": tag,
            "subtag": f"{tag}_001",
            "subtag_message": tag,
            "title": tracking_number,
            "order_number": "#2001",
            "expected_delivery": expected_delivery,
            "updated_at": "2026-03-05T16:05:00+00:00",
            "checkpoints": checkpoints,
        },
        "ts": 1772726700,
    }


C1 = checkpoint(
    "2026-03-03T20:00:00+00:00", "InTransit", "InTransit_002", "Picked up", "Louisville, KY, US"
)
C2 = checkpoint(
    "2026-03-05T12:00:00+00:00", "OutForDelivery", "OutForDelivery_001", "Out for delivery"
)
C3 = checkpoint("2026-03-05T16:00:00+00:00", "Delivered", "Delivered_001", "Delivered, front door")


def easypost_event(
    details: list[dict[str, Any]],
    *,
    tracking_code: str = TRACKING,
    event_id: str | None = None,
    est_delivery_date: str | None = "2026-03-05T00:00:00Z",
    description: str = "tracker.updated",
) -> dict[str, Any]:
    """An Event in the shape of EasyPost's "Sample Webhook JSON" (tracker.updated)."""
    status = details[-1]["status"] if details else "unknown"
    return {
        "id": event_id or f"evt_{uuid.uuid4().hex}",
        "object": "Event",
        "created_at": "2026-03-06T19:35:00Z",
        "updated_at": "2026-03-06T19:35:00Z",
        "description": description,
        "mode": "test",
        "previous_attributes": {"status": "out_for_delivery"},
        "pending_urls": [],
        "completed_urls": [],
        "result": {
            "id": "trk_Txyy1vaM",
            "object": "Tracker",
            "mode": "test",
            "tracking_code": tracking_code,
            "status": status,
            "status_detail": details[-1].get("status_detail") if details else "unknown",
            "created_at": "2026-03-03T13:00:00Z",
            "updated_at": "2026-03-06T19:35:00Z",
            "signed_by": "John Tester",
            "weight": 17.6,
            "est_delivery_date": est_delivery_date,
            "shipment_id": None,
            "carrier": "UPS",
            "public_url": "https://track.easypost.com/djE7",
            "tracking_details": details,
        },
    }


def detail(
    at: str, status: str, message: str, status_detail: str = "status_update", **where: Any
) -> dict[str, Any]:
    return {
        "object": "TrackingDetail",
        "message": message,
        "description": "",
        "status": status,
        "status_detail": status_detail,
        "datetime": at,
        "source": "UPS",
        "carrier_code": "",
        "tracking_location": {
            "object": "TrackingLocation",
            "city": where.get("city"),
            "state": where.get("state"),
            "country": where.get("country"),
            "zip": where.get("zip"),
        },
    }


EASYPOST_DETAILS = [
    detail("2026-03-03T13:00:00Z", "pre_transit", "BILLING INFORMATION RECEIVED", "label_created"),
    detail(
        "2026-03-03T22:00:00Z",
        "in_transit",
        "ORIGIN SCAN",
        "arrived_at_facility",
        city="LOUISVILLE",
        state="KY",
        country="US",
        zip="40201",
    ),
    detail("2026-03-06T13:00:00Z", "out_for_delivery", "OUT FOR DELIVERY", "out_for_delivery"),
    detail("2026-03-06T19:30:00Z", "delivered", "DELIVERED", "arrived_at_destination"),
]


# ---------------------------------------------------------------- fixtures and helpers


@pytest.fixture
async def store_a(make_store: Any) -> Any:
    return await make_store("Tracking A", "America/New_York", tracking_secret=SECRET_A)


@pytest.fixture
async def store_b(make_store: Any) -> Any:
    return await make_store("Tracking B", "America/New_York", tracking_secret=SECRET_B)


async def ship(
    client: httpx.AsyncClient,
    store: Any,
    *,
    number: str = "2001",
    tracking: str = TRACKING,
    created: str = "2026-03-02T14:00:00Z",
    shipped: str = "2026-03-03T14:00:00Z",
    estimate: str | None = "2026-03-06",
) -> str:
    r = await client.put(
        f"/api/v1/orders/{number}", json={"createdAt": created}, headers=store.headers
    )
    assert r.status_code in (200, 201), r.text
    body: dict[str, Any] = {"carrier": "UPS", "trackingNumber": tracking, "shippedAt": shipped}
    if estimate:
        body["estimatedDelivery"] = estimate
    r = await client.post(f"/api/v1/orders/{number}/shipments", json=body, headers=store.headers)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def shipment_of(session: AsyncSession, store_id: Any, tracking: str = TRACKING) -> Shipment:
    shipment = (
        await session.scalars(
            select(Shipment).where(
                Shipment.store_id == store_id, Shipment.tracking_number == tracking
            )
        )
    ).one()
    await session.refresh(shipment)
    return shipment


async def count(session: AsyncSession, model: Any, store_id: Any) -> int:
    stmt = select(func.count()).select_from(model).where(model.store_id == store_id)
    return int(await session.scalar(stmt) or 0)


async def histograms(session: AsyncSession, store_id: Any) -> set[tuple[Any, ...]]:
    table = WismoDailyHistogram.__table__
    rows = await session.execute(select(table).where(table.c.store_id == store_id))
    return {
        tuple(v for k, v in row._mapping.items() if k != "store_id") for row in rows if row.count
    }


async def rollups(session: AsyncSession, store_id: Any) -> tuple[Any, ...]:
    return (
        await daily(session, store_id),
        await dims(session, store_id),
        await histograms(session, store_id),
    )


# ---------------------------------------------------------------- the status table


EXPECTED = {
    # The brief's lists, each provider status with the canonical status it must map to.
    ("aftership", "Pending"): "pending",
    ("aftership", "InfoReceived"): "info_received",
    ("aftership", "InTransit"): "in_transit",
    ("aftership", "OutForDelivery"): "out_for_delivery",
    ("aftership", "AttemptFail"): "failed_attempt",
    ("aftership", "AvailableForPickup"): "available_for_pickup",
    ("aftership", "Delivered"): "delivered",
    ("aftership", "Exception"): "exception",
    ("aftership", "Expired"): "expired",
    ("easypost", "pre_transit"): "info_received",
    ("easypost", "in_transit"): "in_transit",
    ("easypost", "out_for_delivery"): "out_for_delivery",
    ("easypost", "delivered"): "delivered",
    ("easypost", "available_for_pickup"): "available_for_pickup",
    ("easypost", "return_to_sender"): "returned",
    ("easypost", "failure"): "exception",
    ("easypost", "cancelled"): "exception",
    ("easypost", "error"): "exception",
    ("easypost", "unknown"): "pending",
    ("shopify", "label_printed"): "info_received",
    ("shopify", "label_purchased"): "info_received",
    ("shopify", "attempted_delivery"): "failed_attempt",
    ("shopify", "ready_for_pickup"): "available_for_pickup",
    ("shopify", "confirmed"): "pending",
    ("shopify", "in_transit"): "in_transit",
    ("shopify", "out_for_delivery"): "out_for_delivery",
    ("shopify", "delivered"): "delivered",
    ("shopify", "failure"): "exception",
}


def test_status_table_maps_every_published_status() -> None:
    for (provider, status), canonical in EXPECTED.items():
        assert map_status(provider, status).status == canonical, (provider, status)  # type: ignore[arg-type]
    for mapping in [*STATUS_TABLE.values(), *AFTERSHIP_SUBTAGS.values()]:
        assert mapping.status in SHIPMENT_STATUSES
        needs_reason = mapping.status in ("exception", "failed_attempt", "returned")
        assert (mapping.reason is not None) == needs_reason, mapping
        assert mapping.reason is None or mapping.reason in EXCEPTION_REASONS
    # Every canonical status is reachable from some provider.
    reachable = {m.status for m in STATUS_TABLE.values()} | {
        m.status for m in AFTERSHIP_SUBTAGS.values()
    }
    assert reachable == set(SHIPMENT_STATUSES)
    assert set(provider_statuses("aftership")) == {s for p, s in EXPECTED if p == "aftership"}


def test_subtags_and_details_refine_the_reason() -> None:
    # AfterShip Exception_001..013 (the published sub-statuses) all map.
    for n in range(1, 14):
        assert f"Exception_{n:03d}" in AFTERSHIP_SUBTAGS
    assert map_status("aftership", "Exception", "Exception_004").reason == "customs"
    assert map_status("aftership", "Exception", "Exception_013").reason == "lost"
    assert map_status("aftership", "Exception", "Exception_011").status == "returned"
    assert map_status("aftership", "AttemptFail", "AttemptFail_002").reason == (
        "recipient_unavailable"
    )
    # A subtag of another tag, or an unknown one, falls back to the tag.
    assert map_status("aftership", "InTransit", "Exception_004").status == "in_transit"
    assert map_status("aftership", "Exception", "Exception_099").reason == "unspecified"
    # EasyPost: status_detail names the reason of a failure only.
    assert map_status("easypost", "failure", "weather_delay").reason == "weather"
    assert map_status("easypost", "failure", "refused").reason == "refused"
    assert map_status("easypost", "in_transit", "weather_delay").status == "in_transit"
    assert map_status("easypost", "return_to_sender", "return").reason == "returned_to_sender"
    assert map_status("shopify", "IN_TRANSIT").status == "in_transit"  # GraphQL spelling
    with pytest.raises(UnknownStatusError):
        map_status("easypost", "teleported")


# ---------------------------------------------------------------- AfterShip


async def test_aftership_events_are_stored_with_exact_rollups(
    client: httpx.AsyncClient, session: AsyncSession, store_a: Any
) -> None:
    await ship(client, store_a)
    r = await post_aftership(client, store_a.id, aftership([C1, C2, C3], event_id="as-evt-1"))
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "processed" and r.json()["eventsCreated"] == 3

    shipment = await shipment_of(session, store_a.id)
    assert shipment.status == "delivered"
    assert shipment.delivered_at == datetime(2026, 3, 5, 16, 0, tzinfo=UTC)
    assert shipment.delivered_local_date == date(2026, 3, 5)
    events = list(
        await session.scalars(
            select(TrackingEvent)
            .where(TrackingEvent.store_id == store_a.id)
            .order_by(TrackingEvent.occurred_at)
        )
    )
    assert [e.status for e in events] == ["in_transit", "out_for_delivery", "delivered"]
    assert events[0].location == "Louisville, KY, US" and events[0].subtag == "InTransit_002"
    assert events[0].description == "Picked up"

    rows = await daily(session, store_a.id)
    assert nonzero(rows[date(2026, 3, 2)]) == {"total_orders": 1}
    # Shipped 2026-03-03 09:00 local, 24 h after the order; first scan 6 h later.
    assert nonzero(rows[date(2026, 3, 3)]) == {
        "shipments_shipped": 1,
        "time_to_ship_count": 1,
        "time_to_ship_seconds_sum": 86_400,
        "pickup_count": 1,
        "pickup_seconds_sum": 21_600,
    }
    # Delivered 2026-03-05 11:00 local: 2 d 2 h after shipping, 44 h after the first scan,
    # before the estimate of 2026-03-06.
    assert nonzero(rows[date(2026, 3, 5)]) == {
        "shipments_delivered": 1,
        "delivered_with_estimate": 1,
        "delivered_on_time": 1,
        "transit_seconds_sum": 180_000,
        "carrier_transit_count": 1,
        "carrier_transit_seconds_sum": 158_400,
    }
    assert await count(session, WebhookDelivery, store_a.id) == 1


async def test_aftership_out_of_order_equals_in_order(
    client: httpx.AsyncClient, session: AsyncSession, store_a: Any, store_b: Any
) -> None:
    await ship(client, store_a)
    await ship(client, store_b)
    # Store B hears of the parcel in order; store A hears of the delivery first.
    r = await post_aftership(client, store_b.id, aftership([C1, C2, C3]), secret=SECRET_B)
    assert r.status_code == 200, r.text
    for one in ([C3], [C1], [C2]):
        r = await post_aftership(client, store_a.id, aftership(one))
        assert r.status_code == 200 and r.json()["eventsCreated"] == 1, r.text
        assert (await shipment_of(session, store_a.id)).status == "delivered"

    a, b = await shipment_of(session, store_a.id), await shipment_of(session, store_b.id)
    for field in ("status", "delivered_at", "first_scan_at", "last_event_at", "estimated_delivery"):
        assert getattr(a, field) == getattr(b, field), field
    assert a.delivered_at == datetime(2026, 3, 5, 16, 0, tzinfo=UTC)
    assert await rollups(session, store_a.id) == await rollups(session, store_b.id)

    # A stale webhook (only the first scan, and an older estimate) changes nothing.
    before = await rollups(session, store_a.id)
    stale = aftership([C1], tag="InTransit", expected_delivery="2026-03-09")
    r = await post_aftership(client, store_a.id, stale)
    assert r.status_code == 200 and r.json()["eventsExisting"] == 1
    a = await shipment_of(session, store_a.id)
    assert a.status == "delivered" and a.estimated_delivery == date(2026, 3, 6)
    assert await rollups(session, store_a.id) == before


async def test_aftership_repeated_event_changes_nothing(
    client: httpx.AsyncClient, session: AsyncSession, store_a: Any
) -> None:
    await ship(client, store_a)
    payload = aftership([C1, C2], event_id="as-evt-dup")
    assert (await post_aftership(client, store_a.id, payload)).status_code == 200
    before = (await rollups(session, store_a.id), await count(session, TrackingEvent, store_a.id))
    # The same event again -- even with a body that now says delivered -- is a duplicate.
    again = aftership([C1, C2, C3], event_id="as-evt-dup")
    for body in (payload, again):
        r = await post_aftership(client, store_a.id, body)
        assert r.status_code == 200 and r.json()["status"] == "duplicate", r.text
    after = (await rollups(session, store_a.id), await count(session, TrackingEvent, store_a.id))
    assert after == before
    assert (await shipment_of(session, store_a.id)).status == "out_for_delivery"
    # A new event carrying the same checkpoints stores no checkpoint twice.
    r = await post_aftership(client, store_a.id, aftership([C1, C2]))
    assert r.json()["eventsExisting"] == 2 and r.json()["eventsCreated"] == 0
    assert await count(session, TrackingEvent, store_a.id) == 2


async def test_aftership_bad_signature_is_401_and_stores_nothing(
    client: httpx.AsyncClient, session: AsyncSession, store_a: Any
) -> None:
    await ship(client, store_a)
    before = await rollups(session, store_a.id)
    body = json.dumps(aftership([C1, C2, C3])).encode()
    for r in (
        await post_aftership(client, store_a.id, body, secret="wrong"),
        await post_aftership(client, store_a.id, body, signature=""),
        await post_aftership(
            client,
            store_a.id,
            body.replace(b"Delivered", b"Exception"),
            signature=aftership_sign(body, SECRET_A),
        ),
        # EasyPost's header and scheme do not authenticate an AfterShip delivery.
        await client.post(
            url("aftership", store_a.id),
            content=body,
            headers={"X-Hmac-Signature": easypost_sign(body, SECRET_A)},
        ),
    ):
        assert r.status_code == 401, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
    assert await count(session, TrackingEvent, store_a.id) == 0
    assert await count(session, WebhookDelivery, store_a.id) == 0
    assert (await shipment_of(session, store_a.id)).status == "pending"
    assert await rollups(session, store_a.id) == before


async def test_exception_subtag_and_naive_checkpoint_time(
    client: httpx.AsyncClient, session: AsyncSession, store_a: Any
) -> None:
    await ship(client, store_a)
    # Customs hold, stamped in the carrier's local time without an offset (09:00 in
    # Singapore); AfterShip recorded it at 01:05Z, so it cannot be later than that.
    customs = checkpoint(
        "2026-03-04T09:00:00",
        "Exception",
        "Exception_004",
        "Held by customs",
        created_at="2026-03-04T01:05:00+00:00",
    )
    r = await post_aftership(client, store_a.id, aftership([C1, customs]))
    assert r.status_code == 200 and r.json()["eventsCreated"] == 2, r.text
    event = (
        await session.scalars(
            select(TrackingEvent).where(
                TrackingEvent.store_id == store_a.id, TrackingEvent.status == "exception"
            )
        )
    ).one()
    assert event.occurred_at == datetime(2026, 3, 4, 1, 5, tzinfo=UTC)
    assert event.subtag == "customs"
    shipment = await shipment_of(session, store_a.id)
    assert shipment.status == "exception" and shipment.exception_reason == "customs"
    assert (await daily(session, store_a.id))[date(2026, 3, 3)]["shipments_with_exception"] == 1
    key = (date(2026, 3, 3), "exception_reason", "customs")
    assert (await dims(session, store_a.id))[key]["shipments_with_exception"] == 1

    # A checkpoint stamped in the future is bad data: skipped and reported, not stored.
    future = (clock.now() + timedelta(days=2)).isoformat()
    r = await post_aftership(client, store_a.id, aftership([checkpoint(future, "Delivered")]))
    assert r.status_code == 200 and r.json()["eventsCreated"] == 0
    assert "in the future" in r.json()["skipped"][0]
    assert (await shipment_of(session, store_a.id)).status == "exception"


@pytest.mark.parametrize(
    ("tag", "subtag", "expected"),
    [
        ("InfoReceived", "InfoReceived_001", "info_received"),
        ("InTransit", "InTransit_007", "in_transit"),
        ("OutForDelivery", "OutForDelivery_003", "out_for_delivery"),
        ("AttemptFail", "AttemptFail_003", "failed_attempt"),
        ("AvailableForPickup", "AvailableForPickup_001", "available_for_pickup"),
        ("Delivered", "Delivered_002", "delivered"),
        ("Exception", "Exception_012", "exception"),
        ("Exception", "Exception_010", "returned"),
        ("Expired", "Expired_001", "expired"),
        ("Pending", "Pending_001", "pending"),
    ],
)
async def test_every_aftership_tag_through_the_webhook(
    client: httpx.AsyncClient,
    session: AsyncSession,
    store_a: Any,
    tag: str,
    subtag: str,
    expected: str,
) -> None:
    await ship(client, store_a)
    cp = checkpoint("2026-03-04T10:00:00+00:00", tag, subtag)
    r = await post_aftership(client, store_a.id, aftership([cp]))
    assert r.status_code == 200 and r.json()["eventsCreated"] == 1, r.text
    assert (await shipment_of(session, store_a.id)).status == expected


async def test_edd_revise_moves_the_estimate_not_the_original(
    client: httpx.AsyncClient, session: AsyncSession, store_a: Any
) -> None:
    await ship(client, store_a)
    await post_aftership(client, store_a.id, aftership([C1]))
    payload = aftership([C1], event="edd_revise")
    payload["msg"]["latest_estimated_delivery"] = {
        "type": "specific",
        "source": "Carrier provided EDD",
        "datetime": "2026-03-07",
        "datetime_min": None,
        "datetime_max": None,
    }
    r = await post_aftership(client, store_a.id, payload)
    assert r.status_code == 200, r.text
    shipment = await shipment_of(session, store_a.id)
    assert shipment.estimated_delivery == date(2026, 3, 7)
    assert shipment.original_estimated_delivery == date(2026, 3, 6)


# ---------------------------------------------------------------- store identification


async def test_tracking_webhooks_name_their_store(
    client: httpx.AsyncClient, session: AsyncSession, store_a: Any, make_store: Any
) -> None:
    await ship(client, store_a)
    body = json.dumps(aftership([C1])).encode()
    headers = {"aftership-hmac-sha256": aftership_sign(body, SECRET_A)}
    for target in (
        url("aftership", uuid.uuid4()),
        url("aftership", "not-a-uuid"),
        "/api/v1/webhooks/tracking/aftership",
    ):
        r = await client.post(target, content=body, headers=headers)
        assert r.status_code == 404, (target, r.text)
    r = await client.post(url("fedex", store_a.id), content=body, headers=headers)
    assert r.status_code == 422
    # A store without a tracking secret cannot authenticate anything.
    bare = await make_store("No Secret", "UTC")
    r = await client.post(url("aftership", bare.id), content=body, headers=headers)
    assert r.status_code == 401
    assert await count(session, TrackingEvent, store_a.id) == 0


async def test_second_store_isolation(
    client: httpx.AsyncClient, session: AsyncSession, store_a: Any, store_b: Any
) -> None:
    await ship(client, store_a)
    payload = aftership([C1, C2, C3])
    # Signed with A's secret, sent to B's URL: B's secret does not verify it.
    r = await post_aftership(client, store_b.id, payload, secret=SECRET_A)
    assert r.status_code == 401
    # Properly signed for B: B does not know A's tracking number, and A is untouched.
    r = await post_aftership(client, store_b.id, payload, secret=SECRET_B)
    assert r.status_code == 202 and r.json()["status"] == "parked"
    r = await post_easypost(client, store_b.id, easypost_event(EASYPOST_DETAILS), secret=SECRET_B)
    assert r.status_code == 202 and r.json()["status"] == "parked"
    assert await count(session, TrackingEvent, store_a.id) == 0
    assert await count(session, ParkedWebhook, store_a.id) == 0
    assert await count(session, ParkedWebhook, store_b.id) == 2
    assert (await shipment_of(session, store_a.id)).status == "pending"


async def test_unknown_tracking_number_is_parked_and_applied_when_the_shipment_arrives(
    client: httpx.AsyncClient, session: AsyncSession, store_a: Any
) -> None:
    await ship(client, store_a)
    early = aftership([C1, C2], tracking_number="1ZLATE0000000001")
    r = await post_aftership(client, store_a.id, early)
    assert r.status_code == 202, r.text
    assert r.json()["status"] == "parked"
    assert await count(session, TrackingEvent, store_a.id) == 0
    assert await count(session, ParkedWebhook, store_a.id) == 1
    delivery = (await session.scalars(select(WebhookDelivery))).one()
    assert delivery.outcome == "parked"

    # The shipment arrives by another path (the REST API), with the number in lower case.
    await ship(client, store_a, number="2002", tracking="1zlate0000000001", estimate=None)
    late = await shipment_of(session, store_a.id, "1zlate0000000001")
    events = list(
        await session.scalars(
            select(TrackingEvent)
            .where(TrackingEvent.shipment_id == late.id)
            .order_by(TrackingEvent.occurred_at)
        )
    )
    assert [(e.status, e.occurred_at) for e in events] == [
        ("in_transit", datetime(2026, 3, 3, 20, 0, tzinfo=UTC)),
        ("out_for_delivery", datetime(2026, 3, 5, 12, 0, tzinfo=UTC)),
    ]
    assert late.status == "out_for_delivery"
    assert await count(session, ParkedWebhook, store_a.id) == 0
    # Applied once: the same payload again is a duplicate delivery.
    r = await post_aftership(client, store_a.id, early)
    assert r.json()["status"] == "duplicate"


async def test_parked_payloads_expire(
    client: httpx.AsyncClient, session: AsyncSession, store_a: Any
) -> None:
    r = await post_aftership(client, store_a.id, aftership([C1], tracking_number="1ZNEVER"))
    assert r.json()["status"] == "parked"
    parked = (await session.scalars(select(ParkedWebhook))).one()
    assert parked.expires_at - parked.received_at == timedelta(days=parking.PARK_DAYS)
    assert await parking.purge_expired(session, parked.expires_at - timedelta(seconds=1)) == 0
    assert await parking.purge_expired(session, parked.expires_at) == 1
    assert await count(session, ParkedWebhook, store_a.id) == 0


async def test_easypost_event_without_a_tracker_is_acknowledged_and_recorded(
    client: httpx.AsyncClient, session: AsyncSession, store_a: Any
) -> None:
    event = {"id": "evt_no_result", "object": "Event", "description": "tracker.updated"}
    r = await post_easypost(client, store_a.id, event)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "ignored"
    delivery = (await session.scalars(select(WebhookDelivery))).one()
    assert (delivery.delivery_id, delivery.outcome) == ("evt_no_result", "ignored")
    r = await post_easypost(client, store_a.id, event)
    assert r.status_code == 200 and r.json()["status"] == "duplicate"


# ---------------------------------------------------------------- EasyPost


async def test_easypost_tracker_updated_with_exact_rollups(
    client: httpx.AsyncClient, session: AsyncSession, store_a: Any
) -> None:
    await ship(client, store_a, estimate=None)
    r = await post_easypost(client, store_a.id, easypost_event(EASYPOST_DETAILS, event_id="evt_1"))
    assert r.status_code == 200, r.text
    assert r.json()["eventsCreated"] == 4

    shipment = await shipment_of(session, store_a.id)
    assert shipment.status == "delivered"
    assert shipment.delivered_at == datetime(2026, 3, 6, 19, 30, tzinfo=UTC)
    # est_delivery_date "2026-03-05T00:00:00Z" is the carrier's date: 2026-03-05.
    assert shipment.estimated_delivery == date(2026, 3, 5)
    assert shipment.original_estimated_delivery == date(2026, 3, 5)
    scan = (
        await session.scalars(
            select(TrackingEvent).where(
                TrackingEvent.store_id == store_a.id, TrackingEvent.status == "in_transit"
            )
        )
    ).one()
    assert scan.location == "LOUISVILLE, KY 40201, US" and scan.description == "ORIGIN SCAN"

    rows = await daily(session, store_a.id)
    # Label created before shipping is not a carrier scan; the origin scan is, 8 h after.
    assert nonzero(rows[date(2026, 3, 3)]) == {
        "shipments_shipped": 1,
        "time_to_ship_count": 1,
        "time_to_ship_seconds_sum": 86_400,
        "pickup_count": 1,
        "pickup_seconds_sum": 28_800,
    }
    # Delivered 2026-03-06 14:30 local, a day after the estimate: late.
    assert nonzero(rows[date(2026, 3, 6)]) == {
        "shipments_delivered": 1,
        "delivered_with_estimate": 1,
        "transit_seconds_sum": 279_000,
        "carrier_transit_count": 1,
        "carrier_transit_seconds_sum": 250_200,
    }


async def test_easypost_signature_scheme(
    client: httpx.AsyncClient, session: AsyncSession, make_store: Any
) -> None:
    # EasyPost normalises the secret with NFKD before keying the HMAC: "ﬁ" (one ligature
    # character) signs like "fi", and "é" like "e" + combining accent.
    secret = "caf\u00e9-\ufb01le-secret"
    store = await make_store("Unicode", "America/New_York", tracking_secret=secret)
    await ship(client, store)
    body = json.dumps(easypost_event(EASYPOST_DETAILS[:2])).encode()
    raw_key = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    good = easypost_sign(body, secret)
    assert good != "hmac-sha256-hex=" + raw_key  # normalisation matters for this secret
    for bad in (
        "hmac-sha256-hex=" + raw_key,
        good.removeprefix("hmac-sha256-hex="),
        good.replace("hmac-sha256-hex=", "sha256="),
        easypost_sign(body, "another-secret"),
        aftership_sign(body, secret),
    ):
        r = await post_easypost(client, store.id, body, signature=bad)
        assert r.status_code == 401, (bad, r.text)
    assert await count(session, TrackingEvent, store.id) == 0
    r = await post_easypost(client, store.id, body, signature=good)
    assert r.status_code == 200 and r.json()["eventsCreated"] == 2, r.text


async def test_easypost_failure_reason_return_and_duplicate(
    client: httpx.AsyncClient, session: AsyncSession, store_a: Any
) -> None:
    await ship(client, store_a)
    details = [
        *EASYPOST_DETAILS[:2],
        detail("2026-03-04T15:00:00Z", "failure", "WEATHER DELAY", "weather_delay"),
    ]
    payload = easypost_event(details, event_id="evt_weather")
    r = await post_easypost(client, store_a.id, payload)
    assert r.status_code == 200, r.text
    shipment = await shipment_of(session, store_a.id)
    assert shipment.status == "exception" and shipment.exception_reason == "weather"
    before = (await rollups(session, store_a.id), await count(session, TrackingEvent, store_a.id))

    r = await post_easypost(client, store_a.id, payload)  # EasyPost retries the same Event
    assert r.status_code == 200 and r.json()["status"] == "duplicate"
    assert (
        await rollups(session, store_a.id),
        await count(session, TrackingEvent, store_a.id),
    ) == before

    returned = [*details, detail("2026-03-05T10:00:00Z", "return_to_sender", "RETURNING", "return")]
    r = await post_easypost(client, store_a.id, easypost_event(returned))
    assert r.status_code == 200 and r.json()["eventsCreated"] == 1
    shipment = await shipment_of(session, store_a.id)
    assert shipment.status == "returned"
    key = (date(2026, 3, 3), "exception_reason", "weather")
    assert (await dims(session, store_a.id))[key]["shipments_with_exception"] == 1

    # Other event types are acknowledged and ignored.
    r = await post_easypost(client, store_a.id, easypost_event([], description="batch.updated"))
    assert r.status_code == 200 and r.json()["status"] == "ignored"


# ---------------------------------------------------------------- published samples


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _published(provider: str) -> list[dict[str, Any]]:
    folder = FIXTURES / provider
    if not folder.is_dir():
        return []
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]


async def test_published_samples_are_accepted(
    client: httpx.AsyncClient, session: AsyncSession, make_store: Any
) -> None:
    """Each provider's published sample (from ../shared/fixtures when present, else ours)."""
    samples = [("aftership", p) for p in _published("aftership")] or [
        ("aftership", aftership([C1, C2, C3]))
    ]
    samples += [("easypost", p) for p in _published("easypost")] or [
        ("easypost", easypost_event(EASYPOST_DETAILS))
    ]
    for index, (provider, payload) in enumerate(samples):
        store = await make_store(f"Sample {index}", "UTC", tracking_secret=SECRET_A)
        if provider == "aftership":
            msg = payload["msg"]
            number, times = (
                msg["tracking_number"],
                [c["checkpoint_time"] for c in msg["checkpoints"]],
            )
        else:
            result = payload["result"]
            number, times = (
                result["tracking_code"],
                [d["datetime"] for d in result["tracking_details"]],
            )
        first = min(_utc(datetime.fromisoformat(t.replace("Z", "+00:00"))) for t in times)
        await ship(
            client,
            store,
            tracking=number,
            created=(first - timedelta(days=2)).isoformat(),
            shipped=(first - timedelta(days=1)).isoformat(),
            estimate=None,
        )
        post = post_aftership if provider == "aftership" else post_easypost
        r = await post(client, store.id, payload)
        assert r.status_code == 200, (provider, r.text)
        assert r.json()["eventsCreated"] == len(times), r.text
        assert await count(session, TrackingEvent, store.id) == len(times)
