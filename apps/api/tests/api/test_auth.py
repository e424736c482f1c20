import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import service as auth_service
from app.core.config import DEV_SECRET_KEY, InsecureConfigurationError, Settings
from app.core.security import sign_token
from app.main import create_app
from app.models import ApiKey, User, UserSession

LOGIN = "/api/v1/auth/login"


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
    assert body["accessToken"] is None and body["tokenType"] is None  # not asked for
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


async def _login(client: httpx.AsyncClient, email: str, password: str, **extra: Any) -> Any:
    r = await client.post(LOGIN, json={"email": email, "password": password, **extra})
    assert r.status_code == 200, r.text
    return r


async def test_the_token_is_returned_only_when_asked_for(
    client: httpx.AsyncClient, session: AsyncSession, store: Any
) -> None:
    await auth_service.create_user(session, "tok@example.com", "password-tok", store.id)
    await session.commit()
    r = await _login(client, "tok@example.com", "password-tok", returnToken=True)
    token = r.json()["accessToken"]
    assert token.startswith("wsess_") and r.json()["tokenType"] == "bearer"
    # only its hash is stored
    rows = (await session.scalars(select(UserSession.token_hash))).all()
    assert token not in rows and len(rows) == 1
    client.cookies.clear()
    me = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json()["user"]["email"] == "tok@example.com"


async def test_logout_ends_the_session_cookie_and_bearer(
    client: httpx.AsyncClient, session: AsyncSession, store: Any
) -> None:
    await auth_service.create_user(session, "lo@example.com", "password-lo", store.id)
    await session.commit()
    await _login(client, "lo@example.com", "password-lo")
    cookie = client.cookies["wismo_session"]
    bearer = (await _login(client, "lo@example.com", "password-lo", returnToken=True)).json()[
        "accessToken"
    ]
    client.cookies.clear()
    as_cookie = {"Cookie": f"wismo_session={cookie}"}
    as_bearer = {"Authorization": f"Bearer {bearer}"}
    assert (await client.get("/api/v1/auth/me", headers=as_cookie)).status_code == 200

    out = await client.post("/api/v1/auth/logout", headers=as_cookie)
    assert out.status_code == 204 and 'wismo_session=""' in out.headers["set-cookie"]
    # the old cookie, replayed, is dead; the other session (another device) lives on
    assert (await client.get("/api/v1/auth/me", headers=as_cookie)).status_code == 401
    assert (await client.get("/api/v1/stores/current", headers=as_cookie)).status_code == 401
    assert (await client.get("/api/v1/auth/me", headers=as_bearer)).status_code == 200
    assert (await client.post("/api/v1/auth/logout", headers=as_bearer)).status_code == 204
    assert (await client.get("/api/v1/auth/me", headers=as_bearer)).status_code == 401
    assert await session.scalar(select(func.count()).select_from(UserSession)) == 0


async def test_a_password_change_ends_the_other_sessions(
    client: httpx.AsyncClient, session: AsyncSession, store: Any
) -> None:
    await auth_service.create_user(session, "pw@example.com", "old-password", store.id)
    await session.commit()
    laptop = (await _login(client, "pw@example.com", "old-password", returnToken=True)).json()
    phone = (await _login(client, "pw@example.com", "old-password", returnToken=True)).json()
    client.cookies.clear()
    on_laptop = {"Authorization": f"Bearer {laptop['accessToken']}"}
    on_phone = {"Authorization": f"Bearer {phone['accessToken']}"}
    wrong = await client.post(
        "/api/v1/auth/password",
        json={"currentPassword": "nope", "newPassword": "new-password"},
        headers=on_laptop,
    )
    assert wrong.status_code == 401
    assert (await client.get("/api/v1/auth/me", headers=on_phone)).status_code == 200
    changed = await client.post(
        "/api/v1/auth/password",
        json={"currentPassword": "old-password", "newPassword": "new-password"},
        headers=on_laptop,
    )
    assert changed.status_code == 204
    assert (await client.get("/api/v1/auth/me", headers=on_laptop)).status_code == 200
    assert (await client.get("/api/v1/auth/me", headers=on_phone)).status_code == 401
    old = await client.post(LOGIN, json={"email": "pw@example.com", "password": "old-password"})
    assert old.status_code == 401
    await _login(client, "pw@example.com", "new-password")
    # a password set from the command line ends every session
    await auth_service.create_user(session, "pw@example.com", "third-password", store.id)
    await session.commit()
    assert (await client.get("/api/v1/auth/me", headers=on_laptop)).status_code == 401


