"""The order-status assistant, end to end: every reply and every rollup counter below is
worked out by hand from the chosen timestamps.

Store time zone America/New_York; every moment below is in October 2026, i.e. EDT = UTC-4.

Orders (all created 2026-10-10, local date 10-10):
  1001  alice@example.com "Alice Liddell", ZIP 10001. UPS 1Z999AA10123456784 shipped
        10-11T15:00Z, estimate 10-14; scan in_transit "Departed facility" Memphis, TN at
        10-12T18:30Z (= Mon 12 Oct 2:30 PM EDT) moving the estimate to 10-15;
        delivered 10-15T20:00Z (= Thu 15 Oct 4:00 PM EDT) at "New York, NY".
  1002  bob@example.com, postcode "SW1A 1AA", not shipped, promised 10-20.
  1003  alice@example.com (second order of Alice), FedEx FX123 shipped 10-12T12:00Z,
        failed attempt (recipient_unavailable) 10-13T13:00Z.
  shop1001 (lower-case letters) alice@example.com, not shipped.
"""

from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.assistant import chat
from app.assistant.router import WIDGET_REQUESTS
from app.assistant.schemas import ConversationCreate
from app.core import clock as app_clock
from app.core.errors import RateLimitedError
from app.core.rate_limit import RateDecision
from app.models import Conversation, OrderInquiry, Store
from tests.api.conftest import Clock, t
from tests.helpers import daily

TN = "1Z999AA10123456784"
UPS_URL = f"https://www.ups.com/track?loc=en_US&tracknum={TN}"


async def ok(r: httpx.Response, status: int = 200) -> Any:
    assert r.status_code == status, r.text
    return r.json()


async def seed(client: httpx.AsyncClient, store: Any) -> None:
    h = store.headers
    orders = {
        "1001": {
            "customerEmail": "alice@example.com",
            "customerName": "Alice Liddell",
            "shippingPostcode": "10001",
        },
        "1002": {
            "customerEmail": "bob@example.com",
            "customerName": "Bob Brown",
            "shippingPostcode": "SW1A 1AA",
            "promisedDeliveryDate": "2026-10-20",
        },
        "1003": {"customerEmail": "alice@example.com", "shippingPostcode": "10001"},
        "shop1001": {"customerEmail": "alice@example.com"},
    }
    for number, extra in orders.items():
        body = {"createdAt": "2026-10-10T14:00:00Z", **extra}
        await ok(await client.put(f"/api/v1/orders/{number}", json=body, headers=h), 201)
    s1 = await ok(
        await client.post(
            "/api/v1/orders/1001/shipments",
            json={
                "carrier": "UPS",
                "trackingNumber": TN,
                "shippedAt": "2026-10-11T15:00:00Z",
                "estimatedDelivery": "2026-10-14",
            },
            headers=h,
        ),
        201,
    )
    for event in (
        {
            "occurredAt": "2026-10-12T18:30:00Z",
            "status": "in_transit",
            "description": "Departed facility",
            "location": "Memphis, TN",
            "estimatedDelivery": "2026-10-15",
        },
        {
            "occurredAt": "2026-10-15T20:00:00Z",
            "status": "delivered",
            "description": "Delivered, front door",
            "location": "New York, NY",
        },
    ):
        await ok(
            await client.post(f"/api/v1/shipments/{s1['id']}/events", json=event, headers=h), 201
        )
    s3 = await ok(
        await client.post(
            "/api/v1/orders/1003/shipments",
            json={
                "carrier": "FedEx",
                "trackingNumber": "FX123",
                "shippedAt": "2026-10-12T12:00:00Z",
            },
            headers=h,
        ),
        201,
    )
    await ok(
        await client.post(
            f"/api/v1/shipments/{s3['id']}/events",
            json={
                "occurredAt": "2026-10-13T13:00:00Z",
                "status": "failed_attempt",
                "subtag": "recipient_unavailable",
                "location": "Brooklyn, NY",
            },
            headers=h,
        ),
        201,
    )


class Chat:
    """A conversation driven through the API at the clock's times."""

    def __init__(
        self, client: httpx.AsyncClient, headers: dict[str, str], clock: Clock | None = None
    ) -> None:
        self.client = client
        self.headers = headers
        self.clock = clock
        self.id = ""

    async def start(self, at: str | None = None, **body: Any) -> dict[str, Any]:
        if at and self.clock:
            self.clock.set(at)
        r = await self.client.post("/api/v1/chat/conversations", json=body, headers=self.headers)
        data: dict[str, Any] = await ok(r, 201)
        self.id = data["id"]
        return data

    async def raw(
        self, text: str, at: str | None = None, sender: str = "customer"
    ) -> httpx.Response:
        if at and self.clock:
            self.clock.set(at)
        return await self.client.post(
            f"/api/v1/chat/conversations/{self.id}/messages",
            json={"text": text, "sender": sender},
            headers=self.headers,
        )

    async def say(self, text: str, at: str | None = None, sender: str = "customer") -> Any:
        return await ok(await self.raw(text, at, sender), 201)

    async def close(self, at: str | None = None) -> Any:
        if at and self.clock:
            self.clock.set(at)
        return await ok(
            await self.client.post(
                f"/api/v1/chat/conversations/{self.id}/close", headers=self.headers
            )
        )


