"""Several values of one filter are summed from the same rollups; a parameter the API cannot
honour is refused. A UTC store, one day (2026-03-02), numbers counted by hand below."""

from typing import Any

import httpx
import pytest

DAY = {"date_range": "custom", "start": "2026-03-02", "end": "2026-03-02"}
# order -> (carrier or None, inquiry type); order 3's DHL parcel hits an exception.
ORDERS = {
    "1": ("UPS", "status"),
    "2": ("UPS", "refund"),
    "3": ("DHL", "delivery"),
    "4": ("FedEx", "status"),
    "5": ("DHL", "tracking"),
    "6": (None, "status"),
}


@pytest.fixture
async def utc_store(make_store: Any, client: httpx.AsyncClient) -> Any:
    store = await make_store("Filters", "UTC")
    h = store.headers
    for number, (carrier, kind) in ORDERS.items():
        r = await client.put(
            f"/api/v1/orders/{number}", json={"createdAt": "2026-03-02T10:00:00Z"}, headers=h
        )
        assert r.status_code == 201, r.text
        if carrier:
            r = await client.post(
                f"/api/v1/orders/{number}/shipments",
                json={
                    "carrier": carrier,
                    "trackingNumber": f"T{number}",
                    "shippedAt": "2026-03-02T12:00:00Z",
                },
                headers=h,
            )
            assert r.status_code == 201, r.text
            if number == "3":
                r = await client.post(
                    f"/api/v1/shipments/{r.json()['id']}/events",
                    json={"occurredAt": "2026-03-02T18:00:00Z", "status": "exception"},
                    headers=h,
                )
                assert r.status_code in (200, 201), r.text
        r = await client.post(
            "/api/v1/inquiries",
            json={
                "orderNumber": number,
                "inquiryType": kind,
                "channel": "chat",
                "createdAt": "2026-03-02T20:00:00Z",
            },
            headers=h,
        )
        assert r.status_code == 201, r.text
    return store


async def get(client: httpx.AsyncClient, store: Any, path: str, params: Any) -> Any:
    r = await client.get(f"/api/v1/analytics/wismo/{path}", params=params, headers=store.headers)
    assert r.status_code == 200, r.text
    return r.json()


async def test_two_carriers_are_summed(client: httpx.AsyncClient, utc_store: Any) -> None:
    both = [*DAY.items(), ("carrier", "UPS"), ("carrier", "DHL")]
    overview = await get(client, utc_store, "overview", both)
    # Inquiries on UPS (orders 1, 2) and DHL (3, 5) parcels; orders are never filtered.
    assert overview["totalInquiries"]["value"] == 4
    assert overview["totalOrders"]["value"] == 6
    assert overview["inquiryRate"]["value"] == pytest.approx(4 / 6)
    # Shipped: UPS 2 + DHL 2; one DHL exception.
    assert overview["exceptionRate"]["value"] == 0.25

    ups = await get(client, utc_store, "overview", [*DAY.items(), ("carrier", "UPS")])
    assert (ups["totalInquiries"]["value"], ups["exceptionRate"]["value"]) == (2, 0.0)

    trends = await get(client, utc_store, "inquiries", both)
    by_type = {row["key"]: row["count"] for row in trends["byType"] if row["count"]}
    assert by_type == {"status": 1, "refund": 1, "delivery": 1, "tracking": 1}

    fulfillment = await get(client, utc_store, "fulfillment", both)
    table = {
        row["carrier"]: (row["shipped"], row["inquiries"], row["exceptionRate"])
        for row in fulfillment["carriers"]
    }
    assert table == {"UPS": (2, 2, 0.0), "DHL": (2, 2, 0.5)}

    rows = await get(client, utc_store, "drilldown/inquiries", both)
    assert sorted(row["orderNumber"] for row in rows["items"]) == ["1", "2", "3", "5"]


async def test_two_inquiry_types_are_summed(client: httpx.AsyncClient, utc_store: Any) -> None:
    params = [*DAY.items(), ("inquiry_type", "status"), ("inquiry_type", "refund")]
    overview = await get(client, utc_store, "overview", params)
    assert overview["totalInquiries"]["value"] == 4  # orders 1, 2, 4, 6


async def test_a_repeated_single_value_parameter_is_refused(
    client: httpx.AsyncClient, utc_store: Any
) -> None:
    h = utc_store.headers
    r = await client.get(
        "/api/v1/analytics/wismo/drilldown/shipments",
        params=[*DAY.items(), ("carrier", "UPS"), ("carrier", "DHL")],
        headers=h,
    )
    assert r.status_code == 422, r.text
    assert "carrier" in r.json()["detail"]
    r = await client.get(
        "/api/v1/analytics/wismo/overview",
        params=[("date_range", "7d"), ("date_range", "30d")],
        headers=h,
    )
    assert r.status_code == 422, r.text
    # Two filter dimensions at once cannot be read from the rollups: refused, not half-read.
    r = await client.get(
        "/api/v1/analytics/wismo/overview",
        params=[*DAY.items(), ("carrier", "UPS"), ("channel", "chat")],
        headers=h,
    )
    assert r.status_code == 422, r.text


async def test_fulfillment_carries_the_previous_period(
    client: httpx.AsyncClient, utc_store: Any
) -> None:
    next_day = {"date_range": "custom", "start": "2026-03-03", "end": "2026-03-03"}
    body = await get(
        client,
        utc_store,
        "fulfillment",
        [*next_day.items(), ("carrier", "UPS"), ("carrier", "DHL")],
    )
    previous = body["previous"]
    # 2026-03-03 shipped nothing; the day before shipped 4 UPS/DHL parcels, one exception.
    assert previous["shipmentsShipped"] == {"value": 0, "previous": 4, "changePct": -100.0}
    assert previous["exceptionRate"] == {"value": None, "previous": 0.25, "changePct": None}
    assert previous["onTimeDeliveryRate"] == {"value": None, "previous": None, "changePct": None}
