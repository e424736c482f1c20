"""Every analytics figure for a small store built by hand, computed by hand.

Store time zone America/New_York. Daylight saving starts 2026-03-08 at 07:00Z
(02:00 EST becomes 03:00 EDT), so local = UTC-5 before and UTC-4 after.
Range P = 2026-03-06..2026-03-10 (Fri..Tue); previous period = 2026-03-01..2026-03-05.

Orders (created UTC -> local date):
  O1 03-07T04:30Z -> 03-06 23:30 EST (03-06)     O2 03-07T05:30Z -> 03-07 00:30 EST (03-07)
  O3 03-08T06:30Z -> 03-08 01:30 EST (03-08)     O4 03-09T03:30Z -> 03-08 23:30 EDT (03-08)
  O5 03-10T15:00Z -> 03-10 (no shipment)         O6 03-03T15:00Z -> 03-03 (previous period)
Shipments:
  S1 O1 UPS   shipped 03-07T14:30Z (ttS 10 h), est 03-09, first scan 03-07T20:30Z (pickup 6 h),
              delivered 03-09T03:30Z = 03-08 23:30 EDT (on time; 37 h shipped->delivered,
              31 h first scan->delivered)
  S2 O2 FedEx shipped 03-08T14:00Z (ttS 32.5 h), est 03-09, scan 03-08T18:00Z (pickup 4 h),
              exception weather_delay 03-09T12:00Z, delivered 03-11T16:00Z (after P)
  S3 O3 UPS   shipped 03-09T13:00Z (ttS 30.5 h), est 03-12, no events
  S0 O6 UPS   shipped 03-04T15:00Z (ttS 24 h), est 03-05, delivered 03-05T15:00Z (on time)
Inquiries:
  I1 O1 status   chat  03-07T12:00Z (Sat 07h)  response 300 s, resolved 1800 s, rating 5, effort 2
  I2 O1 tracking email 03-08T07:30Z (Sun 03h EDT) repeat of I1; response 7200 s, resolved
              21600 s, escalated, rating 2; order in_transit with UPS
  I3 O2 delivery chat  03-10T03:59Z = 03-09 23:59 EDT (Mon 23h) order exception with FedEx,
              resolved 7200 s, rating 4
  I4 (no order, customer) refund phone 03-10T14:00Z (Tue 10h) unresolved
  I5 O6 status chat 03-04T16:00Z (previous period) resolved 3600 s, rating 4
"""

import math
from typing import Any

import httpx
import pytest

P = {"date_range": "custom", "start": "2026-03-06", "end": "2026-03-10"}


