"""Mail through a real local SMTP server (aiosmtpd): read back what it received."""

import asyncio
import email
import socket
from collections.abc import AsyncIterator, Iterator
from email.message import Message
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import Settings
from app.notifications.email import parse_smtp_url, send_email
from app.notifications.models import OutboxEmail


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"mailer", b"s3cr:t")
    return AuthResult(success=ok)


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=_authenticate,
        auth_require_tls=False,
    )
    controller.start()
    yield inbox, port
    controller.stop()


def test_smtp_urls() -> None:
    plain = parse_smtp_url("smtp://mailer:s3cr%3At@mail.example:2525")
    assert (plain.host, plain.port, plain.username, plain.password, plain.use_tls) == (
        "mail.example",
        2525,
        "mailer",
        "s3cr:t",
        False,
    )
    tls = parse_smtp_url("smtps://relay.example")
    assert (tls.port, tls.use_tls, tls.username) == (465, True, None)


async def test_a_message_reaches_the_smtp_server_with_credentials(
    smtp_server: tuple[Inbox, int], session: AsyncSession, settings: Settings
) -> None:
    inbox, port = smtp_server
    configured = settings.model_copy(
        update={
            "smtp_url": f"smtp://mailer:s3cr%3At@127.0.0.1:{port}",
            "smtp_from": "W <w@x.example>",
        }
    )
    sent = await send_email(
        session,
        configured,
        to="bob@x.example",
        subject="Héllo",
        text="Line one\nhttps://dash.example/invite#abc",
    )
    assert sent is True
    [(recipients, message)] = inbox.messages
    assert recipients == ["bob@x.example"]
    assert (message["To"], message["From"]) == ("bob@x.example", "W <w@x.example>")
    assert str(email.header.make_header(email.header.decode_header(message["Subject"]))) == "Héllo"
    assert "https://dash.example/invite#abc" in message.get_payload(decode=True).decode()
    assert list(await session.scalars(select(OutboxEmail))) == []


async def test_a_failing_or_silent_server_leaves_the_message_in_the_outbox(
    smtp_server: tuple[Inbox, int], session: AsyncSession, settings: Settings
) -> None:
    inbox, _ = smtp_server
    closed = settings.model_copy(update={"smtp_url": f"smtp://127.0.0.1:{_free_port()}"})
    assert await send_email(session, closed, to="a@x.example", subject="s", text="t") is False

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(30)  # accepts the connection and never greets

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    silent_port = server.sockets[0].getsockname()[1]
    try:
        mute = settings.model_copy(
            update={"smtp_url": f"smtp://127.0.0.1:{silent_port}", "smtp_timeout_seconds": 0.5}
        )
        assert await send_email(session, mute, to="b@x.example", subject="s", text="t") is False
    finally:
        server.close()
    rows = {r.recipient: r.error for r in await session.scalars(select(OutboxEmail))}
    assert rows["a@x.example"] == "SMTPConnectError"
    assert rows["b@x.example"] == "timed out"
    assert inbox.messages == []


@pytest.fixture
async def smtp_client(
    app: Any, settings: Settings, smtp_server: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[httpx.AsyncClient]:
    monkeypatch.setattr(settings, "smtp_url", f"smtp://mailer:s3cr%3At@127.0.0.1:{smtp_server[1]}")
    monkeypatch.setattr(settings, "public_url", "https://dash.example")
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


async def test_an_invite_is_mailed_and_its_link_works(
    smtp_client: httpx.AsyncClient, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp_server
    r = await smtp_client.post(
        "/api/v1/auth/signup",
        json={
            "storeName": "Mailed",
            "timezone": "UTC",
            "email": "owner@x.example",
            "password": "owner password",
        },
    )
    assert r.status_code == 201, r.text
    owner = {"X-Store-Id": r.json()["stores"][0]["id"]}
    r = await smtp_client.post(
        "/api/v1/settings/team/invites",
        json={"email": "eve@x.example", "role": "admin"},
        headers=owner,
    )
    assert r.json()["emailed"] is True
    [(recipients, message)] = inbox.messages
    body = message.get_payload(decode=True).decode()
    assert recipients == ["eve@x.example"]
    link = next(
        line for line in body.splitlines() if line.startswith("https://dash.example/invite#")
    )
    token = link.split("#", 1)[1]
    smtp_client.cookies.clear()
    r = await smtp_client.post(
        "/api/v1/auth/invites/accept",
        json={"token": token, "name": "Eve", "password": "eves password"},
    )
    assert r.status_code == 200 and r.json()["stores"][0]["role"] == "admin"
    outbox = (await smtp_client.get("/api/v1/settings/outbox", headers=owner)).json()
    assert outbox == {"smtpConfigured": True, "items": [], "nextCursor": None}
