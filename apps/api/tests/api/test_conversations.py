"""The dashboard's conversations: `GET /chat/conversations` (filters, keyset pages) and the
transcript `GET /chat/conversations/{id}`, with customer data shown per role.

Seed and times as in test_chat.py (store America/New_York, October 2026 = EDT, UTC-4):
order 1001 and 1003 alice@example.com "Alice Liddell", 1002 bob@example.com "Bob Brown".

Five conversations, worked out by hand:

  C1  10-13 13:00Z (local 10-13)  "where is my order #1001? alice@example.com" (verified,
      status) + reply, "thanks!" + reply: 4 messages, resolved; survey answered 4 stars.
  C2  10-14 03:30Z (local 10-13 23:30)  lang es; "¿Dónde está mi pedido 1002?
      bob@example.com" (verified, status) + reply, an agent's message: 3 messages, escalated.
  C3  10-14 15:00Z (local 10-14)  "hi" + greeting: 2 messages, no inquiry, open.
  C4  10-15 15:00Z (local 10-15)  started with alice's email; "I want a refund for order
      1003" (refund) + reply, "and where is order 1001?" (status) + reply: 4 messages, open.
  C5  10-15 16:00Z (local 10-15)  "hello" + greeting, then closed: 2 messages, resolved.
"""

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import service as auth_service
from tests.api.conftest import Clock
from tests.api.test_chat import Chat, ok, seed

LIST = "/api/v1/chat/conversations"
ALICE = "alice@example.com"


async def seed_conversations(client: httpx.AsyncClient, store: Any, clock: Clock) -> dict[str, str]:
    await seed(client, store)
    h = store.headers
    ids = {}

    c1 = Chat(client, h, clock)
    await c1.start("2026-10-13T13:00:00Z")
    r = await c1.say(f"where is my order #1001? {ALICE}", "2026-10-13T13:00:10Z")
    assert r["verified"] is True and r["inquiry"]["inquiryType"] == "status"
    r = await c1.say("thanks!", "2026-10-13T13:01:00Z")
    survey = r["survey"]
    await ok(
        await client.post(
            f"/api/v1/satisfaction/{survey['inquiryId']}",
            json={"token": survey["token"], "rating": 4},
        ),
        201,
    )
    ids["c1"] = c1.id

    c2 = Chat(client, h, clock)
    await c2.start("2026-10-14T03:30:00Z", lang="es")
    r = await c2.say("¿Dónde está mi pedido 1002? bob@example.com", "2026-10-14T03:30:10Z")
    assert r["verified"] is True and r["inquiry"]["inquiryType"] == "status"
    await c2.say("Hola, soy Sam del equipo. Lo reviso.", "2026-10-14T03:35:00Z", "agent")
    ids["c2"] = c2.id

    c3 = Chat(client, h, clock)
    await c3.start("2026-10-14T15:00:00Z")
    await c3.say("hi", "2026-10-14T15:00:10Z")
    ids["c3"] = c3.id

    c4 = Chat(client, h, clock)
    await c4.start("2026-10-15T15:00:00Z", customerEmail=ALICE)
    r = await c4.say("I want a refund for order 1003", "2026-10-15T15:00:10Z")
    assert r["verified"] is True and r["inquiry"]["inquiryType"] == "refund"
    r = await c4.say("and where is order 1001?", "2026-10-15T15:01:00Z")
    assert r["inquiry"]["orderNumber"] == "1001" and r["inquiry"]["inquiryType"] == "status"
    ids["c4"] = c4.id

    c5 = Chat(client, h, clock)
    await c5.start("2026-10-15T16:00:00Z")
    await c5.say("hello", "2026-10-15T16:00:10Z")
    await c5.close("2026-10-15T16:01:00Z")
    ids["c5"] = c5.id
    return ids


async def login_as(session: AsyncSession, client: httpx.AsyncClient, store: Any, role: str) -> Any:
    email = f"{role}@team.example"
    await auth_service.create_user(session, email, "password-123", store.id, role=role)
    await session.commit()
    r = await ok(
        await client.post(
            "/api/v1/auth/login",
            json={"email": email, "password": "password-123", "returnToken": True},
        )
    )
    client.cookies.clear()  # each caller below sends its own credentials
    return {"Authorization": f"Bearer {r['accessToken']}", "X-Store-Id": str(store.id)}


