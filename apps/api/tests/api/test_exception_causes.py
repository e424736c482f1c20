"""Inquiries by exception cause: an inquiry about an order in `exception` is counted under the
cause the tracking events gave by then, summed from the rollups like every breakdown.

Store time zone America/New_York (EDT, UTC-4). Five orders, each with one shipment shipped
2026-10-02T12:00Z; tracking events and inquiries (all 14:00Z, so the same local day):

    A UPS    exception address_issue 10-03    inquiries 10-03 email, 10-05 chat
    B UPS    failed_attempt (no subtag) 10-03 inquiry 10-03 chat
    C FedEx  exception weather_delay 10-03,   inquiries 10-03 chat (weather_delay),
             exception address_issue 10-04              10-04 email (address_issue)
    D FedEx  exception weather_delay 10-06    inquiry 10-04 chat (no event yet: not counted)
    E DHL    returned 10-03                   inquiry 10-03 email

By cause over 10-01..10-07: address_issue 3 (A twice, C once), failed_attempt 1, returned 1,
weather_delay 1: six inquiries, shares 3/6 and 1/6. Chat only: address_issue (A), failed_attempt
(B), weather_delay (C) one each. Email only: address_issue 2, returned 1.
"""

from typing import Any

import httpx
import pytest

P = {"date_range": "custom", "start": "2026-10-01", "end": "2026-10-07"}
PATH = "/api/v1/analytics/wismo/inquiries"


async def ok(r: httpx.Response) -> Any:
    assert r.status_code in (200, 201), r.text
    return r.json()


async def _build(client: httpx.AsyncClient, h: dict[str, str]) -> None:
    events = {
        "A": ("UPS", [("2026-10-03T12:00:00Z", "exception", "address_issue")]),
        "B": ("UPS", [("2026-10-03T12:00:00Z", "failed_attempt", None)]),
        "C": (
            "FedEx",
            [
                ("2026-10-03T12:00:00Z", "exception", "weather_delay"),
                ("2026-10-04T12:00:00Z", "exception", "address_issue"),
            ],
        ),
        "D": ("FedEx", [("2026-10-06T12:00:00Z", "exception", "weather_delay")]),
        "E": ("DHL", [("2026-10-03T12:00:00Z", "returned", None)]),
    }
    for order, (carrier, scans) in events.items():
        await ok(
            await client.put(
                f"/api/v1/orders/{order}", json={"createdAt": "2026-10-01T12:00:00Z"}, headers=h
            )
        )
        shipment = await ok(
            await client.post(
                f"/api/v1/orders/{order}/shipments",
                json={
                    "carrier": carrier,
                    "trackingNumber": f"T-{order}",
                    "shippedAt": "2026-10-02T12:00:00Z",
                },
                headers=h,
            )
        )
        for at, status, subtag in scans:
            await ok(
                await client.post(
                    f"/api/v1/shipments/{shipment['id']}/events",
                    json={"occurredAt": at, "status": status, "subtag": subtag},
                    headers=h,
                )
            )
    statuses = []
    for order, channel, day in [
        ("A", "email", "03"),
        ("A", "chat", "05"),
        ("B", "chat", "03"),
        ("C", "chat", "03"),
        ("C", "email", "04"),
        ("D", "chat", "04"),
        ("E", "email", "03"),
    ]:
        body = {
            "orderNumber": order,
            "inquiryType": "status",
            "channel": channel,
            "createdAt": f"2026-10-{day}T14:00:00Z",
        }
        statuses.append(
            (await ok(await client.post("/api/v1/inquiries", json=body, headers=h)))["orderStatus"]
        )
    assert statuses == ["exception"] * 5 + ["fulfilled", "exception"]


def _shares(body: dict[str, Any]) -> list[tuple[str, int, float | None]]:
    return [(i["key"], i["count"], i["share"]) for i in body["byExceptionReason"]]


async def test_inquiries_by_exception_cause(client: httpx.AsyncClient, store: Any) -> None:
    h = store.headers
    await _build(client, h)

    body = await ok(await client.get(PATH, params=P, headers=h))
    assert _shares(body) == [
        ("address_issue", 3, pytest.approx(3 / 6)),
        ("failed_attempt", 1, pytest.approx(1 / 6)),
        ("returned", 1, pytest.approx(1 / 6)),
        ("weather_delay", 1, pytest.approx(1 / 6)),
    ]

    chat = await ok(await client.get(PATH, params={**P, "channel": "chat"}, headers=h))
    assert _shares(chat) == [
        ("address_issue", 1, pytest.approx(1 / 3)),
        ("failed_attempt", 1, pytest.approx(1 / 3)),
        ("weather_delay", 1, pytest.approx(1 / 3)),
    ]
    email = await ok(await client.get(PATH, params={**P, "channel": "email"}, headers=h))
    assert _shares(email) == [
        ("address_issue", 2, pytest.approx(2 / 3)),
        ("returned", 1, pytest.approx(1 / 3)),
    ]
    fedex = await ok(await client.get(PATH, params={**P, "carrier": "FedEx"}, headers=h))
    assert _shares(fedex) == [
        ("address_issue", 1, pytest.approx(1 / 2)),
        ("weather_delay", 1, pytest.approx(1 / 2)),
    ]
    # One day: only C's second inquiry (10-04); D's inquiry came before its exception.
    day = await ok(
        await client.get(
            PATH,
            params={"date_range": "custom", "start": "2026-10-04", "end": "2026-10-04"},
            headers=h,
        )
    )
    assert _shares(day) == [("address_issue", 1, 1.0)]

    # The rows behind a bar: newest first.
    rows = await ok(
        await client.get(
            "/api/v1/analytics/wismo/drilldown/inquiries",
            params={**P, "exception_reason": "address_issue"},
            headers=h,
        )
    )
    assert [(r["orderNumber"], r["localDate"], r["exceptionReason"]) for r in rows["items"]] == [
        ("A", "2026-10-05", "address_issue"),
        ("C", "2026-10-04", "address_issue"),
        ("A", "2026-10-03", "address_issue"),
    ]

    # The fulfillment view still counts shipments by their (latest) reason, not inquiries:
    # A and C address_issue, B failed_attempt, D weather_delay (shipped 10-02).
    fulfillment = await ok(
        await client.get("/api/v1/analytics/wismo/fulfillment", params=P, headers=h)
    )
    assert [(i["key"], i["count"]) for i in fulfillment["exceptions"]] == [
        ("address_issue", 2),
        ("failed_attempt", 1),
        ("weather_delay", 1),
    ]
