"""Later outcomes of an inquiry: PATCH /inquiries/{id} and PUT /inquiries/by-external/{id}.

Expected rollups are worked out from the inquiries' own timestamps with zoneinfo (an
independent computation of the store-local day), never read back from the code. The store is
in America/New_York; 2026-03-08 02:00 local is the spring-forward DST change.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.helpers import daily

NEW_YORK = ZoneInfo("America/New_York")
FIELDS = (
    "total_inquiries",
    "resolved_inquiries",
    "resolution_seconds_sum",
    "first_response_count",
    "first_response_seconds_sum",
    "rating_count",
    "rating_sum",
    "satisfied_count",
    "effort_count",
    "effort_sum",
)


@dataclass
class Seen:
    created: str
    resolved: str | None = None
    first_response: str | None = None
    rating: int | None = None
    effort: int | None = None


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def expected(inquiries: list[Seen]) -> dict[date, dict[str, int]]:
    days: dict[date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    for i in inquiries:
        created = _utc(i.created)
        row = days[created.astimezone(NEW_YORK).date()]
        row["total_inquiries"] += 1
        if i.resolved:
            row["resolved_inquiries"] += 1
            row["resolution_seconds_sum"] += int((_utc(i.resolved) - created).total_seconds())
        if i.first_response:
            row["first_response_count"] += 1
            row["first_response_seconds_sum"] += int(
                (_utc(i.first_response) - created).total_seconds()
            )
        if i.rating is not None:
            row["rating_count"] += 1
            row["rating_sum"] += i.rating
            row["satisfied_count"] += int(i.rating >= 4)
        if i.effort is not None:
            row["effort_count"] += 1
            row["effort_sum"] += i.effort
    return dict(days)


async def actual(session: AsyncSession, store_id: uuid.UUID) -> dict[date, dict[str, int]]:
    rows = await daily(session, store_id)
    return {
        day: {f: row[f] for f in FIELDS}
        for day, row in rows.items()
        if row["total_inquiries"] or row["rating_count"]
    }


async def ok(r: httpx.Response, status: int = 200) -> Any:
    assert r.status_code == status, r.text
    return r.json()


async def test_patch_sets_later_outcomes_and_moves_a_changed_rating(
    client: httpx.AsyncClient, session: AsyncSession, store: Any
) -> None:
    h = store.headers
    await ok(
        await client.put(
            "/api/v1/orders/3001", json={"createdAt": "2026-03-02T14:00:00Z"}, headers=h
        ),
        201,
    )
    seen = Seen(created="2026-03-07T15:00:00Z")  # Saturday 10:00 EST
    inquiry = await ok(
        await client.post(
            "/api/v1/inquiries",
            json={"orderNumber": "3001", "inquiryType": "status", "createdAt": seen.created},
            headers=h,
        ),
        201,
    )
    url = f"/api/v1/inquiries/{inquiry['id']}"

    # A rating before any resolution is refused: customers rate resolved inquiries.
    r = await client.patch(url, json={"rating": 5}, headers=h)
    assert r.status_code == 422, r.text

    # Resolved across the spring-forward night: 25 h of UTC time, 24 h on the wall clock.
    seen.first_response, seen.resolved, seen.rating = (
        "2026-03-07T15:30:00Z",
        "2026-03-08T16:00:00Z",
        5,
    )
    body = await ok(
        await client.patch(
            url,
            json={"firstResponseAt": seen.first_response, "resolvedAt": seen.resolved, "rating": 5},
            headers=h,
        )
    )
    assert body["resolutionSeconds"] == 25 * 3600
    assert body["satisfactionRating"] == 5 and body["resolved"] is True
    assert await actual(session, store.id) == expected([seen])

    # The customer changes their mind: the figures move from 5 to 2, and a retry changes nothing.
    seen.rating, seen.effort = 2, 6
    for _ in range(2):
        body = await ok(
            await client.patch(
                url, json={"rating": 2, "effortScore": 6, "feedback": "slow"}, headers=h
            )
        )
        assert body["satisfactionRating"] == 2 and body["effortScore"] == 6
        assert await actual(session, store.id) == expected([seen])
    day = await daily(session, store.id)
    assert day[date(2026, 3, 7)]["rating_sum"] == 2  # by hand: one rating of 2
    assert day[date(2026, 3, 7)]["satisfied_count"] == 0

    # Escalation is a flag that can be set and cleared; first-contact resolution follows it.
    await ok(await client.patch(url, json={"escalated": True}, headers=h))
    assert (await daily(session, store.id))[date(2026, 3, 7)]["first_contact_resolved"] == 0
    await ok(await client.patch(url, json={"escalated": False}, headers=h))
    assert (await daily(session, store.id))[date(2026, 3, 7)]["first_contact_resolved"] == 1

    # A resolution before the inquiry was made is refused; unknown ids are 404.
    r = await client.patch(url, json={"resolvedAt": "2026-03-07T14:00:00Z"}, headers=h)
    assert r.status_code == 422, r.text
    r = await client.patch(f"/api/v1/inquiries/{uuid.uuid4()}", json={"rating": 3}, headers=h)
    assert r.status_code == 404, r.text
    assert await actual(session, store.id) == expected([seen])


async def test_put_by_external_id_creates_then_updates_across_dst(
    client: httpx.AsyncClient, session: AsyncSession, store: Any
) -> None:
    h = store.headers
    await ok(
        await client.put(
            "/api/v1/orders/3002", json={"createdAt": "2026-03-05T14:00:00Z"}, headers=h
        ),
        201,
    )
    # 06:30Z on March 8 is 01:30 EST, before the clocks jump; 07:30Z is 03:30 EDT.
    first = Seen(created="2026-03-08T06:30:00Z", resolved="2026-03-08T07:30:00Z", rating=4)
    url = "/api/v1/inquiries/by-external/zd-4242"
    created = await ok(
        await client.put(
            url,
            json={
                "orderNumber": "3002",
                "inquiryType": "delivery",
                "channel": "email",
                "createdAt": first.created,
                "resolvedAt": first.resolved,
                "rating": 4,
            },
            headers=h,
        ),
        201,
    )
    assert created["resolutionSeconds"] == 3600 and created["localDate"] == "2026-03-08"
    assert await actual(session, store.id) == expected([first])

    # The same helpdesk id again: the identity stays, the later rating replaces the first.
    first.rating = 1
    for _ in range(2):
        again = await ok(
            await client.put(
                url,
                json={"inquiryType": "other", "createdAt": "2026-03-01T00:00:00Z", "rating": 1},
                headers=h,
            )
        )
        assert again["id"] == created["id"]
        assert again["inquiryType"] == "delivery" and again["satisfactionRating"] == 1
        assert await actual(session, store.id) == expected([first])

    # A second ticket late on the evening before, reopened and solved again later.
    second = Seen(created="2026-03-08T04:00:00Z")  # 23:00 EST on March 7
    await ok(
        await client.put(
            "/api/v1/inquiries/by-external/zd-4243",
            json={"orderNumber": "3002", "inquiryType": "status", "createdAt": second.created},
            headers=h,
        ),
        201,
    )
    for resolved in ("2026-03-08T05:00:00Z", "2026-03-08T20:00:00Z"):
        second.resolved = resolved
        await ok(
            await client.put(
                "/api/v1/inquiries/by-external/zd-4243",
                json={"inquiryType": "status", "resolvedAt": resolved},
                headers=h,
            )
        )
        assert await actual(session, store.id) == expected([first, second])
    rows = await daily(session, store.id)
    assert rows[date(2026, 3, 7)]["resolution_seconds_sum"] == 16 * 3600  # 04:00Z -> 20:00Z