async def _build(client: httpx.AsyncClient, store: Any) -> dict[str, str]:
    h = store.headers

    async def ok(r: httpx.Response) -> dict[str, Any]:
        assert r.status_code in (200, 201), r.text
        return r.json()

    for number, created in [
        ("O1", "2026-03-07T04:30:00Z"),
        ("O2", "2026-03-07T05:30:00Z"),
        ("O3", "2026-03-08T06:30:00Z"),
        ("O4", "2026-03-09T03:30:00Z"),
        ("O5", "2026-03-10T15:00:00Z"),
        ("O6", "2026-03-03T15:00:00Z"),
    ]:
        await ok(
            await client.put(f"/api/v1/orders/{number}", json={"createdAt": created}, headers=h)
        )

    async def ship(order: str, carrier: str, tn: str, at: str, est: str) -> str:
        body = {"carrier": carrier, "trackingNumber": tn, "shippedAt": at, "estimatedDelivery": est}
        return (
            await ok(await client.post(f"/api/v1/orders/{order}/shipments", json=body, headers=h))
        )["id"]

    async def event(sid: str, at: str, status: str, subtag: str | None = None) -> None:
        body = {"occurredAt": at, "status": status, "subtag": subtag}
        await ok(await client.post(f"/api/v1/shipments/{sid}/events", json=body, headers=h))

    s1 = await ship("O1", "UPS", "1Z1", "2026-03-07T14:30:00Z", "2026-03-09")
    await event(s1, "2026-03-07T20:30:00Z", "in_transit")
    await event(s1, "2026-03-09T03:30:00Z", "delivered")
    s2 = await ship("O2", "FedEx", "FX2", "2026-03-08T14:00:00Z", "2026-03-09")
    await event(s2, "2026-03-08T18:00:00Z", "in_transit")
    await event(s2, "2026-03-09T12:00:00Z", "exception", "weather_delay")
    await event(s2, "2026-03-11T16:00:00Z", "delivered")
    await ship("O3", "UPS", "1Z3", "2026-03-09T13:00:00Z", "2026-03-12")
    s0 = await ship("O6", "UPS", "1Z0", "2026-03-04T15:00:00Z", "2026-03-05")
    await event(s0, "2026-03-05T15:00:00Z", "delivered")

    async def inquiry(**body: Any) -> dict[str, Any]:
        return await ok(await client.post("/api/v1/inquiries", json=body, headers=h))

    i1 = await inquiry(
        orderNumber="O1",
        inquiryType="status",
        channel="chat",
        createdAt="2026-03-07T12:00:00Z",
        firstResponseAt="2026-03-07T12:05:00Z",
        resolvedAt="2026-03-07T12:30:00Z",
        rating=5,
        effortScore=2,
    )
    i2 = await inquiry(
        orderNumber="O1",
        inquiryType="tracking",
        channel="email",
        createdAt="2026-03-08T07:30:00Z",
        firstResponseAt="2026-03-08T09:30:00Z",
        resolvedAt="2026-03-08T13:30:00Z",
        escalated=True,
        rating=2,
    )
    i3 = await inquiry(
        orderNumber="O2",
        inquiryType="delivery",
        channel="chat",
        createdAt="2026-03-10T03:59:00Z",
        resolvedAt="2026-03-10T05:59:00Z",
        rating=4,
    )
    i4 = await inquiry(
        customerEmail="x@example.com",
        inquiryType="refund",
        channel="phone",
        createdAt="2026-03-10T14:00:00Z",
    )
    await inquiry(
        orderNumber="O6",
        inquiryType="status",
        channel="chat",
        createdAt="2026-03-04T16:00:00Z",
        resolvedAt="2026-03-04T17:00:00Z",
        rating=4,
    )
    assert (i1["orderStatus"], i1["carrier"], i1["isRepeat"]) == ("unfulfilled", None, False)
    assert (i2["orderStatus"], i2["carrier"], i2["isRepeat"]) == ("in_transit", "UPS", True)
    assert (i3["orderStatus"], i3["carrier"], i3["localDate"]) == (
        "exception",
        "FedEx",
        "2026-03-09",
    )
    return {"i1": i1["id"], "i2": i2["id"], "i3": i3["id"], "i4": i4["id"]}


def _mv(value: Any, previous: Any, change: Any) -> dict[str, Any]:
    return {"value": value, "previous": previous, "changePct": change}


def _approx(expected: Any) -> Any:
    if isinstance(expected, dict):
        return {k: _approx(v) for k, v in expected.items()}
    if isinstance(expected, list):
        return [_approx(v) for v in expected]
    if isinstance(expected, float):
        return pytest.approx(expected, rel=1e-9)
    return expected


async def test_overview_every_field(client: httpx.AsyncClient, store: Any) -> None:
    await _build(client, store)
    r = await client.get("/api/v1/analytics/wismo/overview", params=P, headers=store.headers)
    assert r.status_code == 200, r.text
    assert r.json() == _approx(
        {
            "range": {
                "start": "2026-03-06",
                "end": "2026-03-10",
                "timezone": "America/New_York",
                "previousStart": "2026-03-01",
                "previousEnd": "2026-03-05",
            },
            "totalInquiries": _mv(4, 1, 300.0),
            "totalOrders": _mv(5, 1, 400.0),
            "inquiryRate": _mv(0.8, 1.0, -20.0),
            "repeatInquiryRate": _mv(0.25, 0.0, None),
            "avgResolutionSeconds": _mv(10200.0, 3600.0, (10200 - 3600) / 3600 * 100),
            "firstContactResolutionRate": _mv(1 / 3, 1.0, (1 / 3 - 1) * 100),
            "avgFirstResponseSeconds": _mv(3750.0, None, None),
            # The store has no business hours: nothing is measured in them.
            "avgResolutionBusinessSeconds": _mv(None, None, None),
            "avgFirstResponseBusinessSeconds": _mv(None, None, None),
            "satisfactionScore": _mv(11 / 3, 4.0, (11 / 3 - 4) / 4 * 100),
            "csat": _mv(2 / 3, 1.0, (2 / 3 - 1) * 100),
            "customerEffortScore": _mv(2.0, None, None),
            "avgTimeToShipSeconds": _mv(87600.0, 86400.0, 1200 / 86400 * 100),
            "onTimeDeliveryRate": _mv(1.0, 1.0, 0.0),
            "exceptionRate": _mv(1 / 3, 0.0, None),
        }
    )