async def listed(client: httpx.AsyncClient, headers: dict[str, str], **params: Any) -> list[str]:
    page = await ok(await client.get(LIST, params=params, headers=headers))
    assert page["nextCursor"] is None
    return [row["id"] for row in page["items"]]


async def test_list_rows_and_filters(client: httpx.AsyncClient, store: Any, clock: Clock) -> None:
    ids = await seed_conversations(client, store, clock)
    c1, c2, c3, c4, c5 = (ids[k] for k in ("c1", "c2", "c3", "c4", "c5"))
    h = store.headers

    page = await ok(await client.get(LIST, headers=h))
    assert page["piiMasked"] is False and page["nextCursor"] is None
    rows = {row["id"]: row for row in page["items"]}
    assert [row["id"] for row in page["items"]] == [c5, c4, c3, c2, c1]  # newest first
    alice = {"email": ALICE, "name": "Alice Liddell"}
    expected = {
        c1: ("2026-10-13T13:00:00Z", "en", 4, ["status"], ["1001"], "resolved", 4.0, alice),
        c2: (
            "2026-10-14T03:30:00Z",
            "es",
            3,
            ["status"],
            ["1002"],
            "escalated",
            None,
            {"email": "bob@example.com", "name": "Bob Brown"},
        ),
        c3: ("2026-10-14T15:00:00Z", "en", 2, [], [], "open", None, None),
        c4: (
            "2026-10-15T15:00:00Z",
            "en",
            4,
            ["refund", "status"],
            ["1003", "1001"],
            "open",
            None,
            alice,
        ),
        c5: ("2026-10-15T16:00:00Z", "en", 2, [], [], "resolved", None, None),
    }
    for cid, (started, lang, count, types, numbers, outcome, rating, customer) in expected.items():
        row = rows[cid]
        got = (
            row["startedAt"].replace("+00:00", "Z"),
            row["language"],
            row["messageCount"],
            row["inquiryTypes"],
            row["orderNumbers"],
            row["outcome"],
            row["rating"],
            row["customer"],
        )
        assert got == (started, lang, count, types, numbers, outcome, rating, customer), cid
        assert row["channel"] == "chat"
    assert rows[c5]["closedAt"].startswith("2026-10-15T16:01:00")
    assert rows[c1]["closedAt"] is None

    # Each filter matches any of its values; filters combine with AND.
    assert await listed(client, h, inquiry_type="status") == [c4, c2, c1]
    assert await listed(client, h, inquiry_type="refund") == [c4]
    assert await listed(client, h, inquiry_type=["refund", "tracking"]) == [c4]
    assert await listed(client, h, inquiry_type=["status", "refund"]) == [c4, c2, c1]
    assert await listed(client, h, inquiry_type="other") == []
    assert await listed(client, h, language="es") == [c2]
    assert await listed(client, h, language="en") == [c5, c4, c3, c1]
    assert await listed(client, h, language=["es", "de"]) == [c2]
    assert await listed(client, h, outcome="open") == [c4, c3]
    assert await listed(client, h, outcome="resolved") == [c5, c1]
    assert await listed(client, h, outcome="escalated") == [c2]
    assert await listed(client, h, outcome=["open", "escalated"]) == [c4, c3, c2]
    assert await listed(client, h, inquiry_type="status", outcome="open") == [c4]
    assert await listed(client, h, language="en", outcome="resolved") == [c5, c1]
    # Store-local days: C2 began at 23:30 on 10-13 in New York (03:30Z on 10-14).
    day = {"date_range": "custom"}
    assert await listed(client, h, **day, start="2026-10-13", end="2026-10-13") == [c2, c1]
    assert await listed(client, h, **day, start="2026-10-14", end="2026-10-14") == [c3]
    assert await listed(client, h, **day, start="2026-10-14", end="2026-10-15") == [c5, c4, c3]
    assert await listed(client, h, **day, start="2026-10-16", end="2026-10-20") == []
    # Today (30 Nov 2026 or later) is outside the last 7 days of these conversations.
    assert await listed(client, h, date_range="7d") == []


