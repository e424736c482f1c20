"""Settings > Integrations, tracking card: the webhook URLs, the shared secret, and the
deliveries of the last 24 hours counted by outcome.

EasyPost payloads are the published samples in ../shared/fixtures/webhooks/easypost
(tracker.updated Events, ids evt_... and evt_1); AfterShip ones are built in the shape of
its published tracking_update sample (tests/api/test_webhooks_tracking.py). No shipment is
known, so every verified delivery is parked (202) and counts as accepted.

The clock stands at 2026-11-20 12:00 UTC; "yesterday" is 2026-11-19 06:00 UTC, 30 hours
earlier, outside the 24-hour window.
"""

import json
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import AuditEvent
from app.core import clock
from app.integrations.tracking import REJECTIONS_RECORDED
from app.models import Store, WebhookAttempt
from tests.api.test_webhooks_tracking import C1, aftership, post_aftership, post_easypost
from tests.support import SHARED_DIR

EASYPOST = SHARED_DIR / "fixtures" / "webhooks" / "easypost"
SECRET = "trk-card-secret-0123456789"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
YESTERDAY = datetime(2026, 11, 19, 6, 0, tzinfo=UTC)
NO_SECRET = "this store has no tracking webhook secret configured"
BAD_AFTERSHIP = "invalid or missing aftership-hmac-sha256 signature"
BAD_EASYPOST = "invalid or missing X-Hmac-Signature signature"


def easypost_sample(name: str) -> bytes:
    return (EASYPOST / f"tracker_updated_{name}.json").read_bytes()


async def card(client: httpx.AsyncClient, store: Any) -> dict[str, Any]:
    r = await client.get("/api/v1/stores/current/tracking", headers=store.headers)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def by_provider(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["provider"]: p for p in body["providers"]}


def instant(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


async def test_tracking_card_counts_the_last_day_by_outcome(
    client: httpx.AsyncClient, session: AsyncSession, make_store: Any
) -> None:
    a = await make_store("Card A", "America/New_York")
    b = await make_store("Card B", "America/New_York", tracking_secret=SECRET)
    in_transit = easypost_sample("in_transit")
    delivered = easypost_sample("delivered")
    old_event = aftership([C1], event_id="as-old-1")
    new_event = aftership([C1], event_id="as-new-1")

    with clock.frozen(YESTERDAY) as moment:
        empty = await card(client, a)
        assert empty["secretSet"] is False
        for provider, entry in by_provider(empty).items():
            assert entry["webhookUrl"].startswith("http")
            assert entry["webhookUrl"].endswith(
                f"/api/v1/webhooks/tracking/{provider}?store={a.id}"
            )
            assert (entry["acceptedLastDay"], entry["duplicateLastDay"]) == (0, 0)
            assert (entry["rejectedLastDay"], entry["lastDeliveryAt"]) == (0, None)
        assert [p["provider"] for p in empty["providers"]] == ["aftership", "easypost"]

        r = await post_easypost(client, a.id, in_transit, secret=SECRET)
        assert r.status_code == 401 and NO_SECRET in r.text

        r = await client.put(
            "/api/v1/stores/current/tracking-secret",
            json={"secret": "fifteen-chars!!"},
            headers=a.headers,
        )
        assert r.status_code == 422, r.text
        r = await client.put(
            "/api/v1/stores/current/tracking-secret",
            json={"secret": f"  {SECRET}  "},
            headers=a.headers,
        )
        assert r.status_code == 200, r.text
        assert r.json()["secretSet"] is True
        assert SECRET not in r.text

        assert (await post_aftership(client, a.id, old_event, secret=SECRET)).status_code == 202
        r = await post_aftership(client, a.id, old_event, secret="wrong-secret-000000")
        assert r.status_code == 401

        moment.set(NOW)
        assert (await post_easypost(client, a.id, in_transit, secret=SECRET)).status_code == 202
        assert (await post_easypost(client, a.id, in_transit, secret=SECRET)).status_code == 200
        assert (await post_easypost(client, a.id, delivered, secret=SECRET)).status_code == 202
        r = await post_easypost(client, a.id, delivered, secret="wrong-secret-000000")
        assert r.status_code == 401
        assert (await post_aftership(client, a.id, old_event, secret=SECRET)).status_code == 200
        assert (await post_aftership(client, a.id, new_event, secret=SECRET)).status_code == 202
        r = await post_aftership(client, a.id, new_event, signature="")
        assert r.status_code == 401
        # Store A's secret on store B's URL: refused and counted for B only.
        r = await post_aftership(client, b.id, new_event, secret=SECRET + "x")
        assert r.status_code == 401

        body = await card(client, a)
        other = by_provider(await card(client, b))

    assert body["secretSet"] is True
    providers = by_provider(body)
    after, easy = providers["aftership"], providers["easypost"]
    # AfterShip today: new-1 accepted; old-1 again is a duplicate; the unsigned one rejected.
    # Yesterday's accepted old-1 and its rejected forgery fall outside the window.
    assert (after["acceptedLastDay"], after["duplicateLastDay"], after["rejectedLastDay"]) == (
        1,
        1,
        1,
    )
    assert after["lastError"] == BAD_AFTERSHIP
    assert instant(after["lastErrorAt"]) == NOW
    assert instant(after["lastDeliveryAt"]) == NOW
    # EasyPost today: in-transit and delivered accepted, in-transit repeated, one forgery;
    # yesterday's refusal (no secret yet) is outside the window.
    assert (easy["acceptedLastDay"], easy["duplicateLastDay"], easy["rejectedLastDay"]) == (
        2,
        1,
        1,
    )
    assert easy["lastError"] == BAD_EASYPOST
    assert instant(easy["lastDeliveryAt"]) == NOW

    assert other["aftership"]["rejectedLastDay"] == 1
    assert other["aftership"]["acceptedLastDay"] == 0
    assert other["easypost"]["rejectedLastDay"] == 0

    stored = await session.get(Store, a.id, populate_existing=True)
    assert stored is not None and stored.tracking_webhook_secret == SECRET
    actions = list(
        await session.scalars(
            select(AuditEvent.action).where(
                AuditEvent.store_id == a.id, AuditEvent.action == "tracking_secret.changed"
            )
        )
    )
    assert actions == ["tracking_secret.changed"]


async def test_refusals_recorded_are_bounded_per_minute(
    client: httpx.AsyncClient, session: AsyncSession, make_store: Any
) -> None:
    store = await make_store("Card C", "UTC", tracking_secret=SECRET)
    body = json.dumps(aftership([C1], event_id="as-flood")).encode()
    with clock.frozen(NOW):
        for _ in range(REJECTIONS_RECORDED.count + 5):
            r = await post_aftership(client, store.id, body, signature="forged")
            assert r.status_code == 401
        counted = by_provider(await card(client, store))["aftership"]["rejectedLastDay"]
    assert counted == REJECTIONS_RECORDED.count
    rows = await session.scalar(
        select(func.count()).select_from(WebhookAttempt).where(WebhookAttempt.store_id == store.id)
    )
    assert rows == REJECTIONS_RECORDED.count
