"""Roles (DESIGN 8): every route declares who may call it, and no role reaches further.

The walk covers every HTTP route under /api/v1. A route that declares no role, or two, fails
here; so does a store route whose declared role differs from the table below (written from
DESIGN 8 by hand), and one that an analyst, admin, owner or API key can call beyond its rank.
"""

from typing import Any

import httpx
import pytest
from fastapi import routing
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import service as auth_service
from app.api.roles import declared_roles
from tests.api.test_tenancy import _bodies, _fill, _seed_store_a

pytestmark = pytest.mark.dated  # the store's data is relative to the app clock's now

# Everything not listed is analyst (reading) for store routes. DESIGN 8: admins change
# settings, integrations, API keys, the widget and alert destinations, read the outbox, and
# integrations (API keys act as admin) send data; owners erase customer data, manage the team
# and read the audit log.
ABOVE_ANALYST = {
    ("GET", "/api/v1/stores/current/api-keys"): "admin",
    ("POST", "/api/v1/stores/current/api-keys"): "admin",
    ("DELETE", "/api/v1/stores/current/api-keys/{key_id}"): "admin",
    ("PUT", "/api/v1/stores/current/widget"): "admin",
    ("GET", "/api/v1/stores/current/alert-webhook"): "admin",
    ("PUT", "/api/v1/stores/current/alert-webhook"): "admin",
    ("PUT", "/api/v1/orders/{order_number}"): "admin",
    ("POST", "/api/v1/orders/{order_number}/shipments"): "admin",
    ("POST", "/api/v1/shipments/{shipment_id}/events"): "admin",
    ("POST", "/api/v1/inquiries"): "admin",
    ("POST", "/api/v1/inquiries/{inquiry_id}/resolve"): "admin",
    ("PATCH", "/api/v1/inquiries/{inquiry_id}"): "admin",
    ("PUT", "/api/v1/inquiries/by-external/{external_id}"): "admin",
    ("GET", "/api/v1/stores/current/helpdesks"): "admin",
    ("PUT", "/api/v1/stores/current/helpdesks/{provider}"): "admin",
    ("DELETE", "/api/v1/stores/current/helpdesks/{provider}"): "admin",
    ("GET", "/api/v1/stores/current/tracking"): "admin",
    ("PUT", "/api/v1/stores/current/tracking-secret"): "admin",
    ("GET", "/api/v1/privacy/export"): "admin",
    ("POST", "/api/v1/privacy/erase"): "owner",
    ("PATCH", "/api/v1/stores/current"): "admin",
    ("GET", "/api/v1/stores/current/timezone-change"): "admin",
    ("PUT", "/api/v1/stores/current/business-hours"): "admin",
    ("GET", "/api/v1/settings/outbox"): "admin",
    ("GET", "/api/v1/settings/alert-channels"): "admin",
    ("PUT", "/api/v1/settings/alert-channels"): "admin",
    ("GET", "/api/v1/settings/team"): "owner",
    ("POST", "/api/v1/settings/team/invites"): "owner",
    ("DELETE", "/api/v1/settings/team/invites/{invite_id}"): "owner",
    ("PUT", "/api/v1/settings/team/members/{user_id}/role"): "owner",
    ("DELETE", "/api/v1/settings/team/members/{user_id}"): "owner",
    ("GET", "/api/v1/settings/audit"): "owner",
    ("GET", "/api/v1/integrations/shopify"): "admin",
    ("POST", "/api/v1/integrations/shopify/install"): "admin",
    ("POST", "/api/v1/integrations/shopify/backfills"): "admin",
}
NOT_A_STORE_ROLE = {
    ("POST", "/api/v1/auth/login"): "public",
    ("POST", "/api/v1/auth/logout"): "public",
    ("GET", "/api/v1/auth/me"): "user",
    ("POST", "/api/v1/auth/password"): "user",
    ("GET", "/api/v1/settings/digest"): "user",
    ("PUT", "/api/v1/settings/digest"): "user",
    ("GET", "/api/v1/auth/signup"): "public",
    ("POST", "/api/v1/auth/signup"): "public",
    ("POST", "/api/v1/auth/invites/preview"): "public",
    ("POST", "/api/v1/auth/invites/accept"): "public",
    ("POST", "/api/v1/auth/password-reset"): "public",
    ("POST", "/api/v1/auth/password-reset/confirm"): "public",
    ("POST", "/api/v1/webhooks/shopify"): "public",
    ("POST", "/api/v1/webhooks/shopify/app"): "public",
    ("GET", "/api/v1/integrations/shopify/callback"): "public",
    ("POST", "/api/v1/webhooks/tracking/{provider}"): "public",
    ("POST", "/api/v1/webhooks/zendesk"): "public",
    ("POST", "/api/v1/webhooks/gorgias"): "public",
    ("POST", "/api/v1/satisfaction/{inquiry_id}"): "public",
    ("OPTIONS", "/api/v1/chat/{path:path}"): "public",
    ("POST", "/api/v1/chat/conversations"): "chat",
    ("GET", "/api/v1/chat/conversations/{conversation_id}"): "chat",
    ("POST", "/api/v1/chat/conversations/{conversation_id}/messages"): "chat",
    ("POST", "/api/v1/chat/conversations/{conversation_id}/close"): "chat",
}
RANK = {"analyst": 1, "admin": 2, "owner": 3}


