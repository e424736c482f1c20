"""Walks every registered API route with a second store's credentials.

Every route that names one of store A's resources must answer 404 to store B, and no
response to B may contain A's identifiers. A new route with a path parameter or body this
test does not know fails here until it is added below, so unscoped routes cannot slip in.
"""

import re
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import service as auth_service
from app.accounts.models import Invite
from app.core import clock
from app.insights import alerts as alerts_service

# Routes whose authentication is not a store credential (the signature or login is the auth);
# each has its own cross-store tests.
NOT_STORE_SCOPED = {
    "/api/v1/auth/login",
    "/api/v1/auth/logout",
    "/api/v1/auth/me",
    "/api/v1/auth/password",
    "/api/v1/auth/signup",
    "/api/v1/auth/invites/preview",
    "/api/v1/auth/invites/accept",
    "/api/v1/auth/password-reset",
    "/api/v1/auth/password-reset/confirm",
    "/api/v1/webhooks/shopify",
    "/api/v1/webhooks/shopify/app",
    "/api/v1/integrations/shopify/callback",
    "/api/v1/webhooks/tracking/{provider}",
    "/api/v1/webhooks/zendesk",
    "/api/v1/webhooks/gorgias",
    "/api/v1/satisfaction/{inquiry_id}",
}

pytestmark = pytest.mark.dated  # data relative to the app clock's now

NOW = clock.now().replace(microsecond=0)