async def inquiries(session: AsyncSession, store_id: Any) -> list[OrderInquiry]:
    session.expire_all()
    return list(
        await session.scalars(
            select(OrderInquiry)
            .where(OrderInquiry.store_id == store_id)
            .order_by(OrderInquiry.created_at)
        )
    )


async def day(session: AsyncSession, store_id: Any, d: date) -> dict[str, Any]:
    session.expire_all()
    return (await daily(session, store_id)).get(d, {})


INQUIRY_COUNTERS = (
    "total_inquiries",
    "repeat_inquiries",
    "resolved_inquiries",
    "resolution_seconds_sum",
    "first_contact_resolved",
    "escalated_inquiries",
    "first_response_count",
    "first_response_seconds_sum",
    "rating_count",
)


def counters(row: dict[str, Any]) -> dict[str, int]:
    return {k: row.get(k, 0) for k in INQUIRY_COUNTERS}


def expected(**values: int) -> dict[str, int]:
    return {k: values.get(k, 0) for k in INQUIRY_COUNTERS}


# ---------------------------------------------------------------- a whole conversation


async def test_full_conversation_verifies_answers_resolves_and_offers_survey(
    client: httpx.AsyncClient, session: AsyncSession, store: Any, clock: Clock
) -> None:
    await seed(client, store)
    c = Chat(client, store.headers, clock)
    conv = await c.start("2026-10-13T14:00:00Z")
    assert conv["channel"] == "chat" and conv["startedAt"].startswith("2026-10-13T14:00:00")
    assert conv["verified"] is False

    r = await c.say("hi", "2026-10-13T14:00:05Z")
    assert r["detectedInquiryType"] == "other" and r["reply"]["text"] == chat.GREETING
    assert r["inquiry"] is None and r["survey"] is None and r["verified"] is False

    r = await c.say("where is my order #1001?", "2026-10-13T14:00:30Z")
    assert r["detectedInquiryType"] == "status"
    assert r["detectedOrderNumber"] == "1001"
    assert r["reply"]["text"] == (
        "Thanks. To keep your order details private, please confirm the email address used "
        "for order #1001, or the postcode it is being sent to."
    )
    assert r["verified"] is False and r["inquiry"] is None

    r = await c.say("bob@example.com", "2026-10-13T14:01:00Z")
    assert r["detectedInquiryType"] == "status"  # carried forward from the question
    assert r["reply"]["text"].startswith("Sorry, I couldn't match those details to order #1001.")
    assert r["verified"] is False and r["inquiry"] is None

    r = await c.say("alice@example.com", "2026-10-13T14:02:00Z")
    assert r["detectedInquiryType"] == "status"
    assert r["verified"] is True
    assert r["reply"]["text"] == "\n".join(
        [
            "Thanks, I've found your order.",
            "Order #1001 is in transit with UPS.",
            f"Tracking number: {TN} (UPS).",
            "Latest scan: Departed facility, Memphis, TN, Mon 12 Oct, 2:30 PM EDT.",
            "Estimated delivery: Thursday 15 October, 1 day later than the original estimate "
            "of Wednesday 14 October.",
            f"Track it here: {UPS_URL}",
        ]
    )
    assert r["reply"]["links"] == [{"label": "Track with UPS", "url": UPS_URL}]
    inquiry = r["inquiry"]
    assert inquiry["inquiryType"] == "status" and inquiry["orderNumber"] == "1001"
    assert inquiry["orderStatus"] == "in_transit" and inquiry["isRepeat"] is False

    r = await c.say("what's the tracking number?", "2026-10-13T14:03:00Z")
    assert r["detectedInquiryType"] == "tracking"
    assert TN in r["reply"]["text"] and UPS_URL in r["reply"]["text"]
    assert r["inquiry"]["id"] == inquiry["id"]
    r = await c.say("and when will it arrive?", "2026-10-13T14:04:00Z")
    assert r["detectedInquiryType"] == "delivery"
    assert "Estimated delivery: Thursday 15 October" in r["reply"]["text"]
    assert r["inquiry"]["id"] == inquiry["id"]

    r = await c.say("thanks, that's all", "2026-10-13T14:05:00Z")
    assert r["detectedInquiryType"] == "other"
    assert r["reply"]["text"].startswith("You're welcome! I'm glad I could help with order #1001.")
    survey = r["survey"]
    assert survey["inquiryId"] == inquiry["id"]
    assert survey["url"] == f"/survey/{inquiry['id']}#token={survey['token']}"
    assert r["inquiry"]["resolved"] is True

    # One inquiry, created at the verifying message, answered at once, resolved 180 s later.
    rows = await inquiries(session, store.id)
    assert len(rows) == 1
    row = rows[0]
    assert row.created_at == t("2026-10-13T14:02:00Z")
    assert row.channel == "chat" and row.conversation_id is not None
    assert row.first_response_at is not None and row.first_response_at - row.created_at < timedelta(
        seconds=1
    )
    assert row.resolved_at == t("2026-10-13T14:05:00Z") and row.resolution_seconds == 180
    assert counters(await day(session, store.id, date(2026, 10, 13))) == expected(
        total_inquiries=1,
        resolved_inquiries=1,
        resolution_seconds_sum=180,
        first_contact_resolved=1,
        first_response_count=1,
        first_response_seconds_sum=0,
    )

    # The transcript: 7 customer messages, 7 assistant replies, in order.
    detail = await ok(await client.get(f"/api/v1/chat/conversations/{c.id}", headers=store.headers))
    senders = [m["sender"] for m in detail["messages"]]
    assert senders == ["customer", "assistant"] * 7
    assert detail["verified"] is True and detail["verifiedOrderNumber"] == "1001"
    assert detail["firstResponseAt"].startswith("2026-10-13T14:00:05")
    assert [i["id"] for i in detail["inquiries"]] == [inquiry["id"]]

    # Closing afterwards resolves nothing more and offers the same inquiry's survey.
    closed = await c.close("2026-10-13T14:06:00Z")
    assert closed["closedAt"].startswith("2026-10-13T14:06:00")
    assert closed["resolvedInquiries"] == []
    assert closed["survey"]["inquiryId"] == inquiry["id"]
    r = await c.raw("hello again?", "2026-10-13T14:07:00Z")
    assert r.status_code == 409
    assert r.headers["content-type"].startswith("application/problem+json")
    assert (await c.close("2026-10-13T14:08:00Z"))["closedAt"].startswith("2026-10-13T14:06:00")


