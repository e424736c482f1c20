"""Zendesk and Gorgias webhooks: tickets become inquiries, later ratings move the rollups.

Payload shapes are the providers' published ones (tests/data/helpdesk/SOURCES.md). The store
is in America/New_York and the tickets straddle the fall-back night of 2026-11-01, when
01:00-02:00 local happens twice (05:00-06:00Z in EDT, 06:00-07:00Z in EST). Expected
figures come from `test_inquiry_updates.expected`, which works out each inquiry's local day
with zoneinfo from the timestamps this test chose.
"""

import base64
import copy
import hashlib
import hmac
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core import clock
from app.models import OrderInquiry
from tests.api.test_inquiry_updates import Seen, actual, expected
from tests.helpers import daily

DATA = Path(__file__).resolve().parents[1] / "data" / "helpdesk"
ZENDESK_SECRET = "dGhpcyBpcyBhIHplbmRlc2sgc2lnbmluZyBzZWNyZXQ"
SIGNED_AT = "2026-11-03T16:00:00Z"


def payload(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text())


@pytest.fixture(autouse=True)
def now() -> Iterator[None]:
    with clock.frozen("2026-11-20T12:00:00Z"):
        yield


def zendesk_headers(body: bytes, secret: str = ZENDESK_SECRET, **extra: str) -> dict[str, str]:
    signature = base64.b64encode(
        hmac.new(secret.encode(), SIGNED_AT.encode() + body, hashlib.sha256).digest()
    ).decode()
    return {
        "Content-Type": "application/json",
        "X-Zendesk-Webhook-Signature": signature,
        "X-Zendesk-Webhook-Signature-Timestamp": SIGNED_AT,
        **extra,
    }


async def send_zendesk(
    client: httpx.AsyncClient, store: Any, data: dict[str, Any], **extra: str
) -> httpx.Response:
    body = json.dumps(data).encode()
    return await client.post(
        f"/api/v1/webhooks/zendesk?store={store.id}",
        content=body,
        headers=zendesk_headers(body, **extra),
    )


async def send_gorgias(
    client: httpx.AsyncClient, store: Any, data: dict[str, Any], secret: str
) -> httpx.Response:
    return await client.post(
        f"/api/v1/webhooks/gorgias?store={store.id}",
        content=json.dumps(data).encode(),
        headers={"Content-Type": "application/json", "X-Wismo-Token": secret},
    )


def zendesk_event(name: str, ticket_id: str, event_id: str, at: str, **detail: Any) -> Any:
    data = payload(name)
    data["id"], data["time"], data["subject"] = event_id, at, f"zen:ticket:{ticket_id}"
    data["detail"].update(id=ticket_id, **detail)
    return data


async def ok(r: httpx.Response, status: int = 200) -> Any:
    assert r.status_code == status, r.text
    return r.json()


async def connect(client: httpx.AsyncClient, store: Any) -> str:
    await ok(
        await client.put(
            "/api/v1/stores/current/helpdesks/zendesk",
            json={"secret": ZENDESK_SECRET},
            headers=store.headers,
        )
    )
    gorgias = await ok(
        await client.put("/api/v1/stores/current/helpdesks/gorgias", headers=store.headers)
    )
    assert len(gorgias["secret"]) >= 32
    assert gorgias["webhookUrl"].endswith(f"/api/v1/webhooks/gorgias?store={store.id}")
    return str(gorgias["secret"])


async def orders(client: httpx.AsyncClient, store: Any) -> None:
    for number, created, email in (
        ("1001", "2026-10-25T15:00:00Z", "alice@example.com"),
        ("1002", "2026-10-28T15:00:00Z", "bob@example.com"),
        ("1003", "2026-10-29T15:00:00Z", "carol@example.com"),
        ("1004", "2026-10-30T15:00:00Z", "carol@example.com"),
    ):
        await ok(
            await client.put(
                f"/api/v1/orders/{number}",
                json={"createdAt": created, "customerEmail": email},
                headers=store.headers,
            ),
            201,
        )


async def inquiry(session: AsyncSession, store: Any, external_id: str) -> OrderInquiry | None:
    session.expire_all()
    return (
        await session.scalars(
            select(OrderInquiry).where(
                OrderInquiry.store_id == store.id, OrderInquiry.external_id == external_id
            )
        )
    ).first()