def declared(app: Any) -> dict[tuple[str, str], str]:
    """(method, path) -> the role each /api/v1 HTTP route declares (exactly one)."""
    table: dict[tuple[str, str], str] = {}
    for context in routing.iter_route_contexts(app.routes):
        path, methods = getattr(context, "path", ""), getattr(context, "methods", None)
        dependant = getattr(context, "dependant", None)
        if not path.startswith("/api/v1") or not methods or dependant is None:
            continue
        roles = declared_roles(dependant)
        for method in methods:
            if method == "HEAD":
                continue
            assert len(roles) == 1, f"{method} {path} declares {roles or 'no role'}"
            table[(method, path)] = roles[0]
    return table


def test_every_route_declares_the_role_design_8_gives_it(app: Any) -> None:
    table = declared(app)
    assert len(table) >= 40
    for key, role in table.items():
        expected = NOT_A_STORE_ROLE.get(key) or ABOVE_ANALYST.get(key, "analyst")
        assert role == expected, f"{key[0]} {key[1]} declares {role}, DESIGN 8 says {expected}"
    missing = (set(ABOVE_ANALYST) | set(NOT_A_STORE_ROLE)) - set(table)
    assert not missing, f"routes in the table but not in the app: {missing}"


async def _bearer(client: httpx.AsyncClient, session: AsyncSession, store: Any, role: str) -> Any:
    email = f"{role}@roles.example"
    await auth_service.create_user(session, email, "password-roles", store.id, role=role)
    await session.commit()
    r = await client.post(
        "/api/v1/auth/login",
        json={"email": email, "password": "password-roles", "returnToken": True},
    )
    assert r.status_code == 200, r.text
    client.cookies.clear()  # each caller below sends its own credentials
    return {"Authorization": f"Bearer {r.json()['accessToken']}", "X-Store-Id": str(store.id)}


async def test_no_role_reaches_beyond_its_rank(
    app: Any, client: httpx.AsyncClient, session: AsyncSession, store: Any
) -> None:
    ids = await _seed_store_a(client, store, session)
    bodies = _bodies(ids)
    callers = {
        "analyst": await _bearer(client, session, store, "analyst"),
        "admin": await _bearer(client, session, store, "admin"),
        "owner": await _bearer(client, session, store, "owner"),
    }
    api_key = store.headers  # acts as admin
    routes = {k: v for k, v in declared(app).items() if v in RANK}
    # Erasing Alice last keeps her data for the other calls.
    order = sorted(routes, key=lambda k: k == ("POST", "/api/v1/privacy/erase"))
    checked = 0
    for method, route_path in order:
        needed = RANK[routes[(method, route_path)]]
        for name, headers in [*callers.items(), ("api key", api_key)]:
            path_ids = dict(ids)
            if route_path.endswith("/api-keys/{key_id}"):  # never revoke the key in use
                created = await client.post(
                    "/api/v1/stores/current/api-keys", json={"name": "spare"}, headers=api_key
                )
                path_ids["key_id"] = created.json()["id"]
            rank = RANK["admin"] if name == "api key" else RANK[name]
            r = await client.request(
                method,
                _fill(route_path, path_ids),
                json=bodies.get((method, route_path)),
                headers=headers,
            )
            if rank < needed:
                assert r.status_code == 403, f"{name} reached {method} {route_path}: {r.text}"
            else:
                assert r.status_code not in (401, 403), f"{name}: {method} {route_path}: {r.text}"
            checked += 1
    assert checked == 4 * len(routes)


async def test_api_keys_cannot_erase_customers(client: httpx.AsyncClient, store: Any) -> None:
    r = await client.post(
        "/api/v1/privacy/erase", json={"email": "alice@example.com"}, headers=store.headers
    )
    assert r.status_code == 403, r.text
    assert "owner" in r.json()["detail"]


def test_the_schema_states_each_role_and_its_403(app: Any) -> None:
    paths = app.openapi()["paths"]
    keys = paths["/api/v1/stores/current/api-keys"]["post"]
    assert keys["x-required-role"] == "admin" and "403" in keys["responses"]
    overview = paths["/api/v1/analytics/wismo/overview"]["get"]
    assert overview["x-required-role"] == "analyst"
    login = paths["/api/v1/auth/login"]["post"]
    assert login["x-required-role"] == "public" and "403" not in login["responses"]