async def test_asking_again_days_later_is_a_repeat_and_moves_first_contact_resolution(
    client: httpx.AsyncClient, session: AsyncSession, store: Any, clock: Clock
) -> None:
    await seed(client, store)
    first = Chat(client, store.headers, clock)
    await first.start("2026-10-13T14:00:00Z")
    await first.say("where's order 1001? alice@example.com", "2026-10-13T14:00:00Z")
    await first.say("thanks!", "2026-10-13T14:10:00Z")  # resolved after 600 s
    assert counters(await day(session, store.id, date(2026, 10, 13))) == expected(
        total_inquiries=1,
        resolved_inquiries=1,
        resolution_seconds_sum=600,
        first_contact_resolved=1,
        first_response_count=1,
    )

    # Three days later, a new conversation; the order has been delivered meanwhile.
    second = Chat(client, store.headers, clock)
    await second.start("2026-10-16T15:00:00Z", customerEmail="alice@example.com")
    r = await second.say(
        "my parcel says delivered but it isn't here. order 1001", "2026-10-16T15:00:00Z"
    )
    assert r["detectedInquiryType"] == "delivery"
    assert r["verified"] is True  # the conversation was started with the order's email
    assert r["inquiry"]["isRepeat"] is True and r["inquiry"]["orderStatus"] == "delivered"
    text = r["reply"]["text"]
    assert "Order #1001 was delivered by UPS on Thu 15 Oct, 4:00 PM EDT (New York, NY)." in text
    assert "If you cannot find it, please check around your door" in text
    assert "open a claim with UPS" in text
    closed = await second.close("2026-10-16T15:20:00Z")  # resolved by the close: 1200 s
    assert [i["id"] for i in closed["resolvedInquiries"]] == [r["inquiry"]["id"]]
    assert closed["survey"]["inquiryId"] == r["inquiry"]["id"]

    rows = await inquiries(session, store.id)
    assert [(i.is_repeat, i.followed_up) for i in rows] == [(False, True), (True, False)]
    # The earlier inquiry was followed up within 7 days: no longer a first-contact resolution.
    assert counters(await day(session, store.id, date(2026, 10, 13))) == expected(
        total_inquiries=1,
        resolved_inquiries=1,
        resolution_seconds_sum=600,
        first_contact_resolved=0,
        first_response_count=1,
    )
    assert counters(await day(session, store.id, date(2026, 10, 16))) == expected(
        total_inquiries=1,
        repeat_inquiries=1,
        resolved_inquiries=1,
        resolution_seconds_sum=1200,
        first_contact_resolved=1,
        first_response_count=1,
    )