async def test_zendesk_ticket_events_then_a_late_rating_across_dst(
    client: httpx.AsyncClient, session: AsyncSession, store: Any
) -> None:
    await connect(client, store)
    await orders(client, store)
    truth: dict[str, Seen] = {}

    # Ticket 35436, 01:30 EDT on Nov 1 (the first 01:30), names order #1001.
    created = payload("zendesk_ticket_created.json")
    body = await ok(await send_zendesk(client, store, created))
    assert body["status"] == "processed" and body["created"] is True
    truth["35436"] = Seen(created="2026-11-01T05:30:00Z")
    row = await inquiry(session, store, "zendesk:35436")
    assert row is not None and row.order_number == "1001" and row.channel == "email"
    assert row.inquiry_type == "status"  # "Where is my order ... Has it shipped yet?"

    # The same event again (Zendesk retries): nothing changes.
    again = await ok(await send_zendesk(client, store, created))
    assert again["status"] == "duplicate"

    # A private note is not a response; the public staff reply at 07:10Z is.
    note = payload("zendesk_comment_added.json")
    note["id"], note["time"] = "01HVHDESK0NOTE000000000001", "2026-11-01T06:00:00Z"
    note["event"]["comment"]["is_public"] = False
    await ok(await send_zendesk(client, store, note))
    await ok(await send_zendesk(client, store, payload("zendesk_comment_added.json")))
    truth["35436"].first_response = "2026-11-01T07:10:00Z"
    # Solved on Nov 2 at 15:00Z.
    await ok(await send_zendesk(client, store, payload("zendesk_status_changed.json")))
    truth["35436"].resolved = "2026-11-02T15:00:00Z"
    assert await actual(session, store.id) == expected(list(truth.values()))

    # Ticket 90001 at 01:30 EST (the second 01:30, same local day): "order 1001 has not
    # arrived", solved the next morning.
    await ok(
        await send_zendesk(
            client,
            store,
            zendesk_event(
                "zendesk_ticket_created.json",
                "90001",
                "01HVHDESK0CREATED000000002",
                "2026-11-01T06:30:00Z",
                created_at="2026-11-01T06:30:00Z",
                subject="Order 1001 has not arrived",
                description="The tracking says delivered but there is no parcel at my door.",
            ),
        )
    )
    truth["90001"] = Seen(created="2026-11-01T06:30:00Z")
    row = await inquiry(session, store, "zendesk:90001")
    assert row is not None and row.inquiry_type == "delivery"
    assert row.local_date == date(2026, 11, 1) and row.local_hour == 1

    # Ticket 90002 at 23:30 EDT on Oct 31 from a trigger webhook: no number in the text, but
    # bob's only recent order is 1002; solved at 02:00Z, rated bad.
    trigger = payload("zendesk_trigger_ticket.json")
    trigger["ticket"].update(
        id=90002,
        subject="I want a refund",
        description="Please cancel and refund my order, it is taking too long.",
        created_at="2026-11-01T03:30:00Z",
        updated_at="2026-11-01T04:00:00Z",
        requester={"email": "bob@example.com"},
        satisfaction_rating={"score": "bad", "comment": "too slow"},
    )
    body = await ok(await send_zendesk(client, store, trigger))
    assert body["created"] is True
    truth["90002"] = Seen(created="2026-11-01T03:30:00Z", resolved="2026-11-01T04:00:00Z", rating=1)
    row = await inquiry(session, store, "zendesk:90002")
    assert row is not None and row.order_number == "1002" and row.inquiry_type == "refund"
    assert row.local_date == date(2026, 10, 31)

    # Carol has two recent orders and names none; a ticket about no order: ignored (200).
    unclear = payload("zendesk_trigger_ticket.json")
    unclear["ticket"].update(
        id=90003,
        subject="Question about your opening hours",
        description="Are you open on Sunday?",
        requester={"email": "carol@example.com"},
    )
    body = await ok(await send_zendesk(client, store, unclear))
    assert body["status"] == "ignored" and "no order" in body["detail"]
    assert await inquiry(session, store, "zendesk:90003") is None

    # The CSAT survey for 35436 comes back good two days later, then the customer changes it
    # to bad: the rollups move from 5 to 1, and a repeated invocation changes nothing.
    rated = payload("zendesk_trigger_ticket.json")
    good = await ok(await send_zendesk(client, store, rated))
    truth["35436"].rating = 5
    assert await actual(session, store.id) == expected(list(truth.values()))
    rated["ticket"]["satisfaction_rating"] = {"score": "bad", "comment": "it never came"}
    assert (await ok(await send_zendesk(client, store, rated)))["status"] == "processed"
    truth["35436"].rating = 1
    # The earlier "good" request replayed as it was signed, under any invocation id: a
    # duplicate, so the older rating cannot come back.
    good_body = payload("zendesk_trigger_ticket.json")
    replay = await ok(
        await send_zendesk(
            client, store, good_body, **{"X-Zendesk-Webhook-Invocation-Id": "another"}
        )
    )
    assert replay["status"] == "duplicate" and replay["deliveryId"] == good["deliveryId"]
    assert await actual(session, store.id) == expected(list(truth.values()))

    # The solved event for 90001 arrives after a later re-solve: the latest resolution wins
    # whatever the order of arrival.
    for event_id, at in (("late-2", "2026-11-01T12:00:00Z"), ("late-1", "2026-11-01T09:00:00Z")):
        await ok(
            await send_zendesk(
                client,
                store,
                zendesk_event(
                    "zendesk_status_changed.json",
                    "90001",
                    event_id,
                    at,
                    created_at="2026-11-01T06:30:00Z",
                    subject="Order 1001 has not arrived",
                ),
            )
        )
    truth["90001"].resolved = "2026-11-01T12:00:00Z"

    final = await actual(session, store.id)
    assert final == expected(list(truth.values()))
    # By hand: Nov 1 holds 35436 (rating 1) and 90001 (unrated); Oct 31 holds 90002 (bad).
    assert final[date(2026, 11, 1)]["rating_sum"] == 1
    assert final[date(2026, 11, 1)]["resolution_seconds_sum"] == 120_600 + 19_800
    assert final[date(2026, 10, 31)]["rating_count"] == 1
    assert final[date(2026, 10, 31)]["satisfied_count"] == 0