async def test_transcript(client: httpx.AsyncClient, store: Any, clock: Clock) -> None:
    ids = await seed_conversations(client, store, clock)
    detail = await ok(await client.get(f"{LIST}/{ids['c1']}", headers=store.headers))
    assert [(m["sender"], m["createdAt"][:19]) for m in detail["messages"]] == [
        ("customer", "2026-10-13T13:00:10"),
        ("assistant", "2026-10-13T13:00:10"),
        ("customer", "2026-10-13T13:01:00"),
        ("assistant", "2026-10-13T13:01:00"),
    ]
    assert detail["messages"][0]["text"] == f"where is my order #1001? {ALICE}"
    assert detail["messages"][2]["text"] == "thanks!"
    assert detail["outcome"] == "resolved" and detail["rating"] == 4.0
    assert detail["customer"] == {"email": ALICE, "name": "Alice Liddell"}
    assert detail["piiMasked"] is False
    assert detail["verified"] is True and detail["verifiedOrderNumber"] == "1001"
    [inquiry] = detail["inquiries"]
    assert (inquiry["inquiryType"], inquiry["orderNumber"], inquiry["orderStatus"]) == (
        "status",
        "1001",
        "in_transit",
    )
    assert (inquiry["resolved"], inquiry["escalated"], inquiry["rating"]) == (True, False, 4)
    assert inquiry["createdAt"].startswith("2026-10-13T13:00:10")

    detail = await ok(await client.get(f"{LIST}/{ids['c2']}", headers=store.headers))
    assert [m["sender"] for m in detail["messages"]] == ["customer", "assistant", "agent"]
    assert detail["language"] == "es" and detail["outcome"] == "escalated"
    assert detail["escalated"] is True and detail["rating"] is None
    assert [i["escalated"] for i in detail["inquiries"]] == [True]

    detail = await ok(await client.get(f"{LIST}/{ids['c4']}", headers=store.headers))
    assert [(i["inquiryType"], i["orderNumber"]) for i in detail["inquiries"]] == [
        ("refund", "1003"),
        ("status", "1001"),
    ]
    assert detail["outcome"] == "open" and detail["verifiedOrderNumber"] == "1001"

    detail = await ok(await client.get(f"{LIST}/{ids['c3']}", headers=store.headers))
    assert detail["inquiries"] == [] and detail["customer"] is None
    assert detail["outcome"] == "open" and detail["verifiedOrderNumber"] is None


async def test_customer_data_per_role(
    client: httpx.AsyncClient, session: AsyncSession, store: Any, clock: Clock
) -> None:
    ids = await seed_conversations(client, store, clock)
    owner = await login_as(session, client, store, "owner")
    admin = await login_as(session, client, store, "admin")
    analyst = await login_as(session, client, store, "analyst")
    c1, c2 = f"{LIST}/{ids['c1']}", f"{LIST}/{ids['c2']}"

    # Owners, admins and API keys (which act as admin) see customers as they are.
    for headers in (owner, admin, store.headers):
        page = await ok(await client.get(LIST, headers=headers))
        assert page["piiMasked"] is False
        assert page["items"][-1]["customer"] == {"email": ALICE, "name": "Alice Liddell"}
        detail = await ok(await client.get(c1, headers=headers))
        assert detail["piiMasked"] is False
        assert detail["customer"] == {"email": ALICE, "name": "Alice Liddell"}
        assert detail["messages"][0]["text"] == f"where is my order #1001? {ALICE}"

    # Analysts: masked in the rows, the customer record and the message text.
    r = await client.get(LIST, headers=analyst)
    page = await ok(r)
    assert page["piiMasked"] is True
    by_id = {row["id"]: row for row in page["items"]}
    assert by_id[ids["c1"]]["customer"] == {"email": "a***@example.com", "name": "A*** L***"}
    assert by_id[ids["c2"]]["customer"] == {"email": "b***@example.com", "name": "B*** B***"}
    assert by_id[ids["c3"]]["customer"] is None
    texts = [r.text]
    detail = await ok(r := await client.get(c1, headers=analyst))
    texts.append(r.text)
    assert detail["piiMasked"] is True
    assert detail["customer"] == {"email": "a***@example.com", "name": "A*** L***"}
    assert detail["messages"][0]["text"] == "where is my order #1001? a***@example.com"
    detail = await ok(r := await client.get(c2, headers=analyst))
    texts.append(r.text)
    assert detail["messages"][0]["text"] == "¿Dónde está mi pedido 1002? b***@example.com"
    for text in texts:
        for secret in (ALICE, "bob@example.com", "Liddell", "Bob Brown"):
            assert secret not in text

    # The widget reads its own conversation as the customer wrote it, without the record.
    widget = {"X-Widget-Key": store.widget_key}
    detail = await ok(await client.get(c1, headers=widget))
    assert detail["customer"] is None and detail["piiMasked"] is False
    assert detail["messages"][0]["text"] == f"where is my order #1001? {ALICE}"
    # ... and cannot list the store's conversations.
    r = await client.get(LIST, headers=widget)
    assert r.status_code == 401, r.text


