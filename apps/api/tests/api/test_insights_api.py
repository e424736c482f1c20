"""Insights, at-risk watchlist, alerts and the alert webhook setting, through the API.

Everything here is relative to the app's clock (`app.core.clock`): the demo data ends on its
today and the API reads the same clock, so the tests pass on any date; `make test-dated`
runs them at fixed dates too (marker `dated`).
"""

import math
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.core import clock
from app.demo import DemoConfig, load_store_data, make_plan
from app.insights import at_risk
from app.insights.alerting import evaluate_alerts
from app.insights.at_risk import RULE_INTERCEPT, RULE_WEIGHTS
from app.models import Store

pytestmark = pytest.mark.dated

NOW = clock.now().replace(microsecond=0)
IMPACT = {"high": 0, "medium": 1, "low": 2}


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


async def ok(r: httpx.Response) -> Any:
    assert r.status_code in (200, 201), r.text
    return r.json()


# ---------------------------------------------------------------- insights on demo data


async def _demo(session: AsyncSession, store: Any, days: int = 84) -> Any:
    row = await session.get(Store, store.id)
    assert row is not None
    config = DemoConfig(days=days, orders_per_day=40, seed=7, now=NOW)
    await load_store_data(session, row, config)
    await session.commit()
    return make_plan(config, row.timezone)


async def test_demo_insights_find_the_planted_spike_and_worst_carrier(
    client: httpx.AsyncClient, session: AsyncSession, store: Any
) -> None:
    plan = await _demo(session, store)
    r = await client.get(
        "/api/v1/analytics/wismo/insights", params={"date_range": "90d"}, headers=store.headers
    )
    insights = await ok(r)
    assert 1 < len(insights) <= 12
    for i in insights:
        assert i["type"] in ("warning", "opportunity", "success")
        assert i["impact"] in IMPACT
        assert i["title"] and i["description"] and i["recommendation"] and i["dataPoints"]
    assert [IMPACT[i["impact"]] for i in insights] == sorted(IMPACT[i["impact"]] for i in insights)
    assert len({i["title"] for i in insights}) == len(insights)

    # the incident the generator plants: a week of weather delays at the region's carrier
    spikes = [i for i in insights if i["kind"] == "inquiry_spike"]
    assert len(spikes) == 1
    spike = spikes[0]["dataPoints"]
    assert spike["start"] <= (plan.incident_start + timedelta(days=2)).isoformat()
    assert spike["end"] >= plan.incident_end.isoformat()
    assert spike["topCarrier"] == plan.incident_carrier == "UPS"
    assert spike["inquiries"] > 2 * spike["expected"]

    # the persistently weakest carrier of the US profile (74% on time, 14% exceptions)
    carriers = {i["dataPoints"]["carrier"]: i for i in insights if i["kind"].startswith("carrier")}
    assert carriers["OnTrac"]["kind"] == "carrier_underperformance"
    assert "the weakest of your carriers" in carriers["OnTrac"]["title"]
    assert carriers["OnTrac"]["dataPoints"]["on_time_rate"]["value"] < 0.8

    # vendor benchmarks are cited as "reported by"
    benchmark = [i for i in insights if i["kind"].startswith("benchmark")]
    assert benchmark and all("reported by" in i["description"] for i in benchmark)

    # stored: the same set comes back; refresh regenerates it
    again = await ok(
        await client.get(
            "/api/v1/analytics/wismo/insights", params={"date_range": "90d"}, headers=store.headers
        )
    )
    assert again == insights
    fresh = await ok(
        await client.get(
            "/api/v1/analytics/wismo/insights",
            params={"date_range": "90d", "refresh": "true"},
            headers=store.headers,
        )
    )
    assert [i["title"] for i in fresh] == [i["title"] for i in insights]
    assert fresh[0]["generatedAt"] >= insights[0]["generatedAt"]


async def test_a_new_store_gets_one_plain_insight(client: httpx.AsyncClient, store: Any) -> None:
    await ok(
        await client.put(
            "/api/v1/orders/N-1",
            json={"createdAt": (NOW - timedelta(days=1)).isoformat()},
            headers=store.headers,
        )
    )
    insights = await ok(await client.get("/api/v1/analytics/wismo/insights", headers=store.headers))
    assert len(insights) == 1
    only = insights[0]
    assert (only["kind"], only["title"], only["impact"]) == (
        "not_enough_data",
        "Not enough data yet",
        "low",
    )
    assert only["dataPoints"]["orders"] == 1


async def test_invalid_range_is_a_problem(client: httpx.AsyncClient, store: Any) -> None:
    r = await client.get(
        "/api/v1/analytics/wismo/insights",
        params={"date_range": "custom", "start": "2026-03-10"},
        headers=store.headers,
    )
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")


# ---------------------------------------------------------------- alerts