async def test_overview_filtered_by_channel_and_by_carrier(
    client: httpx.AsyncClient, store: Any
) -> None:
    await _build(client, store)
    chat = (
        await client.get(
            "/api/v1/analytics/wismo/overview",
            params={**P, "channel": "chat"},
            headers=store.headers,
        )
    ).json()
    assert chat["totalInquiries"] == _mv(2, 1, 100.0)  # I1, I3 vs I5
    assert chat["totalOrders"]["value"] == 5  # orders are not filtered by channel
    assert chat["avgResolutionSeconds"]["value"] == pytest.approx(4500.0)
    assert chat["satisfactionScore"]["value"] == pytest.approx(4.5)
    assert chat["avgTimeToShipSeconds"]["value"] == pytest.approx(87600.0)  # shipments unfiltered

    ups = (
        await client.get(
            "/api/v1/analytics/wismo/overview",
            params={**P, "carrier": "UPS"},
            headers=store.headers,
        )
    ).json()
    assert ups["totalInquiries"]["value"] == 1  # I2 (I1 came before UPS had the parcel)
    assert ups["avgTimeToShipSeconds"]["value"] == pytest.approx((36000 + 109800) / 2)
    assert ups["exceptionRate"]["value"] == 0.0
    assert ups["onTimeDeliveryRate"]["value"] == 1.0

    both = await client.get(
        "/api/v1/analytics/wismo/overview",
        params={**P, "carrier": "UPS", "channel": "chat"},
        headers=store.headers,
    )
    assert both.status_code == 422