async def test_agent_message_is_first_response_and_escalates(
    client: httpx.AsyncClient, session: AsyncSession, store: Any, clock: Clock
) -> None:
    await seed(client, store)
    # The assistant answered first: the agent's message only escalates.
    c = Chat(client, store.headers, clock)
    await c.start("2026-10-13T14:00:00Z")
    r = await c.say("order 1001 alice@example.com", "2026-10-13T14:00:00Z")
    inquiry_id = r["inquiry"]["id"]
    r = await c.say("Hi, this is Sam from the team. Let me check.", "2026-10-13T14:02:00Z", "agent")
    assert r["reply"] is None and r["detectedInquiryType"] is None
    assert r["inquiry"]["id"] == inquiry_id and r["inquiry"]["escalated"] is True
    # After the hand-over the assistant stays quiet; closing does not resolve.
    r = await c.say("ok where is it now?", "2026-10-13T14:03:00Z")
    assert r["reply"] is None and r["detectedInquiryType"] == "status"
    closed = await c.close("2026-10-13T14:30:00Z")
    assert closed["escalated"] is True and closed["resolvedInquiries"] == []
    assert closed["survey"] is None

    # The agent joined before anything was verified: the agent's reply is the first response.
    c2 = Chat(client, store.headers, clock)
    await c2.start("2026-10-13T16:00:00Z")
    await c2.say("Hello, Sam here. How can I help?", "2026-10-13T16:00:00Z", "agent")
    r = await c2.say("where is order 1003? my zip is 10001", "2026-10-13T16:01:00Z")
    assert r["reply"] is None and r["verified"] is True
    assert r["inquiry"]["escalated"] is True and r["inquiry"]["orderStatus"] == "exception"
    await c2.say("It's with FedEx, they'll retry tomorrow.", "2026-10-13T16:06:00Z", "agent")
    r = await c2.say("thank you!", "2026-10-13T16:07:00Z")  # the customer confirms
    assert r["reply"] is None and r["inquiry"]["resolved"] is True
    assert r["survey"]["inquiryId"] == r["inquiry"]["id"]

    rows = await inquiries(session, store.id)
    assert [(i.order_number, i.escalated, i.resolved) for i in rows] == [
        ("1001", True, False),
        ("1003", True, True),
    ]
    assert rows[1].first_response_at == t("2026-10-13T16:06:00Z")
    session.expire_all()
    convs = list(
        await session.scalars(
            select(Conversation)
            .where(Conversation.store_id == store.id)
            .order_by(Conversation.started_at)
        )
    )
    assert [cv.escalated for cv in convs] == [True, True]
    assert convs[1].first_response_at == t("2026-10-13T16:00:00Z")
    # 1001: answered at once (0 s), escalated, open. 1003: answered by the agent after 300 s,
    # escalated, resolved after 360 s (not a first-contact resolution).
    assert counters(await day(session, store.id, date(2026, 10, 13))) == expected(
        total_inquiries=2,
        escalated_inquiries=2,
        first_response_count=2,
        first_response_seconds_sum=300,
        resolved_inquiries=1,
        resolution_seconds_sum=360,
    )


async def test_follow_ups_and_other_orders_in_one_conversation(
    client: httpx.AsyncClient, session: AsyncSession, store: Any, clock: Clock
) -> None:
    await seed(client, store)
    c = Chat(client, store.headers, clock)
    await c.start("2026-10-13T14:00:00Z")
    r = await c.say("when will my parcel arrive?", "2026-10-13T14:00:00Z")
    assert r["detectedInquiryType"] == "delivery" and r["reply"]["text"] == chat.ASK_FOR_ORDER
    r = await c.say("1001", "2026-10-13T14:00:10Z")
    assert r["detectedInquiryType"] == "delivery" and r["detectedOrderNumber"] == "1001"
    r = await c.say("my zip code is 10001", "2026-10-13T14:00:20Z")
    assert r["verified"] is True and r["inquiry"]["inquiryType"] == "delivery"
    for i, text in enumerate(("is it on its way?", "tracking link please", "ok", "hello?")):
        r = await c.say(text, f"2026-10-13T14:01:0{i}Z")
        assert r["inquiry"]["orderNumber"] == "1001"
        # "ok" acknowledges the answer: the inquiry is resolved and a survey offered.
        assert (r["survey"] is not None) is (text == "ok")
    # Alice's other order: verified by what she proved already, a second inquiry.
    r = await c.say("what about order 1003?", "2026-10-13T14:02:00Z")
    assert r["verified"] is True and r["inquiry"]["orderNumber"] == "1003"
    assert "FedEx tried to deliver order #1003 but could not." in r["reply"]["text"]
    assert "Nobody was available to receive it." in r["reply"]["text"]
    assert "https://www.fedex.com/fedextrack/?trknbr=FX123" in r["reply"]["text"]
    # Bob's order is not Alice's: no details, counted as a failure.
    r = await c.say("and order 1002?", "2026-10-13T14:03:00Z")
    assert r["reply"]["text"].startswith("Sorry, I couldn't match those details to order #1002")
    assert "Bob" not in r["reply"]["text"] and "SW1A" not in r["reply"]["text"]
    # Back to the verified order: a follow-up on its inquiry.
    r = await c.say("order 1001 again, tracking?", "2026-10-13T14:04:00Z")
    assert r["inquiry"]["orderNumber"] == "1001" and TN in r["reply"]["text"]
    rows = await inquiries(session, store.id)
    assert [(i.order_number, i.inquiry_type) for i in rows] == [
        ("1001", "delivery"),
        ("1003", "tracking"),  # "what about order 1003?" carries "tracking link" forward
    ]
    assert rows[0].resolved_at == t("2026-10-13T14:01:02Z")
    closed = await c.close("2026-10-13T14:10:00Z")
    assert [i["orderNumber"] for i in closed["resolvedInquiries"]] == ["1003"]


