"""Alert webhook delivery against a real HTTP server on 127.0.0.1: signed, retried with
backoff, recorded on the alert, never sent twice at once.

Delivery commits in its own sessions (it claims alerts before calling out), so these tests
use a scratch database of their own (SQLite file, or a PostgreSQL database created for the
module when WISMO_TEST_BACKEND=postgres).
"""

import asyncio
import hashlib
import hmac
import ipaddress
import json
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.config import Settings
from app.core.errors import ValidationError
from app.core.outbound import (
    BlockedAddressError,
    GuardedTransport,
    OutboundClient,
    OutboundPolicy,
    is_public_address,
    validate_url,
)
from app.core.timeutils import utcnow
from app.db.migrations import upgrade
from app.db.session import build_engine
from app.insights import alerts
from app.models import Alert, Store
from app.notifications import alert_delivery
from app.notifications.alert_delivery import RetryPolicy, deliver_pending_alerts
from app.stores.service import create_store
from tests.conftest import BACKEND, PG_URL
from tests.servers import free_port

FAST = RetryPolicy(base_delay=0.01, max_delay=0.05)
# The receivers here listen on 127.0.0.1 over http: the development switches allow them.
LOCAL = Settings(outbound_allow_http=True, outbound_allow_private=True)


async def deliver(
    sessions: async_sessionmaker[AsyncSession], guard: OutboundClient | None = None, **kw: Any
) -> alert_delivery.DeliveryReport:
    if guard is not None:
        return await deliver_pending_alerts(sessions, client=guard, **kw)
    async with OutboundClient(OutboundPolicy.from_settings(LOCAL)) as client:
        return await deliver_pending_alerts(sessions, client=client, **kw)


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
                session, store, url, rotate_secret=False, settings=LOCAL
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
        report = await deliver(sessions, policy=FAST)
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
    again = await deliver(sessions, policy=FAST)
    assert alert_id not in again.delivered + again.failed


async def test_a_tampered_body_does_not_verify(sessions: async_sessionmaker[AsyncSession]) -> None:
    with Receiver([200]) as hook:
        _, alert_id, secret = await _store_with_alert(sessions, hook.url)
        await deliver(sessions, policy=FAST)
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
        first = await deliver(sessions, policy=FAST, now=start)
        assert alert_id in first.failed
        alert = await _alert(sessions, store_id, alert_id)
        assert alert.delivery_attempts == 4  # one run
        assert alert.delivery_error == "HTTP 503"
        assert alert.next_delivery_at is not None
        wait = (alert.next_delivery_at - utcnow()).total_seconds()
        assert 50 < wait <= 60  # the first run backoff: 1 minute
        # not due yet: nothing is sent
        before = len(hook.requests)
        idle = await deliver(sessions, policy=FAST, now=start + timedelta(seconds=5))
        assert alert_id not in idle.failed and len(hook.requests) == before
        second = await deliver(sessions, policy=FAST, now=start + timedelta(minutes=10))
        assert alert_id in second.failed
        alert = await _alert(sessions, store_id, alert_id)
        assert alert.delivery_attempts == 8
        wait = (alert.next_delivery_at - utcnow()).total_seconds()  # type: ignore[operator]
        assert 110 < wait <= 120  # doubled
        third = await deliver(sessions, policy=FAST, now=start + timedelta(minutes=30))
        assert alert_id in third.gave_up
        alert = await _alert(sessions, store_id, alert_id)
        assert alert.delivery_attempts == 12 and alert.delivered_at is None
        assert alert.delivery_error == "gave up after 12 attempts: HTTP 503"
        assert alert.next_delivery_at is None
        later = await deliver(sessions, policy=FAST, now=start + timedelta(hours=5))
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
    report = await deliver(sessions, policy=FAST)
    assert alert_id in report.failed
    alert = await _alert(sessions, store_id, alert_id)
    assert alert.delivery_attempts == 4
    assert alert.delivery_error == "could not connect"