async def test_inquiry_trends_by_day_and_week(client: httpx.AsyncClient, store: Any) -> None:
    await _build(client, store)
    r = await client.get("/api/v1/analytics/wismo/inquiries", params=P, headers=store.headers)
    body = r.json()
    assert body["groupBy"] == "day"
    assert body["series"] == [
        {
            "date": "2026-03-06",
            "inquiries": 0,
            "orders": 1,
            "inquiryRate": 0.0,
            "repeatInquiries": 0,
            "resolved": 0,
        },
        {
            "date": "2026-03-07",
            "inquiries": 1,
            "orders": 1,
            "inquiryRate": 1.0,
            "repeatInquiries": 0,
            "resolved": 1,
        },
        {
            "date": "2026-03-08",
            "inquiries": 1,
            "orders": 2,
            "inquiryRate": 0.5,
            "repeatInquiries": 1,
            "resolved": 1,
        },
        {
            "date": "2026-03-09",
            "inquiries": 1,
            "orders": 0,
            "inquiryRate": None,
            "repeatInquiries": 0,
            "resolved": 1,
        },
        {
            "date": "2026-03-10",
            "inquiries": 1,
            "orders": 1,
            "inquiryRate": 1.0,
            "repeatInquiries": 0,
            "resolved": 0,
        },
    ]
    assert body["byType"] == [
        {"key": k, "count": n, "share": s}
        for k, n, s in [
            ("delivery", 1, 0.25),
            ("refund", 1, 0.25),
            ("status", 1, 0.25),
            ("tracking", 1, 0.25),
            ("other", 0, 0.0),
        ]
    ]
    assert {i["key"]: i["count"] for i in body["byOrderStatus"] if i["count"]} == {
        "unfulfilled": 1,
        "in_transit": 1,
        "exception": 1,
        "unknown": 1,
    }
    assert [(i["key"], i["count"]) for i in body["byChannel"]] == [
        ("chat", 2),
        ("email", 1),
        ("phone", 1),
        ("other", 0),
        ("social", 0),
    ]
    # I3 asked while O2's shipment was in exception (weather_delay since 03-09T12:00Z).
    assert body["byExceptionReason"] == [{"key": "weather_delay", "count": 1, "share": 1.0}]
    cells = {(c["weekday"], c["hour"]): c["count"] for c in body["peakHours"] if c["count"]}
    assert cells == {(5, 7): 1, (6, 3): 1, (0, 23): 1, (1, 10): 1}
    assert len(body["peakHours"]) == 7 * 24
    res = body["resolutionTime"]
    assert res["count"] == 3 and res["mean"] == pytest.approx(10200.0)
    assert res["median"] == pytest.approx(7200, rel=0.049)  # nearest rank 2 of [1800, 7200, 21600]
    assert res["p90"] == pytest.approx(21600, rel=0.049)
    assert body["firstResponseTime"]["count"] == 2 and body["firstResponseTime"]["mean"] == 3750.0

    week = (
        await client.get(
            "/api/v1/analytics/wismo/inquiries",
            params={**P, "group_by": "week"},
            headers=store.headers,
        )
    ).json()
    assert [(p["date"], p["inquiries"], p["orders"]) for p in week["series"]] == [
        ("2026-03-06", 2, 4),  # Fri 03-06 .. Sun 03-08 (ISO week of Mon 03-02, clipped to P)
        ("2026-03-09", 2, 1),  # Mon 03-09 .. Tue 03-10
    ]
    month = (
        await client.get(
            "/api/v1/analytics/wismo/inquiries",
            params={**P, "group_by": "month"},
            headers=store.headers,
        )
    ).json()
    assert [(p["date"], p["inquiries"]) for p in month["series"]] == [("2026-03-06", 4)]


async def test_fulfillment_every_field(client: httpx.AsyncClient, store: Any) -> None:
    await _build(client, store)
    body = (
        await client.get("/api/v1/analytics/wismo/fulfillment", params=P, headers=store.headers)
    ).json()
    assert body["avgTimeToShipSeconds"] == pytest.approx(87600.0)
    assert body["onTimeDeliveryRate"] == 1.0
    assert body["avgTransitSeconds"] == 133200.0
    assert body["exceptionRate"] == pytest.approx(1 / 3)
    assert (body["shipped"], body["delivered"]) == (3, 1)
    stages = body["stages"]
    assert (stages["processing"]["count"], stages["processing"]["mean"]) == (
        3,
        pytest.approx(87600.0),
    )
    assert stages["processing"]["median"] == pytest.approx(109800, rel=0.049)
    assert (stages["pickup"]["count"], stages["pickup"]["mean"]) == (2, 18000.0)
    assert (stages["transit"]["count"], stages["transit"]["mean"]) == (1, 111600.0)
    carriers = {c["carrier"]: c for c in body["carriers"]}
    assert [c["carrier"] for c in body["carriers"]] == ["UPS", "FedEx"]
    ups, fedex = carriers["UPS"], carriers["FedEx"]
    assert {
        k: ups[k]
        for k in (
            "shipped",
            "delivered",
            "onTimeRate",
            "avgTransitSeconds",
            "exceptionRate",
            "inquiries",
            "inquiriesPerShipment",
        )
    } == {
        "shipped": 2,
        "delivered": 1,
        "onTimeRate": 1.0,
        "avgTransitSeconds": 133200.0,
        "exceptionRate": 0.0,
        "inquiries": 1,
        "inquiriesPerShipment": 0.5,
    }
    assert ups["stages"]["processing"]["mean"] == pytest.approx(72900.0)
    assert {
        k: fedex[k]
        for k in (
            "shipped",
            "delivered",
            "onTimeRate",
            "exceptionRate",
            "inquiries",
            "inquiriesPerShipment",
        )
    } == {
        "shipped": 1,
        "delivered": 0,
        "onTimeRate": None,
        "exceptionRate": 1.0,
        "inquiries": 1,
        "inquiriesPerShipment": 1.0,
    }
    assert body["exceptions"] == [{"key": "weather_delay", "count": 1, "share": 1.0}]
    assert [(p["date"], p["shipped"], p["delivered"]) for p in body["series"]] == [
        ("2026-03-06", 0, 0),
        ("2026-03-07", 1, 0),
        ("2026-03-08", 1, 1),
        ("2026-03-09", 1, 0),
        ("2026-03-10", 0, 0),
    ]
    assert body["series"][1]["avgTimeToShipSeconds"] == 36000.0


