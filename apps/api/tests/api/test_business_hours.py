"""Business hours: PUT/GET /stores/current/business-hours, inquiries measured in opening hours,
and the rollups moving exactly when a version dated in the past re-measures them.

Expected business seconds are worked out by hand in the comments and checked again with the
minute-by-minute walk of tests/unit/test_business_calendar.py (it reads the wall clock with
zoneinfo and knows nothing of the code's interval arithmetic). The store is in
America/New_York; the clocks fall back at 02:00 on Sunday 2026-11-01.
"""

import uuid
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import event, update
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncSession

from app.core import clock
from app.ingestion import rollups
from app.models import OrderInquiry, Store
from app.stores import business_hours
from app.stores.business_calendar import ScheduleVersion
from app.stores.models import BusinessHoursVersion
from tests.helpers import daily, dims, histograms, nonzero
from tests.unit.test_business_calendar import walked_seconds

URL = "/api/v1/stores/current/business-hours"
NOW = "2026-11-30T17:00:00Z"
WEEKDAY = [["09:00", "17:00"]]
OLD = {"mon": WEEKDAY, "tue": WEEKDAY, "wed": WEEKDAY, "thu": WEEKDAY, "fri": WEEKDAY,
       "sat": [["22:00", "06:00"]], "sun": []}  # fmt: skip
LONG = [["08:00", "20:00"]]
NEW = {"mon": LONG, "tue": LONG, "wed": LONG, "thu": LONG, "fri": LONG,
       "sat": [["22:00", "06:00"]], "sun": []}  # fmt: skip
THANKSGIVING = "2026-11-26"


def _versions(*bodies: dict[str, Any]) -> list[ScheduleVersion]:
    return [
        ScheduleVersion(
            date.fromisoformat(b["effectiveFrom"]),
            {day: [tuple(i) for i in hours] for day, hours in b["weekly"].items()},  # type: ignore[misc]
            frozenset(date.fromisoformat(d) for d in b["holidays"]),
        )
        for b in bodies
    ]


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


async def ok(r: httpx.Response, status: int = 200) -> Any:
    assert r.status_code == status, r.text
    return r.json()


async def snapshot(session: AsyncSession, store_id: Any) -> tuple[Any, Any, Any]:
    return (
        {d: nonzero(r) for d, r in (await daily(session, store_id)).items() if nonzero(r)},
        {k: nonzero(r) for k, r in (await dims(session, store_id)).items() if nonzero(r)},
        await histograms(session, store_id),
    )