async def test_two_workers_never_send_one_alert_twice(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    with Receiver([200], delay=0.3) as hook:
        _, alert_id, _ = await _store_with_alert(sessions, hook.url)
        a, b = await asyncio.gather(
            deliver(sessions, policy=FAST),
            deliver(sessions, policy=FAST),
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
        report = await deliver(sessions, policy=FAST)
        ids = {h["x-wismo-alert-id"] for h, _ in hook.requests}
    assert silent_id not in report.delivered and str(silent_id) not in ids
    assert acked_id not in report.delivered and str(acked_id) not in ids


async def test_store_row_keeps_the_secret(sessions: async_sessionmaker[AsyncSession]) -> None:
    store_id, _, secret = await _store_with_alert(sessions, "https://hooks.example.com/x")
    async with sessions() as session:
        store = await session.get(Store, store_id)
        assert store is not None and store.alert_webhook_secret == secret


# ---------------------------------------------------------------- the outbound guard

BYPASSES = [
    "https://127.1/x",
    "https://2130706433/x",
    "https://0x7f000001/x",
    "https://0177.0.0.1/x",
    "https://localhost./x",
    "https://localhost/x",
    "https://metadata.google.internal/computeMetadata/v1/",
    "https://127.0.0.1/x",
    "https://10.1.2.3/x",
    "https://169.254.169.254/latest/meta-data/",
    "https://[::1]/x",
    "https://[::ffff:127.0.0.1]/x",
    "https://user:pw@hooks.example.com/x",
    "https://hooks.example.com/x\r\nX-Injected: 1",
    "https://hooks.example.com\r\n.evil/x",
    "https://hooks.example.com/a b",
    "http://hooks.example.com/x",  # not https
    "ftp://hooks.example.com/x",
]


def test_saved_urls_refuse_every_bypass() -> None:
    guard = OutboundPolicy()  # the default: whatever WISMO_ENVIRONMENT says
    assert validate_url("https://hooks.example.com/x", guard) == "https://hooks.example.com/x"
    assert validate_url("  https://8.8.8.8:8443/x ", guard) == "https://8.8.8.8:8443/x"
    # a public name that resolves to a private address passes here: checked when sending
    assert validate_url("https://127.0.0.1.nip.io/x", guard)
    for bad in BYPASSES:
        with pytest.raises(ValidationError, match="webhook URL"):
            validate_url(bad, guard)
    # the development switches allow http and local receivers, never the odd spellings
    dev = OutboundPolicy(allow_http=True, allow_private=True)
    assert validate_url("http://127.0.0.1:9000/x", dev) and validate_url("http://localhost/", dev)
    for bad in ("https://127.1/x", "https://0x7f000001/x", "http://a.example/x\r\nX: 1"):
        with pytest.raises(ValidationError):
            validate_url(bad, dev)


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2606:4700:4700::1111", True),
        ("127.0.0.1", False),
        ("10.0.0.1", False),
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),  # shared address space (carrier NAT)
        ("0.0.0.0", False),  # noqa: S104
        ("224.0.0.1", False),  # multicast (Python counts it as global)
        ("240.0.0.1", False),
        ("255.255.255.255", False),
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fd00::1", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),
        ("64:ff9b::7f00:1", False),  # NAT64 of 127.0.0.1
        ("2002:7f00:1::", False),  # 6to4 of 127.0.0.1 (Python counts it as global)
    ],
)
def test_public_addresses(address: str, public: bool) -> None:
    assert is_public_address(ipaddress.ip_address(address)) is public


def fake_dns(table: dict[str, list[str]]) -> Any:
    async def resolve(host: str, port: int) -> list[Any]:
        if host not in table:
            raise OSError(f"unknown host {host}")
        return [ipaddress.ip_address(a) for a in table[host]]

    return resolve


DNS = fake_dns(
    {
        "127.0.0.1.nip.io": ["127.0.0.1"],
        "metadata.google.internal": ["169.254.169.254"],
        "rebind.example.test": ["93.184.215.14", "127.0.0.1"],  # one public, one not
        "v6.example.test": ["::ffff:127.0.0.1"],
        "localhost": ["127.0.0.1", "::1"],
    }
)