async def test_verification_by_postcode_uk_and_case_insensitive_numbers(
    client: httpx.AsyncClient, session: AsyncSession, store: Any, clock: Clock
) -> None:
    await seed(client, store)
    c = Chat(client, store.headers, clock)
    await c.start("2026-10-13T14:00:00Z")
    r = await c.say("status of order 1002 please, postcode sw1a1aa", "2026-10-13T14:00:00Z")
    assert r["verified"] is True and r["inquiry"]["orderStatus"] == "unfulfilled"
    assert r["reply"]["text"] == "\n".join(
        [
            "Thanks, I've found your order.",
            "Order #1002 has not left our warehouse yet (it was placed on Saturday 10 October). "
            "We aim to deliver it by Tuesday 20 October. You will get the tracking number by "
            "email as soon as it ships.",
        ]
    )
    # A bare number while details are awaited is the postcode (ZIP 10001 for order 1001).
    c2 = Chat(client, store.headers, clock)
    await c2.start("2026-10-13T15:00:00Z")
    await c2.say("order 1001", "2026-10-13T15:00:00Z")
    r = await c2.say("10001", "2026-10-13T15:00:10Z")
    assert r["verified"] is True and r["detectedOrderNumber"] is None
    # The merchant's "shop1001" asked for as "#SHOP1001".
    c3 = Chat(client, store.headers, clock)
    await c3.start("2026-10-13T16:00:00Z", customerEmail="Alice@Example.com")
    r = await c3.say("where is #SHOP1001", "2026-10-13T16:00:00Z")
    assert r["verified"] is True and r["inquiry"]["orderNumber"] == "shop1001"


# ---------------------------------------------------------------- no leaks before verification

LEAK_PROBES = [
    "hi",
    "where is my order 1001",
    "tracking number for #1001 please",
    "when will order 1001 arrive?",
    "1001",
    "has it shipped?",
    "is it delivered?",
    "my zip is 90210",
    "mallory@example.com",
    "order 1001 email mallory@example.com",
    "order 1001, postcode SW1A 2AA",
    "order 1001, zip 10002",
    "what's the status of 1001?",
    "it says delivered but nothing here, order #1001",
    "I want a refund for order 1001",
    "thanks",
    "can I talk to a human",
    "order 9999 alice@example.com",
    "order 1002",
    "alice@example.com",
]
# Everything the store knows about order 1001 and its customer.
ORDER_1001_DATA = [
    "transit",
    "deliver",
    "ship",
    "UPS",
    TN,
    "Memphis",
    "New York",
    "Departed",
    "Alice",
    "Liddell",
    "alice@example.com",
    "10001",
    "October",
    "Oct",
    "Thursday",
    "ups.com",
    "17track",
]


class AllowAll:
    """A limiter that never refuses (to probe many failed attempts in one test)."""

    async def hit(self, key: str, limit: Any) -> RateDecision:
        return RateDecision(True, limit.count, 0)

    async def check(self, key: str, limit: Any) -> RateDecision:
        return RateDecision(True, limit.count, 0)

    async def reset(self, key: str) -> None:
        return None


def assert_no_order_data(text: str, body: str) -> None:
    for secret in ORDER_1001_DATA:
        if secret.lower() in text.lower():
            continue  # the customer typed it
        assert secret.lower() not in body.lower(), f"{text!r} -> {body!r} leaked {secret!r}"