async def test_satisfaction_every_field(client: httpx.AsyncClient, store: Any) -> None:
    await _build(client, store)
    body = (
        await client.get("/api/v1/analytics/wismo/satisfaction", params=P, headers=store.headers)
    ).json()
    assert body["satisfactionScore"] == pytest.approx(11 / 3)
    assert body["csat"] == pytest.approx(2 / 3)
    assert body["customerEffortScore"] == 2.0
    assert body["ratingCount"] == 3
    assert body["distribution"] == [
        {"rating": r, "count": n} for r, n in [(1, 0), (2, 1), (3, 0), (4, 1), (5, 1)]
    ]
    assert body["resolutionBuckets"] == [
        {"label": "< 1 h", "count": 1, "satisfactionScore": 5.0},
        {"label": "1-4 h", "count": 1, "satisfactionScore": 4.0},
        {"label": "4-24 h", "count": 1, "satisfactionScore": 2.0},
        {"label": "1-3 d", "count": 0, "satisfactionScore": None},
        {"label": "> 3 d", "count": 0, "satisfactionScore": None},
    ]
    # Pearson r of (band, rating) = (0,5), (2,2), (1,4): sum dx*dy = -3, sum dx^2 = 2, sum dy^2 = 14/3.
    assert body["resolutionCorrelation"] == pytest.approx(-3 / math.sqrt(2 * 14 / 3))
    assert [(d["key"], d["satisfactionScore"]) for d in body["drivers"]["inquiryType"]] == [
        ("tracking", 2.0),
        ("delivery", 4.0),
        ("status", 5.0),
    ]
    assert [(d["key"], d["satisfactionScore"]) for d in body["drivers"]["carrier"]] == [
        ("UPS", 2.0),
        ("FedEx", 4.0),
    ]
    assert [(d["key"], d["csat"]) for d in body["drivers"]["orderStatus"]] == [
        ("in_transit", 0.0),
        ("exception", 1.0),
        ("unfulfilled", 1.0),
    ]
    assert [(p["date"], p["ratingCount"]) for p in body["series"]] == [
        ("2026-03-06", 0),
        ("2026-03-07", 1),
        ("2026-03-08", 1),
        ("2026-03-09", 1),
        ("2026-03-10", 0),
    ]
    chat = (
        await client.get(
            "/api/v1/analytics/wismo/satisfaction",
            params={**P, "channel": "chat"},
            headers=store.headers,
        )
    ).json()
    assert chat["distribution"] == [
        {"rating": r, "count": n} for r, n in [(1, 0), (2, 0), (3, 0), (4, 1), (5, 1)]
    ]
    assert [(d["key"], d["ratingCount"]) for d in chat["drivers"]["inquiryType"]] == [
        ("delivery", 1),
        ("status", 1),
    ]


