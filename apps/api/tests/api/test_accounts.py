"""Getting in without a terminal: sign-up, invites, password reset, the team, the audit log
and the outbox (no SMTP server configured here: mail lands in the outbox)."""

import hashlib
import re
import uuid
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import service as auth_service
from app.core import clock
from app.notifications.models import OutboxEmail

SIGNUP = {
    "storeName": "Maple Goods",
    "timezone": "Europe/Paris",
    "currency": "eur",
    "name": "Olivia Owner",
    "email": "Olivia@Maple.example",
    "password": "correct horse battery",
}


async def _signup(client: httpx.AsyncClient) -> dict[str, Any]:
    r = await client.post("/api/v1/auth/signup", json=SIGNUP)
    assert r.status_code == 201, r.text
    return dict(r.json())


def _owner_headers(me: dict[str, Any]) -> dict[str, str]:
    return {"X-Store-Id": me["stores"][0]["id"]}


async def _outbox(session: AsyncSession, to: str) -> list[OutboxEmail]:
    rows = await session.scalars(
        select(OutboxEmail).where(OutboxEmail.recipient == to).order_by(OutboxEmail.created_at)
    )
    return list(rows)


def _link_token(text: str, page: str) -> str:
    match = re.search(rf"https?://\S+/{page}#(\S+)", text)
    assert match, text
    return match.group(1)


async def test_the_first_visitor_creates_the_owner_and_the_store(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.get("/api/v1/auth/signup")).json() == {"open": True}
    me = await _signup(client)
    assert me["user"]["email"] == "olivia@maple.example"
    [store] = me["stores"]
    assert (store["name"], store["timezone"], store["currency"], store["role"]) == (
        "Maple Goods",
        "Europe/Paris",
        "EUR",
        "owner",
    )
    # Logged in by the cookie the sign-up set.
    assert (await client.get("/api/v1/auth/me")).json()["user"]["email"] == "olivia@maple.example"
    audit = await client.get("/api/v1/settings/audit", headers=_owner_headers(me))
    assert [(e["action"], e["target"]) for e in audit.json()["items"]] == [
        ("store.created", "Maple Goods")
    ]

    assert (await client.get("/api/v1/auth/signup")).json() == {"open": False}
    client.cookies.clear()
    second = await client.post("/api/v1/auth/signup", json=SIGNUP | {"email": "eve@x.example"})
    assert second.status_code == 409, second.text
    assert "invite" in second.json()["detail"]


async def test_sign_up_is_closed_once_the_cli_made_a_user(
    client: httpx.AsyncClient, session: AsyncSession, store: Any
) -> None:
    await auth_service.create_user(session, "cli@x.example", "password-cli", store.id)
    await session.commit()
    assert (await client.get("/api/v1/auth/signup")).json() == {"open": False}
    assert (await client.post("/api/v1/auth/signup", json=SIGNUP)).status_code == 409