async def test_every_resolved_address_is_checked_when_sending() -> None:
    # http allowed (the receiver has no TLS), private addresses not: only the address check
    # stands between these names and the receiver on 127.0.0.1.
    policy = OutboundPolicy(allow_http=True, allow_private=False, timeout=5)
    with Receiver([200]) as hook:
        port = hook.server.server_address[1]
        async with httpx.AsyncClient(transport=GuardedTransport(policy, DNS)) as raw:
            for host in (
                "127.0.0.1.nip.io",
                "metadata.google.internal",
                "rebind.example.test",
                "v6.example.test",
                "localhost",
                "localhost.",
                "127.0.0.1",
            ):
                with pytest.raises(BlockedAddressError):
                    await raw.post(f"http://{host}:{port}/x", content=b"{}")
        async with OutboundClient(policy, resolver=DNS) as client:
            results = [
                await client.post(f"http://{host}:{port}/x", content=b"{}", headers={})
                for host in ("127.0.0.1.nip.io", "rebind.example.test", "127.1", "0x7f000001")
            ]
        assert hook.requests == []
    assert [r.error for r in results] == [
        "could not connect",
        "could not connect",
        "invalid URL",
        "invalid URL",
    ]


async def test_tenants_cannot_tell_open_ports_from_closed_ones() -> None:
    guarded = OutboundPolicy(allow_http=True, timeout=5)
    with Receiver([500]) as hook:
        open_port = hook.server.server_address[1]
        closed_port = free_port()
        async with OutboundClient(guarded, resolver=DNS) as client:
            errors = {
                (await client.post(f"http://127.0.0.1.nip.io:{p}/", content=b"", headers={})).error
                for p in (open_port, closed_port)
            }
        assert errors == {"could not connect"} and hook.requests == []
        # with the development switches the answers are still from the fixed vocabulary
        async with OutboundClient(OutboundPolicy.from_settings(LOCAL)) as client:
            opened = await client.post(f"http://127.0.0.1:{open_port}/", content=b"", headers={})
            closed = await client.post(f"http://127.0.0.1:{closed_port}/", content=b"", headers={})
    assert (opened.status_code, opened.error) == (500, "HTTP 500")
    assert (closed.status_code, closed.error) == (None, "could not connect")


async def test_the_vetted_address_is_used_with_the_original_host_header() -> None:
    dev = OutboundPolicy(allow_http=True, allow_private=True, timeout=5)
    dns = fake_dns({"hooks.example.test": ["127.0.0.1"]})
    with Receiver([302]) as hook:
        port = hook.server.server_address[1]
        async with OutboundClient(dev, resolver=dns) as client:
            result = await client.post(
                f"http://hooks.example.test:{port}/in", content=b"{}", headers={}
            )
    assert (result.status_code, result.error) == (302, "HTTP 302")  # redirects not followed
    [(headers, _)] = hook.requests
    assert headers["host"] == f"hooks.example.test:{port}"


async def test_slow_destinations_time_out() -> None:
    with Receiver([200], delay=2.0) as hook:
        policy = OutboundPolicy(allow_http=True, allow_private=True, timeout=0.3)
        async with OutboundClient(policy) as client:
            result = await client.post(hook.url, content=b"{}", headers={})
    assert (result.status_code, result.error) == (None, "timed out")


async def test_one_broken_destination_never_stops_the_others(
    sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    with Receiver([200]) as hook:
        broken_store, broken_alert, _ = await _store_with_alert(sessions, hook.url)
        # A URL saved before validation refused control characters (the attack's \r\n).
        async with sessions() as session:
            store = await session.get(Store, broken_store)
            assert store is not None
            store.alert_webhook_url = "http://127.0.0.1:1/x\r\nHost: evil"
            await session.commit()
        _, good_alert, _ = await _store_with_alert(sessions, hook.url)
        report = await deliver(sessions, policy=FAST)
        assert good_alert in report.delivered and broken_alert in report.failed
        assert (await _alert(sessions, broken_store, broken_alert)).delivery_error == "invalid URL"

        # Even an unexpected crash while delivering one alert leaves the others delivered.
        _, crash_alert, _ = await _store_with_alert(sessions, hook.url)
        _, other_alert, _ = await _store_with_alert(sessions, hook.url)
        real = alert_delivery.post_with_retries

        async def flaky(client: Any, alert: Alert, *args: Any, **kw: Any) -> Any:
            if alert.id == crash_alert:
                raise RuntimeError("boom")
            return await real(client, alert, *args, **kw)

        monkeypatch.setattr(alert_delivery, "post_with_retries", flaky)
        report = await deliver(sessions, policy=FAST)
        assert other_alert in report.delivered
        assert crash_alert not in report.delivered + report.failed
        sent = {h["x-wismo-alert-id"] for h, _ in hook.requests}
    assert {str(good_alert), str(other_alert)} <= sent and str(crash_alert) not in sent
    assert str(broken_alert) not in sent