async def test_drilldown_pages_and_filters(client: httpx.AsyncClient, store: Any) -> None:
    ids = await _build(client, store)
    seen: list[str] = []
    cursor = None
    while True:
        params = {**P, "limit": 1, **({"cursor": cursor} if cursor else {})}
        page = (
            await client.get(
                "/api/v1/analytics/wismo/drilldown/inquiries", params=params, headers=store.headers
            )
        ).json()
        seen += [i["id"] for i in page["items"]]
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert seen == [ids["i4"], ids["i3"], ids["i2"], ids["i1"]]  # newest first
    one_day = {"date_range": "custom", "start": "2026-03-08", "end": "2026-03-08"}
    page = (
        await client.get(
            "/api/v1/analytics/wismo/drilldown/inquiries", params=one_day, headers=store.headers
        )
    ).json()
    assert [
        (i["id"], i["orderNumber"], i["isRepeat"], i["firstResponseSeconds"]) for i in page["items"]
    ] == [(ids["i2"], "O1", True, 7200)]
    cell = (
        await client.get(
            "/api/v1/analytics/wismo/drilldown/inquiries",
            params={**P, "weekday": 0, "hour": 23},
            headers=store.headers,
        )
    ).json()
    assert [i["id"] for i in cell["items"]] == [ids["i3"]]
    both = (
        await client.get(
            "/api/v1/analytics/wismo/drilldown/inquiries",
            params={**P, "channel": "chat", "carrier": "FedEx"},
            headers=store.headers,
        )
    ).json()
    assert [i["id"] for i in both["items"]] == [ids["i3"]]
    ships = (
        await client.get(
            "/api/v1/analytics/wismo/drilldown/shipments",
            params={**P, "had_exception": "true"},
            headers=store.headers,
        )
    ).json()
    assert [(s["orderNumber"], s["carrier"], s["exceptionReason"]) for s in ships["items"]] == [
        ("O2", "FedEx", "weather_delay")
    ]
    delivered = (
        await client.get(
            "/api/v1/analytics/wismo/drilldown/shipments",
            params={**P, "basis": "delivered"},
            headers=store.headers,
        )
    ).json()
    assert [s["trackingNumber"] for s in delivered["items"]] == ["1Z1"]
    bad = await client.get(
        "/api/v1/analytics/wismo/drilldown/inquiries",
        params={**P, "cursor": "garbage"},
        headers=store.headers,
    )
    assert bad.status_code == 422


async def test_order_timeline(client: httpx.AsyncClient, store: Any) -> None:
    await _build(client, store)
    body = (await client.get("/api/v1/orders/O1/timeline", headers=store.headers)).json()
    assert body["status"] == "delivered" and body["deliveredOnTime"] is True
    assert body["originalEstimatedDelivery"] == "2026-03-09"
    assert [(e["type"], e["title"]) for e in body["events"]] == [
        ("order", "Order placed"),
        ("inquiry", "Customer asked: status"),
        ("fulfillment", "Shipped with UPS"),
        ("tracking", "In transit"),
        ("inquiry", "Customer asked: tracking (repeat)"),
        ("delivery", "Delivered"),
    ]
    assert (
        await client.get("/api/v1/orders/nope/timeline", headers=store.headers)
    ).status_code == 404


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"date_range": "custom", "start": "2026-03-10", "end": "2026-03-01"},
            "end is before start",
        ),
        ({"date_range": "custom", "start": "2024-01-01", "end": "2026-03-01"}, "at most 731 days"),
        ({"date_range": "custom", "start": "2026-03-01"}, "needs both start and end"),
        ({"date_range": "12d"}, "date_range"),
        ({"date_range": "custom", "start": "2026-02-30", "end": "2026-03-01"}, "start"),
        ({"group_by": "year"}, "group_by"),
        ({"date_range": "7d", "start": "2026-03-01"}, "only accepted with date_range=custom"),
        ({"inquiry_type": "lost"}, "inquiry_type"),
        (
            {"date_range": "custom", "start": "0001-01-01", "end": "0001-01-05"},
            "between 1970 and 2999",
        ),
    ],
)
async def test_bad_ranges_are_422(
    client: httpx.AsyncClient, store: Any, params: dict[str, str], message: str
) -> None:
    r = await client.get("/api/v1/analytics/wismo/inquiries", params=params, headers=store.headers)
    assert r.status_code == 422, r.text
    assert message in r.json()["detail"]


@pytest.mark.dated
async def test_named_range_ends_today_in_store_timezone(
    client: httpx.AsyncClient, store: Any
) -> None:
    from app.core.timeutils import local_today

    body = (
        await client.get(
            "/api/v1/analytics/wismo/overview", params={"date_range": "7d"}, headers=store.headers
        )
    ).json()
    today = local_today("America/New_York")
    assert body["range"]["end"] == today.isoformat()
    from datetime import timedelta

    assert body["range"]["start"] == (today - timedelta(days=6)).isoformat()
    assert body["totalInquiries"] == _mv(0, 0, None)
