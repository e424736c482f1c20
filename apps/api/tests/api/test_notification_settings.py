"""Alert channel settings (admins) and each member's own digest settings over HTTP."""

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import service as auth_service
from app.core import clock

pytestmark = pytest.mark.dated


async def _login(
    client: httpx.AsyncClient, session: AsyncSession, store: Any, email: str, role: str
) -> dict[str, str]:
    await auth_service.create_user(session, email, "password-notify", store.id, role=role)
    await session.commit()
    r = await client.post(
        "/api/v1/auth/login",
        json={"email": email, "password": "password-notify", "returnToken": True},
    )
    assert r.status_code == 200, r.text
    client.cookies.clear()
    return {"Authorization": f"Bearer {r.json()['accessToken']}", "X-Store-Id": str(store.id)}


async def test_alert_channels_default_to_the_webhook_and_can_be_chosen(
    client: httpx.AsyncClient, session: AsyncSession, store: Any
) -> None:
    admin = await _login(client, session, store, "ada@shop.example", "admin")
    await _login(client, session, store, "ann@shop.example", "analyst")
    r = await client.get("/api/v1/settings/alert-channels", headers=admin)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["slackConfigured"] is False and body["slackUrlHint"] is None
    assert body["emailRecipients"] == ["ada@shop.example"]
    assert body["kinds"] == [
        {"kind": "inquiry_spike", "label": "Inquiry spike", "channels": ["webhook"]},
        {"kind": "low_satisfaction", "label": "Low satisfaction", "channels": ["webhook"]},
    ]
    url = "https://hooks.slack.com/services/T000/B000/abcdefghWXYZ"
    r = await client.put(
        "/api/v1/settings/alert-channels",
        json={"slackWebhookUrl": url, "routes": {"inquiry_spike": ["slack", "email"]}},
        headers=admin,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["slackConfigured"] is True
    assert body["slackUrlHint"] == "https://hooks.slack.com/…WXYZ"
    assert url not in r.text
    assert body["kinds"][0]["channels"] == ["email", "slack"]
    assert body["kinds"][1]["channels"] == ["webhook"]

    # Leaving the URL out keeps it; null clears it.
    r = await client.put(
        "/api/v1/settings/alert-channels",
        json={"routes": {"low_satisfaction": []}},
        headers=admin,
    )
    assert r.json()["slackConfigured"] is True and r.json()["kinds"][1]["channels"] == []
    r = await client.put(
        "/api/v1/settings/alert-channels", json={"slackWebhookUrl": None}, headers=admin
    )
    assert r.json()["slackConfigured"] is False


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"slackWebhookUrl": "http://hooks.slack.com/x"}, "must use https"),
        ({"slackWebhookUrl": "https://10.0.0.1/x"}, "must be a public address"),
        ({"routes": {"refund_wave": ["email"]}}, "unknown alert kind"),
    ],
)
async def test_alert_channel_settings_are_checked(
    client: httpx.AsyncClient, store: Any, body: dict[str, Any], detail: str
) -> None:
    r = await client.put("/api/v1/settings/alert-channels", json=body, headers=store.headers)
    assert r.status_code == 422
    assert detail in r.text


async def test_unknown_channels_are_refused_by_the_schema(
    client: httpx.AsyncClient, store: Any
) -> None:
    r = await client.put(
        "/api/v1/settings/alert-channels",
        json={"routes": {"inquiry_spike": ["pager"]}},
        headers=store.headers,
    )
    assert r.status_code == 422


async def test_each_member_sets_their_own_digest(
    client: httpx.AsyncClient, session: AsyncSession, store: Any
) -> None:
    ann = await _login(client, session, store, "ann@shop.example", "analyst")
    bob = await _login(client, session, store, "bob@shop.example", "analyst")
    r = await client.get("/api/v1/settings/digest", headers=ann)
    assert r.status_code == 200, r.text
    assert r.json() | {"lastSentAt": None} == {
        "frequency": "off",
        "hour": 8,
        "timezone": "America/New_York",
        "nextSendAt": None,
        "lastSentAt": None,
    }
    r = await client.put(
        "/api/v1/settings/digest", json={"frequency": "daily", "hour": 7}, headers=ann
    )
    assert r.status_code == 200, r.text
    assert r.json()["frequency"] == "daily" and r.json()["hour"] == 7
    # Due at 07:00 New York time, within the next day.
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    due = datetime.fromisoformat(r.json()["nextSendAt"].replace("Z", "+00:00"))
    local = due.astimezone(ZoneInfo("America/New_York"))
    assert (local.hour, local.minute) == (7, 0)
    assert timedelta(0) < due - clock.now() <= timedelta(days=1)

    assert (await client.get("/api/v1/settings/digest", headers=bob)).json()["frequency"] == "off"
    r = await client.put("/api/v1/settings/digest", json={"frequency": "off"}, headers=ann)
    assert r.json()["frequency"] == "off" and r.json()["nextSendAt"] is None

    r = await client.put(
        "/api/v1/settings/digest", json={"frequency": "hourly", "hour": 7}, headers=ann
    )
    assert r.status_code == 422
    r = await client.put(
        "/api/v1/settings/digest", json={"frequency": "daily", "hour": 24}, headers=ann
    )
    assert r.status_code == 422


async def test_an_api_key_has_no_digest_of_its_own(client: httpx.AsyncClient, store: Any) -> None:
    r = await client.get("/api/v1/settings/digest", headers=store.headers)
    assert r.status_code == 401