async def test_business_seconds_follow_the_versions_and_move_the_rollups_exactly(
    client: httpx.AsyncClient, session: AsyncSession, store: Any
) -> None:
    h = store.headers
    old = {"weekly": OLD, "holidays": [THANKSGIVING], "effectiveFrom": "2026-10-01"}
    with clock.frozen(NOW):
        empty = await ok(await client.get(URL, headers=h))
        assert empty == {
            "timezone": "America/New_York", "versions": [], "current": None, "remeasured": None
        }  # fmt: skip
        body = await ok(await client.put(URL, json=old, headers=h))
        assert [v["effectiveFrom"] for v in body["versions"]] == ["2026-10-01"]
        assert body["current"]["weekly"]["sat"] == [["22:00", "06:00"]]
        assert body["remeasured"] == 0  # no inquiries yet

        inquiries = {
            # Fri 16:00 EDT -> Mon 09:30 / 10:00 EST: 1 h on Friday, Saturday night 22:00 EDT to
            # Sunday 06:00 EST is 9 h (the clocks fall back), 0.5 h / 1 h on Monday.
            "fallback": ("2026-10-30T20:00:00Z", "2026-11-02T14:30:00Z", "2026-11-02T15:00:00Z"),
            # Before the first version: no business seconds at all.
            "before": ("2026-09-20T15:00:00Z", "2026-09-20T16:00:00Z", "2026-09-21T15:00:00Z"),
            # Wed 16:30 -> Fri 09:15 EST with Thanksgiving closed: 0.5 h + 0.25 h.
            "holiday": ("2026-11-25T21:30:00Z", "2026-11-27T14:05:00Z", "2026-11-27T14:15:00Z"),
            # Fri 16:00 -> Mon 09:00 EST, open across the new version of Monday 2026-11-23:
            # 1 h + 8 h on Saturday night, then nothing on Monday before 09:00 (old hours).
            "across": ("2026-11-20T21:00:00Z", None, "2026-11-23T14:00:00Z"),
        }
        ids = {}
        for name, (created, first, resolved) in inquiries.items():
            payload = {"inquiryType": "status", "channel": "email", "createdAt": created}
            if first:
                payload["firstResponseAt"] = first
            made = await ok(await client.post("/api/v1/inquiries", json=payload, headers=h), 201)
            ids[name] = made["id"]
            # The resolution arrives later, through PATCH (the helpdesk's usual order).
            await ok(
                await client.patch(
                    f"/api/v1/inquiries/{made['id']}", json={"resolvedAt": resolved}, headers=h
                )
            )

        async def business() -> dict[str, tuple[int | None, int | None]]:
            page = await ok(
                await client.get(
                    "/api/v1/analytics/wismo/drilldown/inquiries",
                    params={"date_range": "custom", "start": "2026-09-01", "end": "2026-11-30"},
                    headers=h,
                )
            )
            by_id = {r["id"]: r for r in page["items"]}
            return {
                name: (
                    by_id[i]["firstResponseBusinessSeconds"],
                    by_id[i]["resolutionBusinessSeconds"],
                )
                for name, i in ids.items()
            }

        hour = 3600
        by_hand = {
            "fallback": (10.5 * hour, 11 * hour),
            "before": (None, None),
            "holiday": (0.5 * hour + 5 * 60, 0.75 * hour),
            "across": (None, 9 * hour),
        }
        assert await business() == by_hand

        def walked(versions: list[ScheduleVersion]) -> dict[str, tuple[int | None, int | None]]:
            first_day = min(v.effective_from for v in versions)
            result = {}
            for name, (created, first, resolved) in inquiries.items():
                start = _at(created)
                if start.astimezone(store_zone).date() < first_day:
                    result[name] = (None, None)
                    continue
                result[name] = tuple(  # type: ignore[assignment]
                    walked_seconds(store.timezone, versions, start, _at(end)) if end else None
                    for end in (first, resolved)
                )
            return result

        store_zone = ZoneInfo(store.timezone)
        assert walked(_versions(old)) == by_hand

        # November's overview counts the inquiries made in November: "holiday" and "across".
        overview = await ok(
            await client.get(
                "/api/v1/analytics/wismo/overview",
                params={"date_range": "custom", "start": "2026-11-01", "end": "2026-11-30"},
                headers=h,
            )
        )
        resolution = overview["avgResolutionBusinessSeconds"]["value"]
        assert resolution == (0.75 * hour + 9 * hour) / 2
        assert overview["avgFirstResponseBusinessSeconds"]["value"] == 0.5 * hour + 5 * 60
        assert (
            overview["avgResolutionSeconds"]["value"]
            == (
                (_at("2026-11-27T14:15:00Z") - _at("2026-11-25T21:30:00Z")).total_seconds()
                + (_at("2026-11-23T14:00:00Z") - _at("2026-11-20T21:00:00Z")).total_seconds()
            )
            / 2
        )

        # A version taking effect in the future changes nothing now.
        before = await snapshot(session, store.id)
        future = {"weekly": NEW, "holidays": [], "effectiveFrom": "2026-12-07"}
        body = await ok(await client.put(URL, json=future, headers=h))
        assert body["remeasured"] == 0
        assert body["current"]["effectiveFrom"] == "2026-10-01"
        assert await snapshot(session, store.id) == before
        assert await business() == by_hand

        # One dated Monday 2026-11-23 re-measures what was answered or resolved since then:
        # "holiday" becomes 3.5 h + 1.25 h (first response 3.5 h + 1 h 05), "across" gains
        # Monday 08:00-09:00; "fallback" and "before" stay.
        new = {"weekly": NEW, "holidays": [THANKSGIVING], "effectiveFrom": "2026-11-23"}
        body = await ok(await client.put(URL, json=new, headers=h))
        assert body["remeasured"] == 2
        assert [v["effectiveFrom"] for v in body["versions"]] == [
            "2026-10-01", "2026-11-23", "2026-12-07"
        ]  # fmt: skip
        assert body["current"]["effectiveFrom"] == "2026-11-23"
        changed = {
            **by_hand,
            "holiday": (3.5 * hour + 65 * 60, 4.75 * hour),
            "across": (None, 10 * hour),
        }
        assert await business() == changed
        assert walked(_versions(old, new, future)) == changed

        # Sent again: a retry, nothing re-measured.
        assert (await ok(await client.put(URL, json=new, headers=h)))["remeasured"] == 0

        # The rollups moved exactly: they equal a rebuild from the facts.
        moved = await snapshot(session, store.id)
        await rollups.rebuild_store(session, store.id)
        await session.flush()
        assert await snapshot(session, store.id) == moved
        november = (await daily(session, store.id))[date(2026, 11, 20)]
        assert november["resolution_business_count"] == 1
        assert november["resolution_business_seconds_sum"] == 10 * hour
        assert november["first_response_business_count"] == 0


