"""REST ingestion: every figure below is worked out by hand from the chosen timestamps.

The store is in America/New_York (UTC-5 in winter, UTC-4 in summer).
"""

from datetime import date
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import OrderInquiry, TrackingEvent
from tests.helpers import daily, dims, nonzero


async def _order(
    client: httpx.AsyncClient, store: Any, number: str, created: str, **extra: Any
) -> httpx.Response:
    return await client.put(
        f"/api/v1/orders/{number}", json={"createdAt": created, **extra}, headers=store.headers
    )


async def test_order_local_date_uses_store_timezone_and_upsert_is_idempotent(
    client: httpx.AsyncClient, session: AsyncSession, store: Any
) -> None:
    # 2026-03-02T03:30Z is 2026-03-01 22:30 in New York: the order belongs to March 1st.
    r = await _order(client, store, "1001", "2026-03-02T03:30:00Z", total="49.90", currency="USD")
    assert r.status_code == 201, r.text
    assert r.json()["localDate"] == "2026-03-01"
    again = await _order(client, store, "1001", "2026-03-02T03:30:00Z", total="49.90")
    assert again.status_code == 200 and again.json()["id"] == r.json()["id"]
    rows = await daily(session, store.id)
    assert rows[date(2026, 3, 1)]["total_orders"] == 1
    assert date(2026, 3, 2) not in rows

    # Correcting the order time moves the order to the new local day, exactly once.
    await _order(client, store, "1001", "2026-03-02T15:00:00Z")
    rows = await daily(session, store.id)
    assert rows[date(2026, 3, 1)]["total_orders"] == 0
    assert rows[date(2026, 3, 2)]["total_orders"] == 1


async def test_shipment_and_out_of_order_events(
    client: httpx.AsyncClient, session: AsyncSession, store: Any
) -> None:
    await _order(client, store, "2001", "2026-03-02T14:00:00Z", promisedDeliveryDate="2026-03-06")
    r = await client.post(
        "/api/v1/orders/2001/shipments",
        json={
            "carrier": "ups",
            "trackingNumber": "1Z999AA10123456784",
            "shippedAt": "2026-03-03T14:00:00Z",  # 24 h after the order
            "estimatedDelivery": "2026-03-05",
        },
        headers=store.headers,
    )
    assert r.status_code == 201, r.text
    shipment = r.json()
    assert shipment["carrier"] == "UPS" and shipment["status"] == "pending"
    sid = shipment["id"]
    url = f"/api/v1/shipments/{sid}/events"

    async def event(at: str, status: str, event_id: str, **extra: Any) -> httpx.Response:
        return await client.post(
            url,
            json={"occurredAt": at, "status": status, "eventId": event_id, **extra},
            headers=store.headers,
        )

    # Delivered arrives first (2026-03-05 16:00Z = 11:00 local), the earlier scans later.
    assert (await event("2026-03-05T16:00:00Z", "delivered", "e3")).json()[
        "shipmentStatus"
    ] == "delivered"
    r = await event("2026-03-03T20:00:00Z", "in_transit", "e1", location="Louisville, KY")
    assert r.status_code == 201 and r.json()["shipmentStatus"] == "delivered"  # never moved back
    await event("2026-03-05T12:00:00Z", "out_for_delivery", "e2")
    again = await event("2026-03-03T20:00:00Z", "in_transit", "e1", location="Louisville, KY")
    assert again.status_code == 200 and again.json()["created"] is False
    count = await session.scalar(select(func.count()).select_from(TrackingEvent))
    assert count == 3

    rows = await daily(session, store.id)
    shipped = nonzero(rows[date(2026, 3, 3)])
    assert shipped == {
        "shipments_shipped": 1,
        "time_to_ship_count": 1,
        "time_to_ship_seconds_sum": 24 * 3600,
        "pickup_count": 1,
        "pickup_seconds_sum": 6 * 3600,  # 14:00Z -> first scan 20:00Z
    }
    delivered = nonzero(rows[date(2026, 3, 5)])
    assert delivered == {
        "shipments_delivered": 1,
        "delivered_with_estimate": 1,
        "delivered_on_time": 1,  # delivered 03-05 local, estimate 03-05
        "transit_seconds_sum": 2 * 24 * 3600 + 2 * 3600,  # 03-03 14:00Z -> 03-05 16:00Z
        "carrier_transit_count": 1,
        "carrier_transit_seconds_sum": 44 * 3600,  # first scan 03-03 20:00Z -> delivered
    }
    carrier = nonzero((await dims(session, store.id))[(date(2026, 3, 5), "carrier", "UPS")])
    assert carrier["shipments_delivered"] == 1 and carrier["delivered_on_time"] == 1