async def test_gorgias_ticket_then_survey(
    client: httpx.AsyncClient, session: AsyncSession, store: Any
) -> None:
    secret = await connect(client, store)
    await orders(client, store)
    ticket = payload("gorgias_ticket.json")
    body = await ok(await send_gorgias(client, store, ticket, secret))
    assert body["status"] == "processed" and body["created"] is True
    # Created 00:45 EDT Nov 1; the public agent reply at 05:15Z (the 05:00Z note is internal);
    # closed at 10:00Z.
    seen = Seen(
        created="2026-11-01T04:45:00Z",
        first_response="2026-11-01T05:15:00Z",
        resolved="2026-11-01T10:00:00Z",
    )
    row = await inquiry(session, store, "gorgias:12345")
    assert row is not None and row.order_number == "1001" and row.inquiry_type == "status"
    assert await ok(await send_gorgias(client, store, ticket, secret)) == {
        **body,
        "status": "duplicate",
        "created": False,
        "inquiryId": None,
        "detail": "this delivery was already processed",
    }

    survey = payload("gorgias_satisfaction_survey.json")
    await ok(await send_gorgias(client, store, survey, secret))
    seen.rating = 4
    assert await actual(session, store.id) == expected([seen])
    survey["satisfaction_survey"].update(score=2, body_text="Actually it arrived broken")
    await ok(await send_gorgias(client, store, survey, secret))
    seen.rating = 2
    rows = await actual(session, store.id)
    assert rows == expected([seen])
    assert rows[date(2026, 11, 1)]["rating_sum"] == 2
    assert rows[date(2026, 11, 1)]["first_response_seconds_sum"] == 1800

    # A survey for a ticket this store never turned into an inquiry changes nothing.
    stray = copy.deepcopy(survey)
    stray["satisfaction_survey"]["ticket_id"] = 777
    body = await ok(await send_gorgias(client, store, stray, secret))
    assert body["status"] == "ignored"

    # An open ticket's survey is not a rating of a solved inquiry: kept out, and said so.
    open_ticket = payload("gorgias_ticket.json")
    open_ticket["ticket"].update(
        id=12346,
        subject="Has my order 1002 shipped?",
        status="open",
        created_datetime="2026-11-02T14:00:00",
        closed_datetime=None,
        messages=[],
    )
    await ok(await send_gorgias(client, store, open_ticket, secret))
    early = copy.deepcopy(survey)
    early["satisfaction_survey"].update(ticket_id=12346, score=5)
    body = await ok(await send_gorgias(client, store, early, secret))
    assert body["status"] == "processed" and "not solved" in body["detail"]
    assert await actual(session, store.id) == expected([seen, Seen(created="2026-11-02T14:00:00Z")])

    # Settings count the six distinct deliveries (the duplicate is not a new one).
    listed = await ok(await client.get("/api/v1/stores/current/helpdesks", headers=store.headers))
    gorgias = next(h for h in listed if h["provider"] == "gorgias")
    assert gorgias["deliveriesLastDay"] == 6
    assert gorgias["lastDeliveryAt"] == "2026-11-20T12:00:00Z"