async def test_a_session_forged_with_the_development_key_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, store: Any
) -> None:
    user = await auth_service.create_user(session, "fo@example.com", "password-fo", store.id)
    user_id = str(user.id)
    await session.commit()
    for secret in (DEV_SECRET_KEY, "test-secret"):
        forged = sign_token(secret, "session", {"uid": user_id}, 3600)
        for headers in (
            {"Authorization": f"Bearer {forged}"},
            {"Cookie": f"wismo_session={forged}"},
        ):
            assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 401
            r = await client.get("/api/v1/stores/current", headers=headers)
            assert r.status_code == 401


def test_production_refuses_the_development_secret() -> None:
    for settings in (
        Settings(environment="production"),
        Settings(environment="production", secret_key="short"),
        Settings(environment="production", secret_key="x" * 40, outbound_allow_private=True),
    ):
        with pytest.raises(InsecureConfigurationError, match="WISMO_"):
            create_app(settings)
    create_app(
        Settings(
            environment="production",
            secret_key="k" * 40,
            encryption_keys="Yw6XeaqIZyI0Ha7cXAUTwYtkJw3WtqwTxUWDz9ZNdV4=",
        )
    )
    create_app(Settings(environment="development"))  # the development key is fine there


async def test_failed_logins_are_limited_per_account_known_or_not(
    client: httpx.AsyncClient, session: AsyncSession, store: Any
) -> None:
    await auth_service.create_user(session, "li@example.com", "right-password", store.id)
    await session.commit()
    for email in ("li@example.com", "nobody@example.com"):
        statuses = [
            (await client.post(LOGIN, json={"email": email, "password": f"guess-{i}"})).status_code
            for i in range(12)
        ]
        assert statuses == [401] * 10 + [429] * 2, email
    # locked: even the right password waits for the window, and says when to come back
    locked = await client.post(
        LOGIN, json={"email": "LI@example.com", "password": "right-password"}
    )
    assert locked.status_code == 429
    assert 1 <= int(locked.headers["retry-after"]) <= 900
    assert locked.json()["retryAfter"] == int(locked.headers["retry-after"])


async def test_failed_logins_are_limited_per_address(client: httpx.AsyncClient) -> None:
    # 50 different accounts, one guess each, from one address: then the address is refused
    statuses = [
        (
            await client.post(
                LOGIN, json={"email": f"u{i}-{uuid.uuid4().hex[:6]}@example.com", "password": "x"}
            )
        ).status_code
        for i in range(51)
    ]
    assert statuses == [401] * 50 + [429]


async def test_an_unknown_account_costs_a_password_check_too(
    session: AsyncSession, store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unknown and known emails do the same work (one argon2 verification), so the answer
    time does not tell which accounts exist."""
    await auth_service.create_user(session, "ct@example.com", "right-password", store.id)
    checked: list[str] = []
    real = auth_service.verify_password

    def counting(password_hash: str, password: str) -> bool:
        checked.append(password_hash[:9])
        return real(password_hash, password)

    monkeypatch.setattr(auth_service, "verify_password", counting)
    for email in ("ct@example.com", "missing@example.com"):
        with pytest.raises(auth_service.AuthenticationError):
            await auth_service.authenticate(session, email, "wrong")
    assert checked == ["$argon2id", "$argon2id"]
