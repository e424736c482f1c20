"""Findings of the attack run, replayed against real `wismo serve` processes (loopback)."""

import asyncio
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from app.core.config import Settings
from app.db.session import Database
from app.ingestion.customers import get_or_create_customer
from tests.conftest import REQUIRE_SERVICES
from tests.servers import (
    API_DIR,
    create_store_with_key,
    create_user_with_password,
    free_port,
    redis_server,
    running_server,
    scratch_database_url,
)


class SlowUpload:
    """A raw-socket client that declares a large body and sends it one byte at a time."""

    def __init__(self, base: str, path: str, declared: int, interval: float) -> None:
        host, port = base.removeprefix("http://").split(":")
        self.sock = socket.create_connection((host, int(port)))
        self.sock.sendall(
            (
                f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {declared}\r\n\r\n"
            ).encode()
        )
        self.sent = 0
        self.stopped = threading.Event()
        self.interval = interval
        self.thread = threading.Thread(target=self._drip, daemon=True)
        self.thread.start()

    def _drip(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                self.sock.sendall(b" ")
            except OSError:
                return
            self.sent += 1

    def response(self, timeout: float) -> bytes:
        self.sock.settimeout(timeout)
        return self.sock.recv(65_536)

    def close(self) -> None:
        self.stopped.set()
        self.thread.join()
        self.sock.close()


@contextmanager
def slow_upload(base: str, path: str, declared: int, interval: float) -> Iterator[SlowUpload]:
    upload = SlowUpload(base, path, declared, interval)
    try:
        yield upload
    finally:
        upload.close()


def test_a_slow_anonymous_upload_does_not_stall_writes(tmp_path: Path) -> None:
    url = scratch_database_url(tmp_path)
    _, key = create_store_with_key(url)
    with (
        running_server(url) as base,
        slow_upload(base, "/api/v1/webhooks/shopify", 900_000, 0.05) as upload,
    ):
        while upload.sent < 5:  # the upload is under way
            upload.stopped.wait(0.05)
        r = httpx.post(
            f"{base}/api/v1/inquiries",
            json={"inquiryType": "status", "channel": "chat"},
            headers={"Authorization": f"Bearer {key}"},
            timeout=10,
        )
        assert r.status_code == 201, r.text
        # ... while the upload is still dripping: no answer for it yet
        assert upload.sent < 900_000 and upload.thread.is_alive()


def test_a_body_that_does_not_arrive_in_time_is_refused(tmp_path: Path) -> None:
    url = scratch_database_url(tmp_path)
    with (
        running_server(url, WISMO_BODY_TIMEOUT_SECONDS="1") as base,
        slow_upload(base, "/api/v1/auth/login", 60_000, 0.1) as upload,
    ):
        answer = upload.response(timeout=15)
        assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
        assert b"application/problem+json" in answer
        assert upload.sent < 60_000


def test_production_refuses_to_start_with_the_development_secret(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WISMO_")}
    env |= {
        "WISMO_ENVIRONMENT": "production",
        "WISMO_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'prod.db'}",
    }
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(free_port())],
        cwd=API_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "refusing to start" in done.stderr and "WISMO_SECRET_KEY" in done.stderr


def _ws(base: str, query: str = "", **headers: str) -> Any:
    url = base.replace("http://", "ws://") + "/api/v1/analytics/wismo/live" + query
    return connect(url, additional_headers=headers)


async def _close_code(ws: Any) -> int | None:
    with contextlib.suppress(ConnectionClosed):
        while True:
            await asyncio.wait_for(ws.recv(), 5)
    return int(ws.close_code) if ws.close_code is not None else None


def test_live_tickets_are_single_use_and_secrets_stay_out_of_the_log(tmp_path: Path) -> None:
    url = scratch_database_url(tmp_path)
    store_id, key = create_store_with_key(url)
    create_user_with_password(url, store_id, "live@example.com", "password-live")
    log = tmp_path / "server.log"
    with running_server(url, log_path=log, WISMO_LOG_LEVEL="INFO") as base:

        async def scenario() -> list[str]:
            async with httpx.AsyncClient(base_url=base, timeout=10) as client:
                r = await client.post(
                    "/api/v1/analytics/wismo/live/ticket",
                    headers={"Authorization": f"Bearer {key}"},
                )
                assert r.status_code == 200, r.text
                ticket = r.json()["ticket"]
                async with _ws(base, f"?ticket={ticket}") as ws:
                    assert json.loads(await ws.recv())["type"] == "live.ready"
                # the same ticket again, a forged one, and the old API key in the URL: refused
                for query in (f"?ticket={ticket}", f"?ticket={ticket[:-3]}AAA", f"?token={key}"):
                    async with _ws(base, query) as ws:
                        assert await _close_code(ws) == 4401, query
                # server-side clients may send the API key in the header
                async with _ws(base, Authorization=f"Bearer {key}") as ws:
                    assert json.loads(await ws.recv())["type"] == "live.ready"

                # a dashboard user: the ticket dies with the session
                login = await client.post(
                    "/api/v1/auth/login",
                    json={"email": "live@example.com", "password": "password-live"},
                )
                assert login.status_code == 200
                session_cookie = client.cookies["wismo_session"]
                user_ticket = (await client.post("/api/v1/analytics/wismo/live/ticket")).json()[
                    "ticket"
                ]
                assert (await client.post("/api/v1/auth/logout")).status_code == 204
                async with _ws(base, f"?ticket={user_ticket}") as ws:
                    assert await _close_code(ws) == 4401
                return [ticket, user_ticket, session_cookie]

        secrets = asyncio.run(scenario())
    text = log.read_text()
    assert "/api/v1/analytics/wismo/live" in text and "[redacted]" in text  # the log is there
    for secret in [key, *secrets]:
        assert secret not in text


def _survey_statuses(base: str, forwarded_for: list[str]) -> list[int]:
    path = f"/api/v1/satisfaction/{uuid.uuid4()}"
    with httpx.Client(base_url=base, timeout=10) as client:
        return [
            client.post(
                path, json={"token": "x", "rating": 5}, headers={"X-Forwarded-For": ip}
            ).status_code
            for ip in forwarded_for
        ]


def test_x_forwarded_for_is_believed_only_from_trusted_proxies(tmp_path: Path) -> None:
    url = scratch_database_url(tmp_path)
    spoofed = [f"203.0.113.{i}" for i in range(11)]  # a new "client" on every request
    # Survey answers: 10 a minute per client address. The token is bad (401) until then.
    with running_server(url) as base:
        assert _survey_statuses(base, spoofed) == [401] * 10 + [429]
    with running_server(url, WISMO_TRUSTED_PROXIES="127.0.0.1") as base:
        assert _survey_statuses(base, spoofed) == [401] * 11
        assert _survey_statuses(base, ["198.51.100.7"] * 11) == [401] * 10 + [429]


@pytest.mark.redis
def test_login_limits_hold_across_processes_with_redis(tmp_path: Path) -> None:
    if shutil.which("redis-server") is None:
        if REQUIRE_SERVICES:
            raise RuntimeError("redis-server is required (WISMO_REQUIRE_SERVICES=1)")
        pytest.skip("redis-server not installed")
    url = scratch_database_url(tmp_path)
    guess = {"email": "target@example.com", "password": "guess"}
    with (
        redis_server() as (redis_url, _),
        running_server(url, redis_url=redis_url) as a,
        running_server(url, redis_url=redis_url) as b,
    ):
        statuses = [
            httpx.post(f"{base}/api/v1/auth/login", json=guess, timeout=10).status_code
            for base in [a, b] * 6
        ]
    assert statuses == [401] * 10 + [429] * 2


def test_a_new_customer_seen_by_concurrent_requests_is_created_once(tmp_path: Path) -> None:
    """Two webhooks naming a new customer at once: on PostgreSQL the second waits on the
    first's insert (ON CONFLICT DO NOTHING) and reads its row, instead of a 409."""
    url = scratch_database_url(tmp_path)
    store_id, _ = create_store_with_key(url)

    async def scenario() -> set[uuid.UUID]:
        db = Database(Settings(database_url=url))

        async def first_sight() -> uuid.UUID:
            async with db.writer() as session:
                customer = await get_or_create_customer(
                    session, uuid.UUID(store_id), " New@Example.com", "New"
                )
                await asyncio.sleep(0.2)  # keep the transaction open so the others overlap
                await session.commit()
                return customer.id

        try:
            return set(await asyncio.gather(*(first_sight() for _ in range(5))))
        finally:
            await db.dispose()

    ids = asyncio.run(scenario())
    assert len(ids) == 1


def test_a_client_leaving_mid_body_is_not_an_error(tmp_path: Path) -> None:
    url = scratch_database_url(tmp_path)
    log = tmp_path / "server.log"
    with running_server(url, log_path=log, WISMO_LOG_LEVEL="INFO") as base:
        for path in ("/api/v1/webhooks/shopify", "/api/v1/auth/login", "/api/v1/inquiries"):
            upload = SlowUpload(base, path, 5000, 0.01)
            while upload.sent < 10:
                upload.stopped.wait(0.01)
            upload.close()  # gone, 4990 bytes short
        assert httpx.get(f"{base}/healthz", timeout=10).status_code == 200
    text = log.read_text()
    assert "GET /healthz" in text
    assert "Traceback" not in text and "Exception" not in text and "error" not in text.lower()