async def test_spike_alert_raised_once_listed_and_acknowledged(
    client: httpx.AsyncClient, session: AsyncSession, store: Any, other_store: Any
) -> None:
    plan = await _demo(session, store)
    row = await session.get(Store, store.id)
    assert row is not None
    day = plan.incident_start + timedelta(days=3)
    raised = await evaluate_alerts(session, row, today=day)
    await session.commit()
    kinds = [a.kind for a in raised]
    assert kinds.count("inquiry_spike") == 1
    assert await evaluate_alerts(session, row, today=day) == []  # one alert per cause
    assert await evaluate_alerts(session, row, today=day + timedelta(days=1)) == []
    await session.commit()

    listed = await ok(await client.get("/api/v1/alerts", headers=store.headers))
    spike = next(a for a in listed if a["kind"] == "inquiry_spike")
    assert spike["causeKey"].startswith("inquiry_spike:")
    assert spike["payload"]["start"] <= day.isoformat()
    assert spike["acknowledgedAt"] is None and spike["deliveryAttempts"] == 0

    # another store sees nothing and cannot acknowledge it
    assert await ok(await client.get("/api/v1/alerts", headers=other_store.headers)) == []
    r = await client.post(f"/api/v1/alerts/{spike['id']}/acknowledge", headers=other_store.headers)
    assert r.status_code == 404

    acked = await ok(
        await client.post(f"/api/v1/alerts/{spike['id']}/acknowledge", headers=store.headers)
    )
    assert acked["acknowledgedAt"] is not None
    open_now = await ok(await client.get("/api/v1/alerts", headers=store.headers))
    assert spike["id"] not in {a["id"] for a in open_now}
    everything = await ok(
        await client.get(
            "/api/v1/alerts", params={"include_acknowledged": "true"}, headers=store.headers
        )
    )
    assert spike["id"] in {a["id"] for a in everything}
    # acknowledged means silenced: the same incident does not come back
    assert [
        a for a in await evaluate_alerts(session, row, today=day) if a.kind == "inquiry_spike"
    ] == []


async def test_low_satisfaction_alert(
    client: httpx.AsyncClient, session: AsyncSession, store: Any
) -> None:
    tz = ZoneInfo(store.timezone)
    for i in range(24):
        at = NOW - timedelta(days=i % 6, hours=1)
        await ok(
            await client.post(
                "/api/v1/inquiries",
                json={
                    "customerEmail": f"c{i}@example.com",
                    "inquiryType": "status",
                    "channel": "email",
                    "createdAt": at.isoformat(),
                    "resolvedAt": (at + timedelta(minutes=30)).isoformat(),
                    "rating": 2 if i % 4 else 4,  # 18 twos and 6 fours: mean 2.5
                },
                headers=store.headers,
            )
        )
    row = await session.get(Store, store.id)
    assert row is not None
    raised = await evaluate_alerts(session, row, today=NOW.astimezone(tz).date())
    assert [a.kind for a in raised] == ["low_satisfaction"]
    alert = raised[0]
    assert alert.severity == "high"  # below 3.0
    assert alert.payload["satisfactionScore"] == pytest.approx(2.5)
    assert alert.payload["ratings"] == 24


# ---------------------------------------------------------------- at-risk


