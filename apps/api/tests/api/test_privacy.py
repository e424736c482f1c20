"""Erasure removes a customer's PII from every table while every aggregate stays the same."""

from typing import Any

import httpx
from sqlalchemy import JSON, String, Text, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import service as auth_service
from app.core.security import hash_email
from app.db.base import Base
from app.models import Alert
from tests.api.conftest import Clock
from tests.api.test_chat import Chat, ok, seed

RANGE = {"date_range": "custom", "start": "2026-10-01", "end": "2026-10-31"}
EMAIL, NAME = "alice@example.com", "Alice Liddell"


async def _alice_talks_and_rates_badly(client: httpx.AsyncClient, store: Any, clock: Clock) -> None:
    c = Chat(client, store.headers, clock)
    await c.start("2026-10-13T14:00:00Z")
    await c.say("where is my order #1001?", "2026-10-13T14:00:30Z")
    r = await c.say(f"it's {EMAIL}, {NAME} here", "2026-10-13T14:01:00Z")
    assert r["verified"] is True
    r = await c.say("great, thanks!", "2026-10-13T14:02:00Z")
    survey = r["survey"]
    await ok(
        await client.post(
            f"/api/v1/satisfaction/{survey['inquiryId']}",
            json={
                "token": survey["token"],
                "rating": 1,
                "feedback": f"{NAME} ({EMAIL}) says <script>alert(1)</script> too slow",
            },
        ),
        201,
    )
    # The address typed into a conversation that was never matched to her.
    stray = Chat(client, store.headers, clock)
    await stray.start("2026-10-14T09:00:00Z")
    await stray.say(f"hello, my email is {EMAIL.upper()}", "2026-10-14T09:00:10Z")


async def _text_containing(session: AsyncSession, needles: list[str]) -> list[str]:
    """Every string or JSON cell of every table that contains one of the needles."""
    session.expire_all()
    hits = []
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, (String, Text, JSON))]
        if not columns:
            continue
        for row in (await session.execute(select(*columns))).all():
            for column, value in zip(columns, row, strict=True):
                text = str(value).lower() if value is not None else ""
                hits += [f"{table.name}.{column.name}" for n in needles if n.lower() in text]
    return hits


async def owner_of(client: httpx.AsyncClient, session: AsyncSession, store: Any) -> Any:
    """An owner's credentials: erasing customer data is the owner's right alone (DESIGN 8)."""
    email = f"owner-{store.id}@privacy.example"
    await auth_service.create_user(session, email, "password-owner", store.id, role="owner")
    await session.commit()
    r = await client.post(
        "/api/v1/auth/login",
        json={"email": email, "password": "password-owner", "returnToken": True},
    )
    assert r.status_code == 200, r.text
    client.cookies.clear()
    return {"Authorization": f"Bearer {r.json()['accessToken']}", "X-Store-Id": str(store.id)}


async def test_erase_removes_pii_everywhere_and_keeps_aggregates(
    client: httpx.AsyncClient, session: AsyncSession, store: Any, clock: Clock
) -> None:
    await seed(client, store)
    await _alice_talks_and_rates_badly(client, store, clock)
    needles = [EMAIL, NAME, hash_email(EMAIL)]
    before_hits = await _text_containing(session, needles)
    for place in ("customers.email", "customers.name", "customers.email_hash", "messages.text"):
        assert place in before_hits  # the scan does find the data it looks for
    overview = (
        await client.get("/api/v1/analytics/wismo/overview", params=RANGE, headers=store.headers)
    ).json()
    satisfaction = (
        await client.get(
            "/api/v1/analytics/wismo/satisfaction", params=RANGE, headers=store.headers
        )
    ).json()

    exported = await ok(
        await client.get("/api/v1/privacy/export", params={"email": EMAIL}, headers=store.headers)
    )
    assert {o["orderNumber"] for o in exported["orders"]} == {"1001", "1003", "shop1001"}
    assert exported["customers"][0]["name"] == NAME
    assert any("<script>" in (i["feedback"] or "") for i in exported["inquiries"])

    result = await ok(
        await client.post(
            "/api/v1/privacy/erase",
            json={"email": EMAIL},
            headers=await owner_of(client, session, store),
        )
    )
    assert result["customers"] == 1 and result["orders"] == 3 and result["feedback"] == 1
    assert result["alerts"] == 1 and result["messages"] >= 4

    assert await _text_containing(session, needles) == []
    alert = (await session.scalars(select(Alert).where(Alert.store_id == store.id))).one()
    assert alert.payload["feedbackExcerpt"] is None and alert.payload["rating"] == 1
    assert (
        await client.get("/api/v1/analytics/wismo/overview", params=RANGE, headers=store.headers)
    ).json() == overview
    assert (
        await client.get(
            "/api/v1/analytics/wismo/satisfaction", params=RANGE, headers=store.headers
        )
    ).json() == satisfaction
    after = await ok(
        await client.get("/api/v1/privacy/export", params={"email": EMAIL}, headers=store.headers)
    )
    assert after["customers"] == [] and after["orders"] == []
    # Bob, another customer of the same store, is untouched.
    bob = await ok(
        await client.get(
            "/api/v1/privacy/export", params={"email": "bob@example.com"}, headers=store.headers
        )
    )
    assert bob["customers"][0]["name"] == "Bob Brown"


async def test_erase_is_scoped_to_the_store(
    client: httpx.AsyncClient, session: AsyncSession, store: Any, other_store: Any
) -> None:
    for s in (store, other_store):
        await ok(
            await client.put(
                "/api/v1/orders/77",
                json={
                    "createdAt": "2026-10-10T14:00:00Z",
                    "customerEmail": EMAIL,
                    "customerName": NAME,
                },
                headers=s.headers,
            ),
            201,
        )
    await ok(
        await client.post(
            "/api/v1/privacy/erase",
            json={"email": EMAIL},
            headers=await owner_of(client, session, store),
        )
    )
    kept = await ok(
        await client.get(
            "/api/v1/privacy/export", params={"email": EMAIL}, headers=other_store.headers
        )
    )
    assert kept["customers"][0]["name"] == NAME
    bad = await client.post(
        "/api/v1/privacy/erase",
        json={"email": "not-an-email"},
        headers=await owner_of(client, session, store),
    )
    assert bad.status_code == 422


async def test_retention_purge_drops_old_text_only(
    client: httpx.AsyncClient, session: AsyncSession, store: Any, clock: Clock
) -> None:
    from datetime import UTC, datetime, timedelta

    from app.core import clock as app_clock
    from app.models import Message
    from app.privacy.service import purge_old_text

    # The app's clock stands at 2026-11-20 noon (the chat replays its own times).
    today = datetime(2026, 11, 20, 12, tzinfo=UTC)
    with app_clock.frozen(today):
        await seed(client, store)
        await _alice_talks_and_rates_badly(client, store, clock)  # October 2026
        recent = Chat(client, store.headers, clock)
        clock.now = today - timedelta(days=1)
        await recent.start()
        await recent.say("is order 1002 on its way?")
        cutoff_days = (today - datetime(2026, 10, 20, tzinfo=UTC)).days
        result = await purge_old_text(session, cutoff_days)
    # The alert was raised on the app's clock (today), so its excerpt is kept until it ages out.
    assert result["feedback"] == 1 and result["alerts"] == 0 and result["messages"] >= 6
    session.expire_all()
    texts = {
        m.text for m in await session.scalars(select(Message).where(Message.store_id == store.id))
    }
    assert "is order 1002 on its way?" in texts
    assert not any(t and EMAIL in t.lower() for t in texts)