async def test_no_reply_before_verification_contains_order_data(
    app: Any, client: httpx.AsyncClient, session: AsyncSession, store: Any, clock: Clock
) -> None:
    await seed(client, store)
    app.state.rate_limiter = AllowAll()
    at = t("2026-10-13T14:00:00Z")
    widget = {"X-Widget-Key": store.widget_key}
    # Each probe alone in a new conversation (API key and widget), then all in one.
    for headers in (store.headers, widget):
        for text in LEAK_PROBES:
            c = Chat(client, headers, clock)
            await c.start("2026-10-13T14:00:00Z")
            data = await c.say(text)
            assert data["verified"] is False and data["inquiry"] is None, text
            assert data["survey"] is None and data["reply"]["links"] == []
            assert_no_order_data(text, str([data[k] for k in ("reply", "inquiry", "survey")]))
    c = Chat(client, store.headers, clock)
    await c.start("2026-10-13T14:00:00Z")
    limited = 0
    for i, text in enumerate(LEAK_PROBES):
        clock.now = at + timedelta(seconds=10 * i)
        r = await c.raw(text)
        if r.status_code == 429:  # the conversation's own limit: also no data
            limited += 1
            assert_no_order_data(text, r.text)
            continue
        data = await ok(r, 201)
        assert data["verified"] is False and data["inquiry"] is None, text
        assert_no_order_data(text, str([data[k] for k in ("reply", "inquiry", "survey")]))
    assert 0 < limited < len(LEAK_PROBES) - 5
    detail = await ok(await client.get(f"/api/v1/chat/conversations/{c.id}", headers=store.headers))
    assistant = " ".join(m["text"] for m in detail["messages"] if m["sender"] == "assistant")
    assert_no_order_data("", assistant)
    assert await inquiries(session, store.id) == []


async def test_unknown_order_answers_like_a_known_order_with_wrong_details(
    client: httpx.AsyncClient, store: Any, clock: Clock
) -> None:
    await seed(client, store)
    replies = []
    for number in ("1001", "4242"):
        c = Chat(client, store.headers, clock)
        await c.start("2026-10-13T14:00:00Z")
        first = await c.say(f"where is order {number}", "2026-10-13T14:00:00Z")
        second = await c.say("mallory@example.com", "2026-10-13T14:00:10Z")
        replies.append(
            (
                first["reply"]["text"].replace(number, "N"),
                second["reply"]["text"].replace(number, "N"),
            )
        )
    assert replies[0] == replies[1]


# ---------------------------------------------------------------- failed verification limits


async def test_failed_verifications_are_rate_limited_per_conversation(
    client: httpx.AsyncClient, session: AsyncSession, store: Any, clock: Clock
) -> None:
    await seed(client, store)
    c = Chat(client, store.headers, clock)
    await c.start("2026-10-13T14:00:00Z")
    await c.say("order 1001", "2026-10-13T14:00:00Z")
    for i in range(5):
        r = await c.say(f"guess{i}@example.com", f"2026-10-13T14:0{i}:30Z")
        assert r["verified"] is False
    r = await c.raw("alice@example.com", "2026-10-13T14:05:00Z")
    assert r.status_code == 429
    assert r.headers["content-type"].startswith("application/problem+json")
    assert int(r.headers["Retry-After"]) >= 1
    assert r.json()["status"] == 429
    assert "Alice" not in r.text and TN not in r.text
    # Other messages still work; only verification attempts are refused.
    assert (await c.say("hello", "2026-10-13T14:05:10Z"))["reply"] is not None


async def test_failed_verifications_are_rate_limited_per_client_across_conversations(
    client: httpx.AsyncClient, store: Any, clock: Clock
) -> None:
    """Widget callers: 5 failures from one address within 15 minutes, whatever the
    conversation. An integration with the API key is limited per conversation only (it
    speaks for many customers from one server)."""
    await seed(client, store)
    widget = {"X-Widget-Key": store.widget_key}
    for attempts in (3, 2):
        c = Chat(client, widget, clock)
        await c.start("2026-10-13T14:00:00Z")
        for i in range(attempts):
            r = await c.say(f"order 1001 guess{i}@example.com", "2026-10-13T14:00:00Z")
            assert r["verified"] is False
    fresh = Chat(client, widget, clock)
    await fresh.start("2026-10-13T14:01:00Z")
    r = await fresh.raw("order 1001 alice@example.com", "2026-10-13T14:01:00Z")
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    # The same address through the API key: not blocked by the widget's failures.
    api = Chat(client, store.headers, clock)
    await api.start("2026-10-13T14:01:00Z")
    for i in range(4):
        await api.say(f"order 1001 other{i}@example.com", "2026-10-13T14:01:00Z")
    r = await api.say("order 1001 alice@example.com", "2026-10-13T14:02:00Z")
    assert r["verified"] is True