async def test_helpdesk_webhooks_refuse_bad_proof_and_unknown_stores(
    client: httpx.AsyncClient, session: AsyncSession, store: Any, other_store: Any
) -> None:
    secret = await connect(client, store)
    await orders(client, store)
    data = payload("zendesk_ticket_created.json")
    body = json.dumps(data).encode()
    url = f"/api/v1/webhooks/zendesk?store={store.id}"

    wrong = zendesk_headers(body, secret="not-the-secret")
    assert (await client.post(url, content=body, headers=wrong)).status_code == 401
    no_timestamp = zendesk_headers(body)
    del no_timestamp["X-Zendesk-Webhook-Signature-Timestamp"]
    assert (await client.post(url, content=body, headers=no_timestamp)).status_code == 401
    # The signature covers the timestamp: another timestamp with the same signature fails.
    moved = zendesk_headers(body) | {
        "X-Zendesk-Webhook-Signature-Timestamp": "2026-11-03T16:00:01Z"
    }
    assert (await client.post(url, content=body, headers=moved)).status_code == 401
    # A store without a Zendesk secret, and stores that do not exist.
    r = await client.post(
        f"/api/v1/webhooks/zendesk?store={other_store.id}",
        content=body,
        headers=zendesk_headers(body),
    )
    assert r.status_code == 401
    for ref in ("not-a-uuid", "00000000-0000-0000-0000-000000000000"):
        r = await client.post(
            f"/api/v1/webhooks/zendesk?store={ref}", content=body, headers=zendesk_headers(body)
        )
        assert r.status_code == 404
    r = await send_gorgias(client, store, payload("gorgias_ticket.json"), secret + "x")
    assert r.status_code == 401
    assert await inquiry(session, store, "zendesk:35436") is None
    assert all(row["total_inquiries"] == 0 for row in (await daily(session, store.id)).values())

    # A verified body that is no ticket at all.
    junk = b'{"hello": "world"}'
    r = await client.post(url, content=junk, headers=zendesk_headers(junk))
    assert r.status_code == 422

    # Settings: admins see both helpdesks, the secret is never shown again.
    listed = await ok(await client.get("/api/v1/stores/current/helpdesks", headers=store.headers))
    assert [(h["provider"], h["secretSet"]) for h in listed] == [
        ("zendesk", True),
        ("gorgias", True),
    ]
    assert ZENDESK_SECRET not in json.dumps(listed) and secret not in json.dumps(listed)
    r = await client.put("/api/v1/stores/current/helpdesks/zendesk", json={}, headers=store.headers)
    assert r.status_code == 422  # Zendesk generates its signing secret: it must be pasted
    r = await client.delete("/api/v1/stores/current/helpdesks/zendesk", headers=store.headers)
    assert r.status_code == 204
    assert (await client.post(url, content=body, headers=zendesk_headers(body))).status_code == 401


async def test_helpdesk_webhooks_are_rate_limited_before_the_database(
    app: Any, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app.state.settings, "helpdesk_webhook_requests_per_minute", 3)
    url = "/api/v1/webhooks/gorgias?store=00000000-0000-0000-0000-000000000000"
    statuses = [(await client.post(url, content=b"{}")).status_code for _ in range(5)]
    assert statuses == [404, 404, 404, 429, 429]