def _bodies(ids: dict[str, str]) -> dict[tuple[str, str], Any]:
    at = (NOW - timedelta(hours=1)).isoformat()
    return {
        ("PUT", "/api/v1/orders/{order_number}"): {"createdAt": at},
        ("POST", "/api/v1/orders/{order_number}/shipments"): {
            "carrier": "UPS",
            "trackingNumber": "1ZB",
            "shippedAt": at,
        },
        ("POST", "/api/v1/shipments/{shipment_id}/events"): {
            "occurredAt": at,
            "status": "in_transit",
        },
        ("POST", "/api/v1/inquiries"): {
            "inquiryType": "status",
            "orderNumber": ids["order_number"],
        },
        ("POST", "/api/v1/inquiries/{inquiry_id}/resolve"): {},
        ("PATCH", "/api/v1/inquiries/{inquiry_id}"): {"escalated": True},
        ("PUT", "/api/v1/inquiries/by-external/{external_id}"): {
            "inquiryType": "status",
            "escalated": True,
        },
        ("POST", "/api/v1/stores/current/api-keys"): {"name": "b"},
        ("POST", "/api/v1/chat/conversations"): {"channel": "chat"},
        ("POST", "/api/v1/chat/conversations/{conversation_id}/messages"): {"text": "hi"},
        ("POST", "/api/v1/chat/conversations/{conversation_id}/close"): None,
        ("POST", "/api/v1/alerts/{alert_id}/acknowledge"): None,
        ("POST", "/api/v1/privacy/erase"): {"email": "alice@example.com"},
        ("PUT", "/api/v1/stores/current/alert-webhook"): {"url": "https://b.example.com/hook"},
        ("PUT", "/api/v1/stores/current/widget"): {"allowedOrigins": ["https://b.example.com"]},
        ("PATCH", "/api/v1/stores/current"): {"currency": "EUR"},
        ("PUT", "/api/v1/settings/alert-channels"): {"routes": {"inquiry_spike": ["email"]}},
        ("PUT", "/api/v1/settings/digest"): {"frequency": "weekly", "hour": 8},
        ("POST", "/api/v1/settings/team/invites"): {"email": "new@b.example", "role": "analyst"},
        ("PUT", "/api/v1/settings/team/members/{user_id}/role"): {"role": "analyst"},
        ("PUT", "/api/v1/stores/current/helpdesks/{provider}"): {"secret": "b-signing-secret"},
        ("PUT", "/api/v1/stores/current/tracking-secret"): {"secret": "b-tracking-secret-0123"},
        ("POST", "/api/v1/integrations/shopify/install"): {"shop": "b-shop.myshopify.com"},
        ("POST", "/api/v1/integrations/shopify/backfills"): {"days": 90},
        ("PUT", "/api/v1/stores/current/business-hours"): {
            "weekly": {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
            | {"sat": [], "sun": []},
            "effectiveFrom": "2026-01-01",
        },
    }


async def _seed_store_a(
    client: httpx.AsyncClient, a: Any, session: AsyncSession | None = None
) -> dict[str, str]:
    h = a.headers
    created = (NOW - timedelta(days=3)).isoformat()
    r = await client.put(
        "/api/v1/orders/A-1001",
        json={
            "createdAt": created,
            "customerEmail": "alice@example.com",
            "customerName": "Alice A",
        },
        headers=h,
    )
    assert r.status_code == 201, r.text
    r = await client.post(
        "/api/v1/orders/A-1001/shipments",
        json={
            "carrier": "UPS",
            "trackingNumber": "1ZAAAA",
            "shippedAt": (NOW - timedelta(days=2)).isoformat(),
        },
        headers=h,
    )
    shipment_id = r.json()["id"]
    await client.post(
        f"/api/v1/shipments/{shipment_id}/events",
        json={"occurredAt": (NOW - timedelta(days=1)).isoformat(), "status": "in_transit"},
        headers=h,
    )
    r = await client.post(
        "/api/v1/inquiries",
        json={
            "orderNumber": "A-1001",
            "inquiryType": "status",
            "channel": "email",
            "externalId": "helpdesk-A-1",
        },
        headers=h,
    )
    inquiry_id = r.json()["id"]
    keys = (await client.get("/api/v1/stores/current/api-keys", headers=h)).json()
    r = await client.post("/api/v1/chat/conversations", json={}, headers=h)
    conversation_id = r.json()["id"]
    r = await client.post(
        f"/api/v1/chat/conversations/{conversation_id}/messages",
        json={"text": "where is order A-1001? alice@example.com"},
        headers=h,
    )
    assert r.json()["verified"] is True, r.text
    ids = {}
    if session is not None:  # an alert of A's (alerts are raised by workers, not by a route)
        alert, _ = await alerts_service.raise_alert(
            session,
            a.id,
            kind="inquiry_spike",
            cause_key="inquiry_spike:tenancy",
            severity="high",
            payload={"title": "A-1001 spike"},
        )
        # A second member and a pending invite of A's (the team routes name them).
        spare = await auth_service.create_user(
            session, "spare@a.example", "password-spare", a.id, role="analyst"
        )
        invite = Invite(
            store_id=a.id,
            email="pending@a.example",
            role="admin",
            expires_at=NOW + timedelta(days=3),
        )
        session.add(invite)
        await session.commit()
        ids["alert_id"] = str(alert.id)
        ids["user_id"] = str(spare.id)
        ids["invite_id"] = str(invite.id)
    await client.put(
        "/api/v1/stores/current/alert-webhook",
        json={"url": "https://a.example.com/hook"},
        headers=h,
    )
    await client.put(
        "/api/v1/stores/current/helpdesks/zendesk",
        json={"secret": "a-zendesk-signing-secret"},
        headers=h,
    )
    return ids | {
        "order_number": "A-1001",
        "shipment_id": shipment_id,
        "inquiry_id": inquiry_id,
        "external_id": "helpdesk-A-1",
        "key_id": keys[0]["id"],
        "store_id": str(a.id),
        "conversation_id": conversation_id,
        "provider": "zendesk",
    }


def _fill(path: str, ids: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in ids, f"test_tenancy: add a store-A value for path parameter {{{name}}}"
        return ids[name]

    return re.sub(r"\{(\w+)(?::\w+)?\}", value, path)


async def test_every_route_hides_store_a_from_store_b(
    app: Any, client: httpx.AsyncClient, session: AsyncSession, store: Any, other_store: Any
) -> None:
    ids = await _seed_store_a(client, store, session)
    # Store A's resources that could only have come from A:
    secrets = [
        ids["alert_id"],
        "a.example.com",
        ids["shipment_id"],
        ids["inquiry_id"],
        ids["key_id"],
        ids["store_id"],
        ids["conversation_id"],
        "alice@example.com",
        "1ZAAAA",
        "Alice A",
        "spare@a.example",
        "pending@a.example",
        "a-zendesk-signing-secret",
    ]
    bodies = _bodies(ids)

    user = await auth_service.create_user(session, "bob@b.example", "password-b", other_store.id)
    await session.commit()
    assert user is not None
    login = await client.post(
        "/api/v1/auth/login", json={"email": "bob@b.example", "password": "password-b"}
    )
    assert login.status_code == 200
    credentials = [other_store.headers, {"X-Store-Id": str(other_store.id)}]

    # Every route of the API, as the OpenAPI schema lists them (it includes nested routers).
    operations = [
        (method.upper(), path, "requestBody" in op, op.get("x-required-role"))
        for path, item in app.openapi()["paths"].items()
        for method, op in item.items()
        if path.startswith("/api/v1") and path not in NOT_STORE_SCOPED
    ]
    assert len(operations) >= 8
    # B's upsert of an order numbered like A's creates B's own order: run it last. The same
    # for an inquiry keyed by a helpdesk id that A also uses.
    upserts = {"/api/v1/orders/{order_number}", "/api/v1/inquiries/by-external/{external_id}"}
    operations.sort(key=lambda op: op[0] == "PUT" and op[1] in upserts)
    checked = 0
    for method, route_path, has_body, role in operations:
        path = _fill(route_path, ids)
        # A helpdesk's name is no resource of A's: B reaches its own connection.
        names_a_resource = "{" in route_path.replace("{provider}", "")
        key = (method, route_path)
        if has_body:
            assert key in bodies, f"test_tenancy: add a body for {method} {route_path}"
        for headers in credentials:
            r = await client.request(method, path, json=bodies.get(key), headers=headers)
            text = r.text
            for secret in secrets:
                assert secret not in text, f"{method} {route_path} leaked {secret!r} to store B"
            # An API key is refused an owner's route whatever the id (403 says nothing of A).
            key_refused = role == "owner" and "Authorization" in headers
            if names_a_resource and not (method == "PUT" and route_path in upserts):
                expected = 403 if key_refused else 404
                assert r.status_code == expected, f"{method} {route_path}: {r.status_code} {text}"
            checked += 1
    assert checked == 2 * len(operations)

    # The conversation list is not vacuous: A's conversation is in A's list, none in B's.
    conversations = "/api/v1/chat/conversations"
    for headers in credentials:
        r = await client.get(conversations, params={"inquiry_type": "status"}, headers=headers)
        assert r.status_code == 200 and r.json()["items"] == [], r.text
    r = await client.get(conversations, params={"inquiry_type": "status"}, headers=store.headers)
    assert [row["id"] for row in r.json()["items"]] == [ids["conversation_id"]]

    # Store B's upsert of an order with A's number created B's own order, not touched A's.
    r = await client.get("/api/v1/stores/current", headers=store.headers)
    assert r.json()["id"] == ids["store_id"]