async def test_repeating_the_pending_order_number_does_not_retry_old_details(
    session: AsyncSession, store: Any, settings: Any, client: httpx.AsyncClient
) -> None:
    await seed(client, store)
    db_store = await session.get(Store, store.id)
    assert db_store is not None
    at = t("2026-10-13T14:00:00Z")
    conv = await chat.start_conversation(session, db_store, ConversationCreate(), now=at)

    async def say(text: str) -> chat.ChatTurn:
        return await chat.post_message(session, db_store, conv, text, settings=settings, now=at)

    await say("order 1001")
    assert (await say("wrong@example.com")).reply is not None
    assert conv.failed_verifications == 1
    turn = await say("it's order 1001 please")
    assert turn.reply is not None and turn.reply.text == (
        "Thanks. To keep your order details private, please confirm the email address used "
        "for order #1001, or the postcode it is being sent to."
    )
    assert conv.failed_verifications == 1
    # A different order does try what was said before (and counts if it fails).
    await say("order 1002")
    assert conv.failed_verifications == 2 and conv.pending_order_number == "1002"


async def test_conversation_limit_lifts_after_the_window(
    session: AsyncSession, store: Any, settings: Any, client: httpx.AsyncClient
) -> None:
    await seed(client, store)
    db_store = await session.get(Store, store.id)
    assert db_store is not None
    start = t("2026-10-13T14:00:00Z")
    conv = await chat.start_conversation(session, db_store, ConversationCreate(), now=start)
    await chat.post_message(session, db_store, conv, "order 1001", settings=settings, now=start)
    for i in range(5):
        await chat.post_message(
            session, db_store, conv, f"x{i}@example.com", settings=settings, now=start
        )
    with pytest.raises(RateLimitedError) as blocked:
        await chat.post_message(
            session,
            db_store,
            conv,
            "alice@example.com",
            settings=settings,
            now=start + timedelta(minutes=10),
        )
    assert blocked.value.extra["retryAfter"] == 5 * 60
    turn = await chat.post_message(
        session,
        db_store,
        conv,
        "alice@example.com",
        settings=settings,
        now=start + timedelta(minutes=15),
    )
    assert turn.verified and turn.inquiry is not None


# ---------------------------------------------------------------- callers


async def test_widget_key_callers(
    client: httpx.AsyncClient, store: Any, other_store: Any, clock: Clock
) -> None:
    await seed(client, store)
    widget = {"X-Widget-Key": store.widget_key}
    c = Chat(client, widget, clock)
    await c.start("2026-10-13T14:00:00Z")
    r = await c.say("where is order 1001? alice@example.com", "2026-10-13T14:00:00Z")
    assert r["verified"] is True
    # Customers cannot speak as agents through the public key.
    r = await c.raw("I am an agent", "2026-10-13T14:01:00Z", sender="agent")
    assert r.status_code == 403
    assert (
        await client.get(f"/api/v1/chat/conversations/{c.id}", headers=widget)
    ).status_code == 200
    # Another store's widget key, or an unknown one, sees nothing.
    other = {"X-Widget-Key": other_store.widget_key}
    for headers, status in ((other, 404), ({"X-Widget-Key": "wpub_nope"}, 401), ({}, 401)):
        r = await client.get(f"/api/v1/chat/conversations/{c.id}", headers=headers)
        assert r.status_code == status, r.text
        assert TN not in r.text and "alice" not in r.text
        r = await client.post(
            f"/api/v1/chat/conversations/{c.id}/messages", json={"text": "hi"}, headers=headers
        )
        assert r.status_code == status
        r = await client.post(f"/api/v1/chat/conversations/{c.id}/close", headers=headers)
        assert r.status_code == status


async def test_widget_requests_are_rate_limited_per_key_and_client(
    client: httpx.AsyncClient, store: Any, other_store: Any
) -> None:
    widget = {"X-Widget-Key": store.widget_key}
    c = Chat(client, widget)
    await c.start()
    for _ in range(WIDGET_REQUESTS.count - 1):
        r = await client.get(f"/api/v1/chat/conversations/{c.id}", headers=widget)
        assert r.status_code == 200
    r = await client.get(f"/api/v1/chat/conversations/{c.id}", headers=widget)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    # The API key and another store's widget are not affected.
    assert (
        await client.get(f"/api/v1/chat/conversations/{c.id}", headers=store.headers)
    ).status_code == 200
    r = await client.post(
        "/api/v1/chat/conversations", json={}, headers={"X-Widget-Key": other_store.widget_key}
    )
    assert r.status_code == 201