async def test_business_hours_input_is_checked(client: httpx.AsyncClient, store: Any) -> None:
    h = store.headers
    week = {day: [] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    cases = [
        {**week, "mon": [["09:00", "12:00"], ["11:00", "13:00"]]},  # overlapping
        {**week, "sun": [["22:00", "06:00"]], "mon": [["05:00", "09:00"]]},  # night into Monday
        {**week, "tue": [["25:00", "26:00"]]},
        {**week, "wed": [["9:00", "17:00"]]},
        {**week, "fun": [["09:00", "17:00"]]},
    ]
    for weekly in cases:
        r = await client.put(URL, json={"weekly": weekly, "effectiveFrom": "2026-01-01"}, headers=h)
        assert r.status_code == 422, (weekly, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    r = await client.put(URL, json={"weekly": week}, headers=h)  # no effectiveFrom
    assert r.status_code == 422
    assert (await ok(await client.get(URL, headers=h)))["versions"] == []


async def test_each_process_reads_the_versions_again_only_after_they_change(
    client: httpx.AsyncClient, session: AsyncSession, store: Any
) -> None:
    """Writes measure with a cached calendar, and every change reaches it: one made through the
    API, one committed by another process (its SQL), and none from a change rolled back."""
    h = store.headers
    reads: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "business_hours_versions" in statement:
            reads.append(statement)

    # Mon 2026-11-23 16:00 EST -> Tue 10:00 EST: weekdays 9-17 give 1 h + 1 h; 8-20 give
    # 4 h + 2 h.
    created, answered = "2026-11-23T21:00:00Z", "2026-11-24T15:00:00Z"
    n = 0

    async def measured() -> int | None:
        nonlocal n
        n += 1
        body = {"inquiryType": "status", "channel": "email", "externalId": f"cache-{n}",
                "createdAt": created, "firstResponseAt": answered}  # fmt: skip
        made = await ok(await client.post("/api/v1/inquiries", json=body, headers=h), 201)
        row = await session.get(OrderInquiry, (store.id, uuid.UUID(made["id"])))
        assert row is not None
        await session.refresh(row)
        return row.first_response_business_seconds

    event.listen(Engine, "before_cursor_execute", count)
    try:
        with clock.frozen(NOW):
            assert await measured() is None  # no versions: nothing measured, nothing read
            assert reads == []

            weekday = {"weekly": OLD, "holidays": [], "effectiveFrom": "2026-11-01"}
            await ok(await client.put(URL, json=weekday, headers=h))
            reads.clear()
            assert [await measured() for _ in range(3)] == [2 * 3600] * 3
            assert len(reads) <= 1  # the first write after the change, at most

            row = await session.get(Store, store.id)
            assert row is not None
            async with session.begin_nested() as savepoint:
                await business_hours.put_version(
                    session, row, weekly=NEW, holidays=(), effective_from=date(2026, 11, 1)
                )
                await savepoint.rollback()
            assert await measured() == 2 * 3600  # the rolled-back hours are not used

            # Another process replaces the version's hours and commits, as put_version does.
            await session.execute(
                update(BusinessHoursVersion)
                .where(BusinessHoursVersion.store_id == store.id)
                .values(weekly=NEW)
            )
            await session.execute(
                update(Store).where(Store.id == store.id).values(business_hours_token="elsewhere")
            )
            reads.clear()
            assert [await measured() for _ in range(2)] == [6 * 3600] * 2
            assert len(reads) == 1
    finally:
        event.remove(Engine, "before_cursor_execute", count)