async def test_exception_counts_once_with_its_reason(
    client: httpx.AsyncClient, session: AsyncSession, store: Any
) -> None:
    await _order(client, store, "3001", "2026-03-02T14:00:00Z")
    sid = (
        await client.post(
            "/api/v1/orders/3001/shipments",
            json={
                "carrier": "FedEx",
                "trackingNumber": "7777",
                "shippedAt": "2026-03-02T18:00:00Z",
            },
            headers=store.headers,
        )
    ).json()["id"]
    for i, (at, status, subtag) in enumerate(
        [
            ("2026-03-03T10:00:00Z", "in_transit", None),
            ("2026-03-04T10:00:00Z", "exception", "weather_delay"),
            ("2026-03-04T18:00:00Z", "failed_attempt", "recipient_unavailable"),
        ]
    ):
        await client.post(
            f"/api/v1/shipments/{sid}/events",
            json={"occurredAt": at, "status": status, "subtag": subtag, "eventId": str(i)},
            headers=store.headers,
        )
    rows = await daily(session, store.id)
    assert rows[date(2026, 3, 2)]["shipments_with_exception"] == 1
    d = await dims(session, store.id)
    reasons = {
        k[2]: v["shipments_with_exception"]
        for k, v in d.items()
        if k[1] == "exception_reason" and v["shipments_with_exception"]
    }
    assert reasons == {"recipient_unavailable": 1}  # the latest reason


async def test_inquiries_repeats_and_first_contact_resolution(
    client: httpx.AsyncClient, session: AsyncSession, store: Any
) -> None:
    await _order(client, store, "4001", "2026-03-01T15:00:00Z", customerEmail="kim@example.com")

    async def inquiry(created: str, **extra: Any) -> dict[str, Any]:
        r = await client.post(
            "/api/v1/inquiries",
            json={
                "orderNumber": "4001",
                "inquiryType": "status",
                "channel": "email",
                "createdAt": created,
                **extra,
            },
            headers=store.headers,
        )
        assert r.status_code == 201, r.text
        return r.json()

    # Inquiry 1: 2026-03-02 15:00Z (10:00 local, Monday), answered after 30 min, resolved after 2 h.
    first = await inquiry(
        "2026-03-02T15:00:00Z",
        firstResponseAt="2026-03-02T15:30:00Z",
        resolvedAt="2026-03-02T17:00:00Z",
        rating=5,
        effortScore=2,
    )
    assert first["orderStatus"] == "unfulfilled" and first["isRepeat"] is False
    rows = await daily(session, store.id)
    assert rows[date(2026, 3, 2)]["first_contact_resolved"] == 1

    # Inquiry 2 three days later on the same order: a repeat, which spoils inquiry 1's FCR.
    second = await inquiry(
        "2026-03-05T15:00:00Z", resolvedAt="2026-03-05T15:10:00Z", escalated=True
    )
    assert second["isRepeat"] is True
    rows = await daily(session, store.id)
    day1 = nonzero(rows[date(2026, 3, 2)])
    assert day1 == {
        "total_inquiries": 1,
        "resolved_inquiries": 1,
        "resolution_seconds_sum": 7200,
        "first_response_count": 1,
        "first_response_seconds_sum": 1800,
        "rating_count": 1,
        "rating_sum": 5,
        "satisfied_count": 1,
        "effort_count": 1,
        "effort_sum": 2,
        "avg_resolution_time": 7200.0,
        "satisfaction_score": Decimal("5.00"),
    }
    day2 = nonzero(rows[date(2026, 3, 5)])
    assert day2 == {
        "total_inquiries": 1,
        "repeat_inquiries": 1,
        "escalated_inquiries": 1,
        "resolved_inquiries": 1,
        "resolution_seconds_sum": 600,
        "avg_resolution_time": 600.0,
    }

    # A backfilled inquiry eight days before inquiry 1 is outside its window: nothing changes
    # for inquiry 1, and the backfilled one is not a repeat.
    old = await inquiry("2026-02-22T15:00:00Z")
    assert old["isRepeat"] is False

    d = await dims(session, store.id)
    assert d[(date(2026, 3, 2), "hour_of_week", "0:10")]["total_inquiries"] == 1  # Monday 10:00
    assert d[(date(2026, 3, 2), "channel", "email")]["total_inquiries"] == 1
    assert d[(date(2026, 3, 5), "order_status", "unfulfilled")]["repeat_inquiries"] == 1


async def test_backfilled_inquiry_in_between_turns_the_later_one_into_a_repeat(
    client: httpx.AsyncClient, session: AsyncSession, store: Any
) -> None:
    await _order(client, store, "5001", "2026-03-01T15:00:00Z")
    base = {"orderNumber": "5001", "inquiryType": "tracking", "channel": "chat"}
    later = (
        await client.post(
            "/api/v1/inquiries",
            json={**base, "createdAt": "2026-03-10T15:00:00Z"},
            headers=store.headers,
        )
    ).json()
    assert later["isRepeat"] is False
    earlier = (
        await client.post(
            "/api/v1/inquiries",
            json={
                **base,
                "createdAt": "2026-03-06T15:00:00Z",
                "resolvedAt": "2026-03-06T16:00:00Z",
            },
            headers=store.headers,
        )
    ).json()
    assert earlier["isRepeat"] is False
    row = await session.get(OrderInquiry, (store.id, __import__("uuid").UUID(later["id"])))
    assert row is not None and row.is_repeat is True
    rows = await daily(session, store.id)
    assert rows[date(2026, 3, 10)]["repeat_inquiries"] == 1
    assert rows[date(2026, 3, 6)]["resolved_inquiries"] == 1
    assert rows[date(2026, 3, 6)]["first_contact_resolved"] == 0  # followed up 4 days later


