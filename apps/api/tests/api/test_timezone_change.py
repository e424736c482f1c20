"""Changing a store's time zone: the oracle is a store created in the new zone from the start.

The same facts (orders, shipments, tracking scans, inquiries; UTC times chosen around local
midnights and across New York's DST start on 2026-03-08) are sent over the REST API to store A
in America/New_York and store B in Asia/Tokyo. A is then switched to Asia/Tokyo and the job
run: every local column of A's facts and every non-empty rollup row must equal B's.
"""

import random
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import AuditEvent
from app.models import Order, OrderInquiry, Shipment
from app.stores import settings_router
from app.stores.models import TimezoneChange
from app.stores.timezone_change import run_change
from tests.helpers import daily, dims, histograms, nonzero

CARRIERS = ("ups", "fedex", "usps")
CHANNELS = ("email", "chat", "phone")
TYPES = ("status", "tracking", "delivery")


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _facts(seed: int = 13) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    start = datetime(2026, 3, 1, tzinfo=UTC)
    facts = []
    for n in range(40):
        created = start + timedelta(minutes=rng.randrange(0, 18 * 24 * 60))
        shipped = created + timedelta(minutes=rng.randrange(60, 3 * 24 * 60))
        scan = shipped + timedelta(minutes=rng.randrange(30, 24 * 60))
        delivered = scan + timedelta(minutes=rng.randrange(60, 3 * 24 * 60))
        asked = created + timedelta(minutes=rng.randrange(10, 5 * 24 * 60))
        facts.append(
            {
                "number": f"T{n:03d}",
                "created": created,
                "shipped": shipped if n % 5 else None,
                "scan": scan,
                "delivered": delivered if n % 3 else None,
                "carrier": CARRIERS[n % 3],
                "asked": asked if n % 2 else None,
                "answered": asked + timedelta(minutes=rng.randrange(5, 600)),
                "resolved": asked + timedelta(minutes=rng.randrange(600, 3000)),
                "channel": CHANNELS[n % 3],
                "type": TYPES[(n // 2) % 3],
                "rating": 1 + n % 5,
            }
        )
    return facts


async def _ingest(client: httpx.AsyncClient, store: Any, facts: list[dict[str, Any]]) -> None:
    h = store.headers
    for f in facts:
        r = await client.put(
            f"/api/v1/orders/{f['number']}",
            json={"createdAt": _iso(f["created"]), "promisedDeliveryDate": "2026-03-15"},
            headers=h,
        )
        assert r.status_code == 201, r.text
        if f["shipped"] is not None:
            r = await client.post(
                f"/api/v1/orders/{f['number']}/shipments",
                json={
                    "carrier": f["carrier"],
                    "trackingNumber": f"TRK{f['number']}",
                    "shippedAt": _iso(f["shipped"]),
                },
                headers=h,
            )
            assert r.status_code == 201, r.text
            url = f"/api/v1/shipments/{r.json()['id']}/events"
            events = [(f["scan"], "in_transit")]
            if f["delivered"] is not None:
                events.append((f["delivered"], "delivered"))
            for i, (at, status) in enumerate(events):
                r = await client.post(
                    url,
                    json={"occurredAt": _iso(at), "status": status, "eventId": f"e{i}"},
                    headers=h,
                )
                assert r.status_code == 201, r.text
        if f["asked"] is not None:
            r = await client.post(
                "/api/v1/inquiries",
                json={
                    "orderNumber": f["number"],
                    "inquiryType": f["type"],
                    "channel": f["channel"],
                    "createdAt": _iso(f["asked"]),
                    "firstResponseAt": _iso(f["answered"]),
                    "resolvedAt": _iso(f["resolved"]),
                    "rating": f["rating"],
                    "externalId": f"Q{f['number']}",
                },
                headers=h,
            )
            assert r.status_code == 201, r.text


async def _local_columns(session: AsyncSession, store_id: uuid.UUID) -> dict[str, Any]:
    orders = await session.execute(
        select(Order.order_number, Order.local_date).where(Order.store_id == store_id)
    )
    shipments = await session.execute(
        select(
            Shipment.tracking_number, Shipment.shipped_local_date, Shipment.delivered_local_date
        ).where(Shipment.store_id == store_id)
    )
    inquiries = await session.execute(
        select(
            OrderInquiry.external_id,
            OrderInquiry.local_date,
            OrderInquiry.local_hour,
            OrderInquiry.local_weekday,
        ).where(OrderInquiry.store_id == store_id)
    )
    return {
        "orders": sorted(tuple(r) for r in orders.all()),
        "shipments": sorted(tuple(r) for r in shipments.all()),
        "inquiries": sorted(tuple(r) for r in inquiries.all()),
    }


async def _rollups(session: AsyncSession, store_id: uuid.UUID) -> dict[str, Any]:
    """Rollup rows with any counter set (incremental writes may leave all-zero rows behind;
    a rebuild writes none)."""
    session.expire_all()
    return {
        "daily": {d: nonzero(c) for d, c in (await daily(session, store_id)).items() if nonzero(c)},
        "dims": {k: nonzero(c) for k, c in (await dims(session, store_id)).items() if nonzero(c)},
        "histograms": await histograms(session, store_id),
    }


@pytest.fixture
def kicked(monkeypatch: pytest.MonkeyPatch) -> list[uuid.UUID]:
    jobs: list[uuid.UUID] = []

    async def record(job_id: uuid.UUID) -> None:
        jobs.append(job_id)

    monkeypatch.setattr(settings_router, "kick_timezone_change", record)
    return jobs


def _sessions(session: AsyncSession) -> Any:
    @asynccontextmanager
    async def factory() -> AsyncIterator[AsyncSession]:
        yield session

    return factory


async def test_changed_store_equals_a_store_born_in_the_new_zone(
    client: httpx.AsyncClient, session: AsyncSession, make_store: Any, kicked: list[uuid.UUID]
) -> None:
    a = await make_store("Store A", "America/New_York")
    b = await make_store("Store B", "Asia/Tokyo")
    facts = _facts()
    await _ingest(client, a, facts)
    await _ingest(client, b, facts)
    before_a = await _local_columns(session, a.id)
    want = await _local_columns(session, b.id)
    assert before_a != want  # the zones really file some facts under other days
    want_rollups = await _rollups(session, b.id)
    assert await _rollups(session, a.id) != want_rollups

    r = await client.patch(
        "/api/v1/stores/current", json={"timezone": "Asia/Tokyo"}, headers=a.headers
    )
    assert r.status_code == 200, r.text
    assert r.json()["timezone"] == "Asia/Tokyo"
    assert len(kicked) == 1

    progress = await client.get("/api/v1/stores/current/timezone-change", headers=a.headers)
    assert progress.status_code == 200
    assert progress.json() | {"id": None, "createdAt": None} == {
        "id": None,
        "createdAt": None,
        "fromTimezone": "America/New_York",
        "toTimezone": "Asia/Tokyo",
        "status": "pending",
        "done": 0,
        "total": 0,
        "error": None,
        "finishedAt": None,
    }
    again = await client.patch(
        "/api/v1/stores/current", json={"timezone": "Europe/Berlin"}, headers=a.headers
    )
    assert again.status_code == 409, again.text

    assert await run_change(_sessions(session), kicked[0]) == "done"

    session.expire_all()
    assert await _local_columns(session, a.id) == want
    assert await _rollups(session, a.id) == want_rollups

    orders = len(facts)
    shipments = sum(1 for f in facts if f["shipped"] is not None)
    inquiries = sum(1 for f in facts if f["asked"] is not None)
    done = (await client.get("/api/v1/stores/current/timezone-change", headers=a.headers)).json()
    assert (done["status"], done["done"], done["total"]) == (
        "done",
        orders + shipments + inquiries,
        40 + 32 + 20,
    )
    actions = await session.scalars(
        select(AuditEvent.target).where(
            AuditEvent.store_id == a.id, AuditEvent.action == "store.timezone_changed"
        )
    )
    assert list(actions) == ["timezone: America/New_York -> Asia/Tokyo"]

    # Finished: a further change is accepted again; the job is run a second time harmlessly.
    assert await run_change(_sessions(session), kicked[0]) == "done"
    r = await client.patch(
        "/api/v1/stores/current", json={"timezone": "Europe/Berlin"}, headers=a.headers
    )
    assert r.status_code == 200 and len(kicked) == 2


async def test_the_same_zone_again_retries_a_failed_change(
    client: httpx.AsyncClient, session: AsyncSession, store: Any, kicked: list[uuid.UUID]
) -> None:
    r = await client.patch(
        "/api/v1/stores/current", json={"timezone": "Asia/Tokyo"}, headers=store.headers
    )
    assert r.status_code == 200 and len(kicked) == 1
    await session.execute(
        update(TimezoneChange)
        .where(TimezoneChange.id == kicked[0])
        .values(status="failed", error="OperationalError: gone")
    )
    r = await client.patch(
        "/api/v1/stores/current", json={"timezone": "Asia/Tokyo"}, headers=store.headers
    )
    assert r.status_code == 200 and len(kicked) == 2 and kicked[1] != kicked[0]
    assert await run_change(_sessions(session), kicked[1]) == "done"
    r = await client.patch(
        "/api/v1/stores/current", json={"timezone": "Asia/Tokyo"}, headers=store.headers
    )
    assert r.status_code == 200 and len(kicked) == 2


async def test_unknown_or_unchanged_zone(
    client: httpx.AsyncClient, store: Any, kicked: list[uuid.UUID]
) -> None:
    r = await client.patch(
        "/api/v1/stores/current", json={"timezone": "Mars/Olympus"}, headers=store.headers
    )
    assert r.status_code == 422 and "Mars/Olympus" in r.text
    r = await client.patch(
        "/api/v1/stores/current", json={"timezone": "America/New_York"}, headers=store.headers
    )
    assert r.status_code == 200 and kicked == []
    r = await client.get("/api/v1/stores/current/timezone-change", headers=store.headers)
    assert r.status_code == 404