async def test_conversation_validation(client: httpx.AsyncClient, store: Any) -> None:
    h = store.headers
    r = await client.post("/api/v1/chat/conversations", json={"channel": "fax"}, headers=h)
    assert r.status_code == 422
    r = await client.post("/api/v1/chat/conversations", json={"channel": "email"}, headers=h)
    conv = await ok(r, 201)
    assert conv["channel"] == "email"
    for body in ({"text": ""}, {"text": "x" * 2001}, {"text": "hi", "sender": "assistant"}):
        r = await client.post(
            f"/api/v1/chat/conversations/{conv['id']}/messages", json=body, headers=h
        )
        assert r.status_code == 422, body
    other_id = conv["id"][:-1] + ("1" if conv["id"].endswith("0") else "0")  # never the same id
    r = await client.get(f"/api/v1/chat/conversations/{other_id}", headers=h)
    assert r.status_code == 404


# ---------------------------------------------------------------- service pieces


def test_tracking_links_per_carrier() -> None:
    assert chat.tracking_url("UPS", "1Z 1") == "https://www.ups.com/track?loc=en_US&tracknum=1Z%201"
    assert chat.tracking_url("usps", "9400").startswith("https://tools.usps.com/")
    assert chat.tracking_url("FedEx Ground", "7").startswith("https://www.fedex.com/")
    assert "tracking-express" in chat.tracking_url("DHL Express", "1")
    assert "tracking-ecommerce" in chat.tracking_url("DHL eCommerce", "1")
    assert chat.tracking_url("Royal Mail", "RR1GB") == "https://t.17track.net/en#nums=RR1GB"
    assert chat.tracking_url(None, "a/b") == "https://t.17track.net/en#nums=a%2Fb"


@pytest.mark.parametrize(
    ("text", "done"),
    [
        ("thanks", True),
        ("Thank you so much!", True),
        ("that's all", True),
        ("got it", True),
        ("ok great", True),
        ("thx", True),
        ("thanks but where is it?", False),
        ("thanks, when will it arrive", False),
        ("ok but it says delivered", False),
        ("thanks, I still want a refund", False),
        ("hello", False),
    ],
)
def test_confirmation_matcher(text: str, done: bool) -> None:
    assert chat.is_confirmation(text) is done


def test_postcode_matching() -> None:
    assert chat.postcode_matches("sw1a1aa", "SW1A 1AA")
    assert chat.postcode_matches("10001", "10001-1234")
    assert chat.postcode_matches("10001-1234", "10001")
    assert not chat.postcode_matches("10002", "10001")
    assert not chat.postcode_matches("10001", None)


async def test_exception_and_cancelled_replies(
    client: httpx.AsyncClient, session: AsyncSession, store: Any, clock: Clock
) -> None:
    h = store.headers
    await ok(
        await client.put(
            "/api/v1/orders/2001",
            json={"createdAt": "2026-10-10T14:00:00Z", "customerEmail": "c@example.com"},
            headers=h,
        ),
        201,
    )
    s = await ok(
        await client.post(
            "/api/v1/orders/2001/shipments",
            json={"carrier": "DHL", "trackingNumber": "JD01", "shippedAt": "2026-10-11T10:00:00Z"},
            headers=h,
        ),
        201,
    )
    await ok(
        await client.post(
            f"/api/v1/shipments/{s['id']}/events",
            json={"occurredAt": "2026-10-12T10:00:00Z", "status": "exception", "subtag": "customs"},
            headers=h,
        ),
        201,
    )
    await ok(
        await client.put(
            "/api/v1/orders/2002",
            json={
                "createdAt": "2026-10-10T14:00:00Z",
                "customerEmail": "c@example.com",
                "cancelledAt": "2026-10-11T14:00:00Z",
            },
            headers=h,
        ),
        201,
    )
    c = Chat(client, h, clock)
    await c.start("2026-10-13T14:00:00Z", customerEmail="c@example.com")
    r = await c.say("where is order 2001", "2026-10-13T14:00:00Z")
    assert r["inquiry"]["orderStatus"] == "exception"
    assert "Order #2001 has a delivery problem with DHL." in r["reply"]["text"]
    assert "held at customs" in r["reply"]["text"]
    r = await c.say("and order 2002?", "2026-10-13T14:01:00Z")
    assert r["inquiry"]["orderStatus"] == "cancelled"
    assert (
        r["reply"]["text"]
        .splitlines()[1]
        .startswith("Order #2002 was cancelled on Sun 11 Oct, 10:00 AM EDT.")
    )
    r = await c.say("I want a refund", "2026-10-13T14:02:00Z")
    assert r["detectedInquiryType"] == "refund" and chat.REFUND_ADVICE in r["reply"]["text"]


def test_today_is_after_the_fixtures() -> None:
    # The conversations replay October 2026; ingestion refuses times after the app's clock.
    assert app_clock.now() > t("2026-10-20T00:00:00Z")