async def test_inquiry_retry_with_external_id_is_idempotent_and_resolve_twice_is_a_retry(
    client: httpx.AsyncClient, session: AsyncSession, store: Any
) -> None:
    body = {
        "inquiryType": "refund",
        "channel": "phone",
        "createdAt": "2026-03-02T15:00:00Z",
        "externalId": "zd-991",
    }
    a = await client.post("/api/v1/inquiries", json=body, headers=store.headers)
    b = await client.post("/api/v1/inquiries", json=body, headers=store.headers)
    assert (a.status_code, b.status_code) == (201, 200) and a.json()["id"] == b.json()["id"]
    rid = a.json()["id"]
    r1 = await client.post(
        f"/api/v1/inquiries/{rid}/resolve",
        json={"resolvedAt": "2026-03-02T16:00:00Z"},
        headers=store.headers,
    )
    r2 = await client.post(
        f"/api/v1/inquiries/{rid}/resolve",
        json={"resolvedAt": "2026-03-02T18:00:00Z"},
        headers=store.headers,
    )
    assert r1.json()["resolutionSeconds"] == 3600 and r2.json()["resolutionSeconds"] == 3600
    rows = await daily(session, store.id)
    assert nonzero(rows[date(2026, 3, 2)]) == {
        "total_inquiries": 1,
        "resolved_inquiries": 1,
        "resolution_seconds_sum": 3600,
        "first_contact_resolved": 1,
        "avg_resolution_time": 3600.0,
    }


async def test_validation_errors_are_clear_422s(client: httpx.AsyncClient, store: Any) -> None:
    h = store.headers
    cases = [
        ({"inquiryType": "lost", "channel": "chat"}, "inquiryType"),
        ({"inquiryType": "status", "channel": "fax"}, "channel"),
        (
            {
                "inquiryType": "status",
                "createdAt": "2026-03-02T15:00:00Z",
                "resolvedAt": "2026-03-02T16:00:00Z",
                "rating": 6,
            },
            "rating",
        ),
        (
            {
                "inquiryType": "status",
                "createdAt": "2026-03-02T15:00:00Z",
                "resolvedAt": "2026-03-02T14:00:00Z",
            },
            "resolvedAt is before",
        ),
        ({"inquiryType": "status", "createdAt": "2999-01-01T00:00:00Z"}, "future"),
        ({"inquiryType": "status", "createdAt": "2026-03-02T15:00:00"}, "createdAt"),  # no offset
    ]
    for body, expected in cases:
        r = await client.post("/api/v1/inquiries", json=body, headers=h)
        assert r.status_code == 422, (body, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert expected in r.json()["detail"], r.json()
    r = await client.post(
        "/api/v1/inquiries", content=b"{not json", headers={**h, "content-type": "application/json"}
    )
    assert r.status_code == 422
    r = await client.post(
        "/api/v1/inquiries", json={"inquiryType": "status", "orderNumber": "nope"}, headers=h
    )
    assert r.status_code == 404 and r.json()["detail"] == "order not found"
    r = await client.post("/api/v1/shipments/not-a-uuid/events", json={}, headers=h)
    assert r.status_code == 422


async def test_nul_characters_are_a_clear_422(client: httpx.AsyncClient, store: Any) -> None:
    # Found by the schemathesis run: PostgreSQL text cannot hold NUL.
    r = await client.post(
        "/api/v1/stores/current/api-keys", json={"name": "a\u0000b"}, headers=store.headers
    )
    assert r.status_code == 422 and "NUL" in r.json()["detail"]
    r = await client.get(
        "/api/v1/analytics/wismo/overview", params={"carrier": "U\u0000PS"}, headers=store.headers
    )
    assert r.status_code == 422 and "NUL" in r.json()["detail"]


async def test_out_of_range_timestamps_are_422(client: httpx.AsyncClient, store: Any) -> None:
    # Found by the schemathesis run: year 1 with a positive offset has no UTC equivalent.
    for created in ("0001-01-01T00:00:00.0+01:02", "1969-12-31T23:59:59Z"):
        r = await client.put("/api/v1/orders/0", json={"createdAt": created}, headers=store.headers)
        assert r.status_code == 422, r.text
        assert "createdAt" in r.json()["detail"]