async def test_at_risk_rules_for_a_new_store(client: httpx.AsyncClient, store: Any) -> None:
    at_risk.clear_cache()
    h = store.headers
    tz = ZoneInfo(store.timezone)
    today = NOW.astimezone(tz).date()

    async def order(number: str, days_ago: float) -> None:
        created = NOW - timedelta(days=days_ago)
        await ok(
            await client.put(
                f"/api/v1/orders/{number}", json={"createdAt": created.isoformat()}, headers=h
            )
        )

    async def ship(number: str, days_ago: float, estimate_in_days: int) -> str:
        body = {
            "carrier": "UPS",
            "trackingNumber": f"1Z{number}",
            "shippedAt": (NOW - timedelta(days=days_ago)).isoformat(),
            "estimatedDelivery": (today + timedelta(days=estimate_in_days)).isoformat(),
        }
        return (
            await ok(await client.post(f"/api/v1/orders/{number}/shipments", json=body, headers=h))
        )["id"]

    async def event(sid: str, hours_ago: float, status: str, subtag: str | None = None) -> None:
        body = {
            "occurredAt": (NOW - timedelta(hours=hours_ago)).isoformat(),
            "status": status,
            "subtag": subtag,
        }
        await ok(await client.post(f"/api/v1/shipments/{sid}/events", json=body, headers=h))

    # late and silent: 2 days past the estimate, last update 4 days ago
    await order("R-1", 6)
    s1 = await ship("R-1", 5, -2)
    await event(s1, 96, "in_transit")
    # an exception a few hours ago
    await order("R-2", 3)
    s2 = await ship("R-2", 2, 3)
    await event(s2, 40, "in_transit")
    await event(s2, 10, "exception", "weather_delay")
    # on its way, on time
    await order("R-3", 2)
    s3 = await ship("R-3", 1, 3)
    await event(s3, 3, "in_transit")
    # delivered: not at risk
    await order("R-5", 4)
    s5 = await ship("R-5", 3, 1)
    await event(s5, 20, "delivered")
    # unfulfilled for 5 days, while orders ship within about a day
    await order("R-4", 5)

    listing = await ok(await client.get("/api/v1/analytics/wismo/at-risk", headers=h))
    assert listing["method"] == "rules"
    assert listing["trainedOn"] == 0
    assert listing["horizonDays"] == 3
    items = listing["items"]
    assert [i["orderNumber"] for i in items] == ["R-1", "R-4", "R-2", "R-3"]
    w = RULE_WEIGHTS
    late_silent = sigmoid(RULE_INTERCEPT + w["past_estimate_1_3d"] + w["no_update_2_6d"])
    overdue = sigmoid(RULE_INTERCEPT + w["unfulfilled_over_p90"] + w["unfulfilled_over_p90_by_1d"])
    exception = sigmoid(RULE_INTERCEPT + w["exception_now"] + w["had_exception"])
    fine = sigmoid(RULE_INTERCEPT)
    assert [i["score"] for i in items] == pytest.approx(
        [late_silent, overdue, exception, fine], abs=1e-4
    )
    first = items[0]
    assert (first["kind"], first["carrier"], first["trackingNumber"], first["status"]) == (
        "shipment",
        "UPS",
        "1ZR-1",
        "in_transit",
    )
    assert first["reasons"] == [
        f"2 days past the original estimate ({(today - timedelta(days=2)).isoformat()})",
        "No tracking update for 4.0 days",
    ]
    assert first["timelineUrl"] == "/api/v1/orders/R-1/timeline"
    assert items[1]["kind"] == "unfulfilled_order" and items[1]["carrier"] is None
    assert items[1]["reasons"][0].startswith("Unfulfilled for 5.0 days")
    assert items[2]["reasons"] == ["Exception: weather delay"]

    limited = await ok(
        await client.get("/api/v1/analytics/wismo/at-risk", params={"limit": 2}, headers=h)
    )
    assert [i["orderNumber"] for i in limited["items"]] == ["R-1", "R-4"]


async def test_at_risk_learns_from_a_store_with_history(
    client: httpx.AsyncClient, session: AsyncSession, store: Any
) -> None:
    at_risk.clear_cache()
    await _demo(session, store, days=70)
    listing = await ok(
        await client.get(
            "/api/v1/analytics/wismo/at-risk", params={"limit": 20}, headers=store.headers
        )
    )
    assert listing["method"] == "learned"
    assert listing["trainedOn"] > 1000
    assert 0 < listing["baseRate"] < 0.5
    scores = [i["score"] for i in listing["items"]]
    assert scores == sorted(scores, reverse=True) and len(scores) == 20
    assert all(i["reasons"] for i in listing["items"][:5])


# ---------------------------------------------------------------- webhook setting


async def test_alert_webhook_setting(client: httpx.AsyncClient, store: Any) -> None:
    h = store.headers
    assert await ok(await client.get("/api/v1/stores/current/alert-webhook", headers=h)) == {
        "url": None,
        "hasSecret": False,
        "secret": None,
        "signatureHeader": "X-Wismo-Signature",
        "signatureScheme": "sha256=hex(HMAC-SHA256(secret, raw body))",
    }
    first = await ok(
        await client.put(
            "/api/v1/stores/current/alert-webhook",
            json={"url": "https://hooks.example.com/w"},
            headers=h,
        )
    )
    assert first["url"] == "https://hooks.example.com/w" and first["secret"].startswith("whsec_")
    shown = await ok(await client.get("/api/v1/stores/current/alert-webhook", headers=h))
    assert shown["hasSecret"] and shown["secret"] is None
    same = await ok(
        await client.put(
            "/api/v1/stores/current/alert-webhook",
            json={"url": "https://hooks.example.com/v2"},
            headers=h,
        )
    )
    assert same["secret"] is None  # the secret is kept (and never shown again)
    rotated = await ok(
        await client.put(
            "/api/v1/stores/current/alert-webhook",
            json={"url": "https://hooks.example.com/v2", "rotateSecret": True},
            headers=h,
        )
    )
    assert rotated["secret"] not in (None, first["secret"])
    for url in (
        "ftp://hooks.example.com",
        "https://hooks.example.com/x\r\nX-Injected: 1",
        "https://127.1/x",
        "https://localhost./x",
        "https://metadata.google.internal/",
        "http://hooks.example.com/x",
    ):
        bad = await client.put("/api/v1/stores/current/alert-webhook", json={"url": url}, headers=h)
        assert bad.status_code == 422, url
    cleared = await ok(
        await client.put("/api/v1/stores/current/alert-webhook", json={"url": None}, headers=h)
    )
    assert cleared["url"] is None
