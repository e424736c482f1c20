from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import ApiKey, User
from app.services import auth as auth_service


async def test_login_sets_cookie_and_lists_memberships(
    client: httpx.AsyncClient, session: AsyncSession, store: Any, other_store: Any
) -> None:
    await auth_service.create_user(session, "Ana@Example.com", "s3cret-pass", store.id)
    await auth_service.create_user(
        session, "ana@example.com", "s3cret-pass", other_store.id, role="analyst"
    )
    await session.commit()

    r = await client.post(
        "/api/v1/auth/login", json={"email": "ana@example.com", "password": "s3cret-pass"}
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["tokenType"] == "bearer"
    assert {s["name"]: s["role"] for s in body["stores"]} == {
        "Main Store": "owner",
        "Other Store": "analyst",
    }
    cookie = r.headers["set-cookie"]
    assert "wismo_session=" in cookie and "HttpOnly" in cookie and "samesite=lax" in cookie.lower()

    me = await client.get("/api/v1/auth/me")  # the cookie jar carries the session
    assert me.status_code == 200
    assert me.json()["user"]["email"] == "ana@example.com"

    # Several stores: the store must be named, and must be one of the user's.
    r = await client.get("/api/v1/stores/current")
    assert r.status_code == 422
    r = await client.get("/api/v1/stores/current", headers={"X-Store-Id": str(other_store.id)})
    assert r.status_code == 200 and r.json()["timezone"] == "Europe/Berlin"


async def test_password_is_stored_as_argon2id(session: AsyncSession, store: Any) -> None:
    await auth_service.create_user(session, "bo@example.com", "pw-123456", store.id)
    user = (await session.scalars(select(User).where(User.email == "bo@example.com"))).one()
    assert user.password_hash.startswith("$argon2id$")
    assert "pw-123456" not in user.password_hash


async def test_wrong_password_is_401_problem(
    client: httpx.AsyncClient, session: AsyncSession, store: Any
) -> None:
    await auth_service.create_user(session, "cy@example.com", "right-password", store.id)
    await session.commit()
    r = await client.post(
        "/api/v1/auth/login", json={"email": "cy@example.com", "password": "wrong"}
    )
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["title"] == "Not authenticated"


async def test_user_cannot_pick_a_store_they_do_not_belong_to(
    client: httpx.AsyncClient, session: AsyncSession, store: Any, other_store: Any
) -> None:
    await auth_service.create_user(session, "di@example.com", "password-1", store.id)
    await session.commit()
    await client.post(
        "/api/v1/auth/login", json={"email": "di@example.com", "password": "password-1"}
    )
    r = await client.get("/api/v1/stores/current", headers={"X-Store-Id": str(other_store.id)})
    assert r.status_code == 404
    r = await client.get("/api/v1/stores/current", headers={"X-Store-Id": "not-a-uuid"})
    assert r.status_code == 422


async def test_api_key_hash_only_and_revocation(
    client: httpx.AsyncClient, session: AsyncSession, store: Any
) -> None:
    r = await client.get("/api/v1/stores/current", headers=store.headers)
    assert r.status_code == 200 and r.json()["name"] == "Main Store"

    created = await client.post(
        "/api/v1/stores/current/api-keys", json={"name": "helpdesk"}, headers=store.headers
    )
    assert created.status_code == 201
    key = created.json()["key"]
    assert key.startswith("wismo_") and created.json()["prefix"] == key[:12]
    rows = (await session.scalars(select(ApiKey).where(ApiKey.store_id == store.id))).all()
    assert all(key not in (row.key_hash, row.prefix) for row in rows)

    new_headers = {"Authorization": f"Bearer {key}"}
    assert (await client.get("/api/v1/stores/current", headers=new_headers)).status_code == 200
    revoke = await client.delete(
        f"/api/v1/stores/current/api-keys/{created.json()['id']}", headers=store.headers
    )
    assert revoke.status_code == 200 and revoke.json()["revokedAt"] is not None
    assert (await client.get("/api/v1/stores/current", headers=new_headers)).status_code == 401


async def test_no_credentials_is_401(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/v1/stores/current")
    assert r.status_code == 401
    r = await client.get("/api/v1/stores/current", headers={"Authorization": "Bearer wismo_nope"})
    assert r.status_code == 401