async def test_sign_up_is_validated_and_bounded(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/v1/auth/signup", json=SIGNUP | {"timezone": "Mars/Olympus"})
    assert r.status_code == 422 and "time zone" in r.json()["detail"]
    r = await client.post("/api/v1/auth/signup", json=SIGNUP | {"password": "short"})
    assert r.status_code == 422
    r = await client.post("/api/v1/auth/signup", json=SIGNUP | {"storeName": "x" * 70_000})
    assert r.status_code == 413
    # 10 attempts per address an hour: the bad time zone above was one of them.
    for _ in range(9):
        r = await client.post("/api/v1/auth/signup", json=SIGNUP | {"timezone": "Nowhere/X"})
        assert r.status_code == 422
    r = await client.post("/api/v1/auth/signup", json=SIGNUP)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0


async def test_an_invite_is_a_signed_single_use_link_by_email(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    owner = _owner_headers(await _signup(client))
    r = await client.post(
        "/api/v1/settings/team/invites",
        json={"email": "Bob@Maple.example", "role": "analyst"},
        headers=owner,
    )
    assert r.status_code == 201, r.text
    assert (r.json()["email"], r.json()["role"], r.json()["emailed"]) == (
        "bob@maple.example",
        "analyst",
        False,
    )
    [mail] = await _outbox(session, "bob@maple.example")
    assert mail.subject == "You are invited to Maple Goods on WISMO Analytics"
    assert "Olivia Owner invited you to Maple Goods" in mail.text_body
    token = _link_token(mail.text_body, "invite")

    client.cookies.clear()
    preview = await client.post("/api/v1/auth/invites/preview", json={"token": token})
    assert preview.json() == {
        "email": "bob@maple.example",
        "role": "analyst",
        "storeName": "Maple Goods",
        "hasAccount": False,
    }
    r = await client.post(
        "/api/v1/auth/invites/accept",
        json={"token": token, "name": "Bob B", "password": "bobs password"},
    )
    assert r.status_code == 200, r.text
    assert [s["role"] for s in r.json()["stores"]] == ["analyst"]
    assert (await client.get("/api/v1/auth/me")).json()["user"]["email"] == "bob@maple.example"

    client.cookies.clear()
    again = await client.post(
        "/api/v1/auth/invites/accept",
        json={"token": token, "name": "Mallory", "password": "another password"},
    )
    assert again.status_code == 404
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    r = await client.post("/api/v1/auth/invites/preview", json={"token": tampered})
    assert r.status_code == 404

    login = await client.post(
        "/api/v1/auth/login", json={"email": "olivia@maple.example", "password": SIGNUP["password"]}
    )
    assert login.status_code == 200
    team = (await client.get("/api/v1/settings/team", headers=owner)).json()
    assert [(m["email"], m["name"], m["role"]) for m in team["members"]] == [
        ("bob@maple.example", "Bob B", "analyst"),
        ("olivia@maple.example", "Olivia Owner", "owner"),
    ]
    assert team["invites"] == []
    actions = [
        e["action"]
        for e in (await client.get("/api/v1/settings/audit", headers=owner)).json()["items"]
    ]
    assert actions == ["invite.accepted", "invite.created", "store.created"]


async def test_invites_expire_and_can_be_revoked(
    client: httpx.AsyncClient, session: AsyncSession, settings: Any
) -> None:
    owner = _owner_headers(await _signup(client))
    with clock.frozen(clock.now()) as frozen:
        for email in ("late@x.example", "revoked@x.example"):
            r = await client.post(
                "/api/v1/settings/team/invites",
                json={"email": email, "role": "admin"},
                headers=owner,
            )
            assert r.status_code == 201
        revoked_id = r.json()["id"]
        assert (
            await client.delete(f"/api/v1/settings/team/invites/{revoked_id}", headers=owner)
        ).status_code == 204
        [revoked] = await _outbox(session, "revoked@x.example")
        r = await client.post(
            "/api/v1/auth/invites/preview",
            json={"token": _link_token(revoked.text_body, "invite")},
        )
        assert r.status_code == 404

        [late] = await _outbox(session, "late@x.example")
        token = _link_token(late.text_body, "invite")
        frozen.advance(timedelta(hours=settings.invite_ttl_hours, seconds=1))
        r = await client.post("/api/v1/auth/invites/preview", json={"token": token})
        assert r.status_code == 404, r.text
        team = (await client.get("/api/v1/settings/team", headers=owner)).json()
        assert team["invites"] == []


async def test_an_existing_account_accepts_with_its_own_password(
    client: httpx.AsyncClient, session: AsyncSession, other_store: Any
) -> None:
    owner = _owner_headers(await _signup(client))
    await auth_service.create_user(session, "carol@x.example", "carols password", other_store.id)
    await session.commit()
    await client.post(
        "/api/v1/settings/team/invites",
        json={"email": "carol@x.example", "role": "admin"},
        headers=owner,
    )
    [mail] = await _outbox(session, "carol@x.example")
    token = _link_token(mail.text_body, "invite")
    client.cookies.clear()
    preview = await client.post("/api/v1/auth/invites/preview", json={"token": token})
    assert preview.json()["hasAccount"] is True
    wrong = await client.post(
        "/api/v1/auth/invites/accept", json={"token": token, "password": "a new password"}
    )
    assert wrong.status_code == 401
    r = await client.post(
        "/api/v1/auth/invites/accept", json={"token": token, "password": "carols password"}
    )
    assert r.status_code == 200
    assert sorted((s["name"], s["role"]) for s in r.json()["stores"]) == [
        ("Maple Goods", "admin"),
        ("Other Store", "owner"),
    ]


async def test_password_reset_never_tells_and_ends_every_session(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await _signup(client)
    old_session = client.cookies.get("wismo_session")
    client.cookies.clear()
    unknown = await client.post("/api/v1/auth/password-reset", json={"email": "nobody@x.example"})
    known = await client.post("/api/v1/auth/password-reset", json={"email": "OLIVIA@maple.example"})
    assert (unknown.status_code, unknown.json()) == (known.status_code, known.json())
    assert known.status_code == 202
    assert await _outbox(session, "nobody@x.example") == []
    [mail] = await _outbox(session, "olivia@maple.example")
    assert mail.store_id is None  # a reset link is in no store's outbox
    token = _link_token(mail.text_body, "reset-password")

    r = await client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": token, "password": "a fresh secret"}
    )
    assert r.status_code == 204, r.text
    r = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {old_session}"})
    assert r.status_code == 401
    again = await client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": token, "password": "mallorys pick"}
    )
    assert again.status_code == 404
    old = await client.post(
        "/api/v1/auth/login", json={"email": "olivia@maple.example", "password": SIGNUP["password"]}
    )
    assert old.status_code == 401
    new = await client.post(
        "/api/v1/auth/login", json={"email": "olivia@maple.example", "password": "a fresh secret"}
    )
    assert new.status_code == 200


async def test_reset_requests_are_limited_per_account_without_telling(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await _signup(client)
    client.cookies.clear()
    for _ in range(7):
        r = await client.post("/api/v1/auth/password-reset", json={"email": "olivia@maple.example"})
        assert r.status_code == 202
    assert len(await _outbox(session, "olivia@maple.example")) == 5


async def test_the_last_owner_stays(client: httpx.AsyncClient, session: AsyncSession) -> None:
    me = await _signup(client)
    owner = _owner_headers(me)
    olivia = me["user"]["id"]
    store_id = me["stores"][0]["id"]
    r = await client.put(
        f"/api/v1/settings/team/members/{olivia}/role", json={"role": "admin"}, headers=owner
    )
    assert r.status_code == 409 and "owner" in r.json()["detail"]
    r = await client.delete(f"/api/v1/settings/team/members/{olivia}", headers=owner)
    assert r.status_code == 409

    dan = await auth_service.create_user(
        session, "dan@x.example", "dans password", uuid.UUID(store_id), role="analyst"
    )
    await session.commit()
    r = await client.put(
        f"/api/v1/settings/team/members/{dan.id}/role", json={"role": "owner"}, headers=owner
    )
    assert r.status_code == 200 and r.json()["role"] == "owner"
    r = await client.put(
        f"/api/v1/settings/team/members/{olivia}/role", json={"role": "analyst"}, headers=owner
    )
    assert r.status_code == 200
    # Olivia is an analyst now: the team is out of her reach.
    assert (await client.get("/api/v1/settings/team", headers=owner)).status_code == 403

    client.cookies.clear()
    await client.post(
        "/api/v1/auth/login", json={"email": "dan@x.example", "password": "dans password"}
    )
    r = await client.delete(f"/api/v1/settings/team/members/{olivia}", headers=owner)
    assert r.status_code == 204
    targets = [
        (e["actor"], e["action"], e["target"])
        for e in (await client.get("/api/v1/settings/audit", headers=owner)).json()["items"]
    ]
    assert targets[:3] == [
        ("dan@x.example", "member.removed", "olivia@maple.example"),
        ("olivia@maple.example", "member.role_changed", "olivia@maple.example: owner -> analyst"),
        ("olivia@maple.example", "member.role_changed", "dan@x.example: analyst -> owner"),
    ]


async def test_key_settings_and_erasure_changes_are_audited(
    client: httpx.AsyncClient, session: AsyncSession, store: Any
) -> None:
    h = store.headers
    created = await client.post(
        "/api/v1/stores/current/api-keys", json={"name": "helpdesk"}, headers=h
    )
    await client.delete(f"/api/v1/stores/current/api-keys/{created.json()['id']}", headers=h)
    await client.put(
        "/api/v1/stores/current/widget",
        json={"allowedOrigins": ["https://shop.example"]},
        headers=h,
    )
    r = await client.patch(
        "/api/v1/stores/current", json={"name": "Main Store EU", "currency": "eur"}, headers=h
    )
    assert (r.json()["name"], r.json()["currency"]) == ("Main Store EU", "EUR")
    r = await client.patch("/api/v1/stores/current", json={"domain": "not a shop"}, headers=h)
    assert r.status_code == 422
    r = await client.patch("/api/v1/stores/current", json={"domain": None}, headers=h)
    assert r.json()["domain"] is None
    await auth_service.create_user(session, "own@x.example", "owners password", store.id)
    await session.commit()
    await client.post(
        "/api/v1/auth/login", json={"email": "own@x.example", "password": "owners password"}
    )
    owner = {"X-Store-Id": str(store.id)}
    r = await client.post("/api/v1/privacy/erase", json={"email": "zoe@x.example"}, headers=owner)
    assert r.status_code == 200, r.text

    events = (await client.get("/api/v1/settings/audit", headers=owner)).json()["items"]
    key = f"API key {store.api_key[:12]}"
    helpdesk = f"helpdesk ({created.json()['prefix']}…)"
    assert [(e["actor"], e["action"], e["target"]) for e in reversed(events)] == [
        (key, "api_key.created", helpdesk),
        (key, "api_key.revoked", helpdesk),
        (key, "widget.origins_changed", "https://shop.example"),
        (key, "store.updated", "name: Main Store -> Main Store EU"),
        (key, "store.updated", "currency: USD -> EUR"),
        (key, "store.updated", "domain: main-store.myshopify.com -> -"),
        ("own@x.example", "customer.erased", "customer " + _sha256("zoe@x.example")[:16]),
    ]
    assert all(e["ip"] == "127.0.0.1" for e in events)
    assert "zoe@x.example" not in str(events)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


async def test_the_outbox_is_paged_and_hides_invite_links_from_admins(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    me = await _signup(client)
    owner = _owner_headers(me)
    for n in range(3):
        await client.post(
            "/api/v1/settings/team/invites",
            json={"email": f"guest{n}@x.example", "role": "analyst"},
            headers=owner,
        )
    first = (await client.get("/api/v1/settings/outbox?limit=2", headers=owner)).json()
    assert first["smtpConfigured"] is False
    assert [m["recipient"] for m in first["items"]] == ["guest2@x.example", "guest1@x.example"]
    assert "/invite#" in first["items"][0]["textBody"]
    second = (
        await client.get(
            "/api/v1/settings/outbox",
            params={"limit": 2, "cursor": first["nextCursor"]},
            headers=owner,
        )
    ).json()
    assert [m["recipient"] for m in second["items"]] == ["guest0@x.example"]
    assert second["nextCursor"] is None

    await auth_service.create_user(
        session, "ada@x.example", "adas password", uuid.UUID(owner["X-Store-Id"]), role="admin"
    )
    await session.commit()
    await client.post(
        "/api/v1/auth/login", json={"email": "ada@x.example", "password": "adas password"}
    )
    seen = (await client.get("/api/v1/settings/outbox", headers=owner)).json()["items"]
    assert len(seen) == 3 and all(m["textBody"] is None for m in seen)
