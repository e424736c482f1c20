"""Alert webhook delivery against a real HTTP server on 127.0.0.1: signed, retried with
backoff, recorded on the alert, never sent twice at once.

Delivery commits in its own sessions (it claims alerts before calling out), so these tests
use a scratch database of their own (SQLite file, or a PostgreSQL database created for the
module when WISMO_TEST_BACKEND=postgres).
"""

import asyncio
import hashlib
import hmac
import json
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.config import Settings
from app.core.timeutils import utcnow
from app.db.migrations import upgrade
from app.db.session import build_engine
from app.models import Alert, Store
from app.services import alert_delivery, alerts
from app.services.alert_delivery import RetryPolicy, deliver_pending_alerts
from app.services.stores import create_store
from tests.conftest import BACKEND, PG_URL

FAST = RetryPolicy(base_delay=0.01, max_delay=0.05)


# ---------------------------------------------------------------- a scratch database


def in_thread(fn: Any, *args: Any) -> Any:
    """Run a sync function that calls asyncio.run (Alembic, asyncpg admin) on its own thread,
    so it works even when some earlier test left an event loop running on this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args).result()


def _scratch_url(tmp_path_factory: pytest.TempPathFactory, prefix: str) -> Iterator[str]:
    if BACKEND != "postgres":
        yield f"sqlite+aiosqlite:///{tmp_path_factory.mktemp(prefix) / 'scratch.db'}"
        return
    import asyncpg

    name = f"wismo_{prefix}_{uuid.uuid4().hex[:8]}"
    base = PG_URL.replace("postgresql+asyncpg://", "postgresql://").rpartition("/")[0]

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(f"{base}/postgres")
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    try:
        in_thread(asyncio.run, admin(f'CREATE DATABASE "{name}"'))
    except OSError as exc:
        pytest.skip(f"PostgreSQL unreachable: {exc}")
    yield PG_URL.rpartition("/")[0] + "/" + name
    in_thread(asyncio.run, admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="module")
def scratch_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    for url in _scratch_url(tmp_path_factory, "delivery"):
        in_thread(upgrade, url)
        yield url


@pytest.fixture
async def sessions(scratch_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = build_engine(scratch_url)
    yield async_sessionmaker(engine, expire_on_commit=False)
    await engine.dispose()


# ---------------------------------------------------------------- a scripted receiver


class Receiver:
    """A real HTTP server answering a scripted sequence of statuses (then the last one)."""

    def __init__(self, statuses: list[int], delay: float = 0.0) -> None:
        self.statuses = statuses
        self.delay = delay
        self.requests: list[tuple[dict[str, str], bytes]] = []
        lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with lock:
                    receiver.requests.append(
                        ({k.lower(): v for k, v in self.headers.items()}, body)
                    )
                    n = len(receiver.requests)
                time.sleep(receiver.delay)
                status = receiver.statuses[min(n, len(receiver.statuses)) - 1]
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/wismo"

    def __enter__(self) -> "Receiver":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


async def _store_with_alert(
    sessions: async_sessionmaker[AsyncSession], url: str | None
) -> tuple[uuid.UUID, uuid.UUID, str | None]:
    async with sessions() as session:
        store = await create_store(session, "Delivery Store", "Europe/Berlin")
        secret = None
        if url is not None:
            secret = await alert_delivery.configure_webhook(
                session, store, url, rotate_secret=False, settings=Settings()
            )
        alert, _ = await alerts.raise_alert(
            session,
            store.id,
            kind="inquiry_spike",
            cause_key=f"inquiry_spike:{uuid.uuid4().hex}",
            severity="high",
            payload={"title": "Inquiry spike", "inquiries": 42},
        )
        await session.commit()
        return store.id, alert.id, secret


async def _alert(
    sessions: async_sessionmaker[AsyncSession], store_id: uuid.UUID, alert_id: uuid.UUID
) -> Alert:
    async with sessions() as session:
        alert = await session.get(Alert, (store_id, alert_id))
        assert alert is not None
        return alert


# ---------------------------------------------------------------- tests


async def test_fails_twice_then_succeeds_signed(sessions: async_sessionmaker[AsyncSession]) -> None:
    with Receiver([500, 502, 200]) as hook:
        store_id, alert_id, secret = await _store_with_alert(sessions, hook.url)
        assert secret is not None
        report = await deliver_pending_alerts(sessions, policy=FAST)
        assert alert_id in report.delivered
        mine = [(h, b) for h, b in hook.requests if h["x-wismo-alert-id"] == str(alert_id)]
    assert len(mine) == 3
    for attempt, (headers, body) in enumerate(mine, start=1):
        expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        assert headers["x-wismo-signature"] == f"sha256={expected}"
        assert headers["x-wismo-delivery-attempt"] == str(attempt)
        assert headers["content-type"] == "application/json"
        sent = json.loads(body)
        assert (sent["id"], sent["storeId"], sent["kind"], sent["attempt"]) == (
            str(alert_id),
            str(store_id),
            "inquiry_spike",
            attempt,
        )
        assert sent["payload"] == {"title": "Inquiry spike", "inquiries": 42}
    alert = await _alert(sessions, store_id, alert_id)
    assert alert.delivery_attempts == 3
    assert alert.delivered_at is not None and alert.delivery_error is None
    # delivered alerts are not sent again
    again = await deliver_pending_alerts(sessions, policy=FAST)
    assert alert_id not in again.delivered + again.failed


async def test_a_tampered_body_does_not_verify(sessions: async_sessionmaker[AsyncSession]) -> None:
    with Receiver([200]) as hook:
        _, alert_id, secret = await _store_with_alert(sessions, hook.url)
        await deliver_pending_alerts(sessions, policy=FAST)
        headers, body = next(
            (h, b) for h, b in hook.requests if h["x-wismo-alert-id"] == str(alert_id)
        )
    assert secret is not None
    tampered = body.replace(b'"high"', b'"low"')
    forged = hmac.new(secret.encode(), tampered, hashlib.sha256).hexdigest()
    assert headers["x-wismo-signature"] != f"sha256={forged}"
    wrong_key = hmac.new(b"not-the-secret", body, hashlib.sha256).hexdigest()
    assert headers["x-wismo-signature"] != f"sha256={wrong_key}"


async def test_backoff_across_runs_then_gives_up(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    with Receiver([503]) as hook:
        store_id, alert_id, _ = await _store_with_alert(sessions, hook.url)
        start = utcnow()
        first = await deliver_pending_alerts(sessions, policy=FAST, now=start)
        assert alert_id in first.failed
        alert = await _alert(sessions, store_id, alert_id)
        assert alert.delivery_attempts == 4  # one run
        assert alert.delivery_error == "HTTP 503"
        assert alert.next_delivery_at is not None
        wait = (alert.next_delivery_at - utcnow()).total_seconds()
        assert 50 < wait <= 60  # the first run backoff: 1 minute
        # not due yet: nothing is sent
        before = len(hook.requests)
        idle = await deliver_pending_alerts(sessions, policy=FAST, now=start + timedelta(seconds=5))
        assert alert_id not in idle.failed and len(hook.requests) == before
        second = await deliver_pending_alerts(
            sessions, policy=FAST, now=start + timedelta(minutes=10)
        )
        assert alert_id in second.failed
        alert = await _alert(sessions, store_id, alert_id)
        assert alert.delivery_attempts == 8
        wait = (alert.next_delivery_at - utcnow()).total_seconds()  # type: ignore[operator]
        assert 110 < wait <= 120  # doubled
        third = await deliver_pending_alerts(
            sessions, policy=FAST, now=start + timedelta(minutes=30)
        )
        assert alert_id in third.gave_up
        alert = await _alert(sessions, store_id, alert_id)
        assert alert.delivery_attempts == 12 and alert.delivered_at is None
        assert alert.delivery_error == "gave up after 12 attempts: HTTP 503"
        assert alert.next_delivery_at is None
        later = await deliver_pending_alerts(sessions, policy=FAST, now=start + timedelta(hours=5))
        assert alert_id not in later.failed + later.gave_up + later.delivered
        sent = [h for h, _ in hook.requests if h["x-wismo-alert-id"] == str(alert_id)]
        assert [h["x-wismo-delivery-attempt"] for h in sent] == [str(i) for i in range(1, 13)]


async def test_unreachable_endpoint_records_the_error(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    with Receiver([200]) as hook:
        url = hook.url
    # the server is closed now: connection refused
    store_id, alert_id, _ = await _store_with_alert(sessions, url)
    report = await deliver_pending_alerts(sessions, policy=FAST)
    assert alert_id in report.failed
    alert = await _alert(sessions, store_id, alert_id)
    assert alert.delivery_attempts == 4
    assert alert.delivery_error is not None and alert.delivery_error.startswith("ConnectError")


async def test_two_workers_never_send_one_alert_twice(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    with Receiver([200], delay=0.3) as hook:
        _, alert_id, _ = await _store_with_alert(sessions, hook.url)
        a, b = await asyncio.gather(
            deliver_pending_alerts(sessions, policy=FAST),
            deliver_pending_alerts(sessions, policy=FAST),
        )
        sent = [h for h, _ in hook.requests if h["x-wismo-alert-id"] == str(alert_id)]
    assert len(sent) == 1
    assert (alert_id in a.delivered) != (alert_id in b.delivered)


async def test_no_webhook_or_acknowledged_means_no_delivery(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    with Receiver([200]) as hook:
        _, silent_id, _ = await _store_with_alert(sessions, None)
        store_id, acked_id, _ = await _store_with_alert(sessions, hook.url)
        async with sessions() as session:
            await alerts.acknowledge(session, store_id, acked_id)
            await session.commit()
        report = await deliver_pending_alerts(sessions, policy=FAST)
        ids = {h["x-wismo-alert-id"] for h, _ in hook.requests}
    assert silent_id not in report.delivered and str(silent_id) not in ids
    assert acked_id not in report.delivered and str(acked_id) not in ids


def test_webhook_urls_in_production() -> None:
    prod = Settings(environment="production")
    dev = Settings(environment="development")
    assert alert_delivery.validate_webhook_url("https://hooks.example.com/x", prod)
    assert alert_delivery.validate_webhook_url("http://127.0.0.1:9000/x", dev)
    for bad in (
        "http://hooks.example.com/x",  # not https
        "https://127.0.0.1/x",
        "https://10.1.2.3/x",
        "https://[::1]/x",
        "https://localhost/x",
        "https://user:pw@hooks.example.com/x",
    ):
        with pytest.raises(Exception, match="webhook URL"):
            alert_delivery.validate_webhook_url(bad, prod)


async def test_store_row_keeps_the_secret(sessions: async_sessionmaker[AsyncSession]) -> None:
    store_id, _, secret = await _store_with_alert(sessions, "https://hooks.example.com/x")
    async with sessions() as session:
        store = await session.get(Store, store_id)
        assert store is not None and store.alert_webhook_secret == secret