async def test_another_stores_conversations_are_not_found(
    client: httpx.AsyncClient, store: Any, other_store: Any, clock: Clock
) -> None:
    ids = await seed_conversations(client, store, clock)
    path = f"{LIST}/{ids['c1']}"
    for headers in (other_store.headers, {"X-Widget-Key": other_store.widget_key}):
        r = await client.get(path, headers=headers)
        assert r.status_code == 404, r.text
        assert ALICE not in r.text
    r = await client.get(f"{LIST}/{uuid.uuid4()}", headers=store.headers)
    assert r.status_code == 404
    assert await listed(client, other_store.headers) == []


async def test_pages_have_no_duplicates_or_gaps(
    client: httpx.AsyncClient, store: Any, clock: Clock
) -> None:
    """Seven conversations, three of them started at the same instant (the id breaks the
    tie), read three at a time; one started meanwhile does not shift the later pages."""
    starts = [
        "2026-10-13T10:00:00Z",
        "2026-10-13T11:00:00Z",
        "2026-10-13T12:00:00Z",
        "2026-10-13T12:00:00Z",
        "2026-10-13T12:00:00Z",
        "2026-10-13T13:00:00Z",
        "2026-10-13T14:00:00Z",
    ]
    made: list[tuple[str, uuid.UUID]] = []
    for at in starts:
        c = Chat(client, store.headers, clock)
        await c.start(at)
        made.append((at, uuid.UUID(c.id)))
    expected = [str(cid) for _, cid in sorted(made, reverse=True)]

    seen: list[str] = []
    pages: list[int] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = await ok(await client.get(LIST, params=params, headers=store.headers))
        seen += [row["id"] for row in page["items"]]
        pages.append(len(page["items"]))
        cursor = page["nextCursor"]
        if len(pages) == 1:  # a newer conversation arrives while the agent reads page 1
            await Chat(client, store.headers, clock).start("2026-10-13T15:00:00Z")
        if cursor is None:
            break
    assert pages == [3, 3, 1]
    assert seen == expected

    # Filtered pages: the open ones (all seven and the newer one have no inquiry).
    page = await ok(
        await client.get(LIST, params={"limit": 5, "outcome": "open"}, headers=store.headers)
    )
    assert len(page["items"]) == 5 and page["nextCursor"] is not None
    rest = await ok(
        await client.get(
            LIST,
            params={"limit": 5, "outcome": "open", "cursor": page["nextCursor"]},
            headers=store.headers,
        )
    )
    assert rest["nextCursor"] is None
    assert [r["id"] for r in page["items"] + rest["items"]][1:] == expected


@pytest.mark.parametrize(
    "query",
    [
        "inquiry_type=bogus",
        "inquiry_type=status&inquiry_type=bogus",
        "language=xx",
        "outcome=closed",
        "date_range=1y",
        "date_range=custom",
        "date_range=custom&start=2026-10-15&end=2026-10-14",
        "start=2026-10-01",
        "date_range=7d&date_range=30d",
        "limit=0",
        "limit=201",
        "limit=5&limit=10",
        "cursor=not-a-cursor",
    ],
)
async def test_bad_filters_are_422(client: httpx.AsyncClient, store: Any, query: str) -> None:
    r = await client.get(f"{LIST}?{query}", headers=store.headers)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
