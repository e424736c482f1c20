"""Replays the attack run's findings against `wismo serve` processes this script starts on
127.0.0.1 (loopback only), bounded in count and time; prints one row per finding.

    cd apps/api && uv run python ../../bench/attack/replay.py findings [--backend sqlite|postgres]
    cd apps/api && uv run python ../../bench/attack/replay.py writers --seconds 30 --writers 200 \
        [--backend sqlite|postgres]

`findings` stops by itself within a few minutes; `writers` runs `--writers` concurrent
clients posting inquiries for `--seconds`, then checks that the dashboard's totals equal the
writes that were acknowledged (rollups exact), and prints requests/s, errors and p50/p95.
PostgreSQL databases are scratch ones (wismo_srv_*), dropped at the end.
"""

import argparse
import asyncio
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

API_DIR = Path(__file__).resolve().parents[2] / "apps" / "api"
sys.path.insert(0, str(API_DIR))


def _backend(argv: list[str]) -> str:
    return argv[argv.index("--backend") + 1] if "--backend" in argv else "sqlite"


os.environ["WISMO_TEST_BACKEND"] = _backend(sys.argv)

from app.core.config import Settings  # noqa: E402
from app.db.session import Database  # noqa: E402
from app.ingestion.customers import get_or_create_customer  # noqa: E402
from tests.servers import (  # noqa: E402
    create_store_with_key,
    create_user_with_password,
    free_port,
    running_server,
    scratch_database_url,
)

LOOPBACK = "127.0.0.1"
Row = tuple[str, str, str]
SCRATCH: list[str] = []  # the databases this run made (dropped at the end on PostgreSQL)


def _slow_upload(base: str, path: str, declared: int) -> socket.socket:
    port = int(base.rsplit(":", 1)[1])
    sock = socket.create_connection((LOOPBACK, port))
    sock.sendall(
        f"POST {path} HTTP/1.1\r\nHost: {LOOPBACK}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {declared}\r\n\r\n ".encode()
    )
    return sock


def finding_1(base: str, key: str) -> Row:
    sock = _slow_upload(base, "/api/v1/webhooks/shopify", 900_000)
    try:
        time.sleep(1.0)
        start = time.perf_counter()
        r = httpx.post(
            f"{base}/api/v1/inquiries",
            json={"inquiryType": "status", "channel": "chat"},
            headers={"Authorization": f"Bearer {key}"},
            timeout=60,
        )
        took = (time.perf_counter() - start) * 1000
    finally:
        sock.close()
    return (
        "1 slow upload stalls writes",
        "POST /inquiries waited 24 s",
        f"{r.status_code} in {took:.0f} ms",
    )


BYPASSES = [
    "https://hooks.example.com/x\r\nX-Injected: 1",
    "https://127.1/x",
    "https://2130706433/x",
    "https://0x7f000001/x",
    "https://0177.0.0.1/x",
    "https://localhost./x",
    "https://metadata.google.internal/x",
    "http://hooks.example.com/x",
]


def findings_2_3(base: str, key: str) -> list[Row]:
    h = {"Authorization": f"Bearer {key}"}
    statuses = [
        httpx.put(
            f"{base}/api/v1/stores/current/alert-webhook", json={"url": u}, headers=h
        ).status_code
        for u in BYPASSES
    ]
    crlf, rest = statuses[0], statuses[1:]
    return [
        ("2 \\r\\n alert URL crashes delivery", "accepted; every run crashed", f"refused {crlf}"),
        (
            "3 internal-address bypasses",
            "7 of 7 accepted",
            f"{sum(s == 422 for s in rest)} of {len(rest)} refused (422); resolved addresses "
            "checked per connection (tests)",
        ),
    ]


def finding_4(tmp: Path) -> Row:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WISMO_")}
    env |= {
        "WISMO_ENVIRONMENT": "production",
        "WISMO_DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/p.db",
    }
    done = subprocess.run(  # noqa: S603 (this interpreter, fixed arguments)
        [sys.executable, "-m", "app.cli", "serve", "--port", str(free_port())],
        cwd=API_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return (
        "4 production on the dev secret",
        "started; forged session accepted",
        f"exit {done.returncode}: refused to start",
    )


def finding_5(base: str) -> list[Row]:
    with httpx.Client(base_url=base, timeout=30) as c:
        statuses = [
            c.post(
                "/api/v1/auth/login", json={"email": "owner@example.com", "password": f"g{i}"}
            ).status_code
            for i in range(40)
        ]

        def median_ms(email: str) -> float:
            times = []
            for _ in range(5):
                start = time.perf_counter()
                c.post("/api/v1/auth/login", json={"email": email, "password": "nope"})
                times.append((time.perf_counter() - start) * 1000)
            return statistics.median(times)

        known, unknown = (
            median_ms("analyst@example.com"),
            median_ms(f"{uuid.uuid4().hex}@example.com"),
        )
    return [
        (
            "5a 40 wrong passwords",
            "40 x 401, no limit",
            f"{statuses.count(401)} x 401, then {statuses.count(429)} x 429",
        ),
        ("5b known vs unknown email", "200 ms vs 2 ms", f"{known:.0f} ms vs {unknown:.0f} ms"),
    ]


def finding_6(base: str) -> Row:
    creds = {"email": "analyst@example.com", "password": "password-analyst"}
    with httpx.Client(base_url=base, timeout=30) as c:
        bearer = c.post("/api/v1/auth/login", json={**creds, "returnToken": True}).json()
        c.cookies.clear()  # that login is "another device": keep only its bearer token
        c.post("/api/v1/auth/login", json=creds)
        cookie = c.cookies["wismo_session"]
        c.post("/api/v1/auth/logout")
        c.cookies.clear()
        old_cookie = c.get("/api/v1/auth/me", headers={"Cookie": f"wismo_session={cookie}"})
        other = c.get(
            "/api/v1/auth/me", headers={"Authorization": f"Bearer {bearer['accessToken']}"}
        )
    return (
        "6 logout",
        "old cookie worked 7 days",
        f"old cookie {old_cookie.status_code}; another device's session {other.status_code}",
    )


def finding_7(base: str, trusted_base: str) -> Row:
    def statuses(b: str) -> list[int]:
        path = f"/api/v1/satisfaction/{uuid.uuid4()}"
        return [
            httpx.post(
                f"{b}{path}",
                json={"token": "x", "rating": 5},
                headers={"X-Forwarded-For": f"203.0.113.{i}"},
            ).status_code
            for i in range(11)
        ]

    untrusted, trusted = statuses(base), statuses(trusted_base)
    return (
        "7 X-Forwarded-For spoofing",
        "any peer trusted",
        f"11 spoofed addresses: {untrusted.count(429)} x 429 (no proxy trusted); "
        f"{trusted.count(429)} x 429 with WISMO_TRUSTED_PROXIES=127.0.0.1",
    )


def finding_8(base: str, key: str, log: Path) -> Row:
    from websockets.sync.client import connect

    ws_base = base.replace("http://", "ws://") + "/api/v1/analytics/wismo/live"
    ticket = httpx.post(
        f"{base}/api/v1/analytics/wismo/live/ticket", headers={"Authorization": f"Bearer {key}"}
    ).json()["ticket"]
    with connect(f"{ws_base}?ticket={ticket}") as ws:
        ws.recv(timeout=5)
    # the old way, the key in the URL: closed with 4401, and not logged
    with connect(f"{ws_base}?token={key}") as ws, contextlib.suppress(Exception):
        ws.recv(timeout=5)
    time.sleep(0.5)
    text = log.read_text()
    leaked = [name for name, s in (("API key", key), ("ticket", ticket)) if s in text]
    return (
        "8 API key in the WS URL logged",
        "key in the access log",
        f"secrets in the log: {leaked or 'none'}",
    )


def finding_9(base: str) -> Row:
    port = int(base.rsplit(":", 1)[1])
    sock = socket.create_connection((LOOPBACK, port))
    sock.sendall(
        b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 360000000\r\n\r\n" + b" " * 1_000_000
    )
    sock.settimeout(10)
    answer = sock.recv(200).split(b"\r\n", 1)[0].decode()
    sock.close()
    return ("9 360 MB login body", "buffered whole (+345 MB)", f"{answer} before reading it")


def low_race(url: str, store_id: str) -> Row:
    async def run() -> tuple[int, int]:
        db = Database(Settings(database_url=url))

        async def first_sight() -> uuid.UUID:
            async with db.writer() as session:
                customer = await get_or_create_customer(
                    session, uuid.UUID(store_id), "race@example.com"
                )
                await asyncio.sleep(0.1)
                await session.commit()
                return customer.id

        results = await asyncio.gather(*(first_sight() for _ in range(20)), return_exceptions=True)
        await db.dispose()
        errors = sum(isinstance(r, BaseException) for r in results)
        return errors, len({r for r in results if not isinstance(r, BaseException)})

    errors, ids = asyncio.run(run())
    return (
        "L1 new customer race",
        "409 on PostgreSQL",
        f"20 concurrent: {errors} errors, {ids} customer",
    )


def low_disconnect(base: str, log: Path) -> Row:
    for path in ("/api/v1/webhooks/shopify", "/api/v1/auth/login"):
        _slow_upload(base, path, 5000).close()
    time.sleep(0.5)
    tracebacks = log.read_text().count("Traceback")
    return (
        "L3 client leaves mid-body",
        "unhandled exception logged",
        f"{tracebacks} tracebacks in the log",
    )


def findings(backend: str) -> None:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        url = scratch_database_url(tmp)
        SCRATCH.append(url)
        store_id, key = create_store_with_key(url)
        create_user_with_password(url, store_id, "owner@example.com", "password-owner")
        create_user_with_password(url, store_id, "analyst@example.com", "password-analyst")
        log = tmp / "server.log"
        with running_server(url, log_path=log, WISMO_LOG_LEVEL="INFO") as base:
            rows.append(finding_1(base, key))
            rows += findings_2_3(base, key)
            rows.append(finding_4(tmp))
            rows += finding_5(base)
            rows.append(finding_6(base))
            with running_server(url, WISMO_TRUSTED_PROXIES=LOOPBACK) as trusted:
                rows.append(finding_7(base, trusted))
            rows.append(finding_8(base, key, log))
            rows.append(finding_9(base))
            rows.append(low_race(url, store_id))
            rows.append(low_disconnect(base, log))
    width = max(len(r[0]) for r in rows)
    print(f"backend: {backend}")
    print(f"{'finding':<{width}} | before | after")
    for name, before, after in rows:
        print(f"{name:<{width}} | {before} | {after}")


def writers(backend: str, seconds: float, count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp_dir:
        url = scratch_database_url(Path(tmp_dir))
        SCRATCH.append(url)
        _, key = create_store_with_key(url, tz="UTC")
        with running_server(url) as base:

            async def run() -> dict[str, Any]:
                latencies: list[float] = []
                errors: dict[str, int] = {}
                created = 0
                deadline = time.monotonic() + seconds
                limits = httpx.Limits(max_connections=count)
                async with httpx.AsyncClient(
                    base_url=base,
                    timeout=60,
                    limits=limits,
                    headers={"Authorization": f"Bearer {key}"},
                ) as client:

                    async def writer(n: int) -> None:
                        nonlocal created
                        i = 0
                        while time.monotonic() < deadline:
                            i += 1
                            body = {
                                "inquiryType": "status",
                                "channel": "chat",
                                "createdAt": "2026-03-04T12:00:00Z",
                                "externalId": f"w{n}-{i}",
                            }
                            # A failed exchange is sent again (idempotent on externalId) until
                            # acknowledged, so the acknowledged count is exact.
                            for _ in range(5):
                                start = time.perf_counter()
                                try:
                                    r = await client.post("/api/v1/inquiries", json=body)
                                except httpx.TransportError as exc:
                                    name = type(exc).__name__
                                    errors[name] = errors.get(name, 0) + 1
                                    continue
                                latencies.append((time.perf_counter() - start) * 1000)
                                if r.status_code in (200, 201):
                                    created += 1
                                    break
                                errors[str(r.status_code)] = errors.get(str(r.status_code), 0) + 1

                    started = time.monotonic()
                    await asyncio.gather(*(writer(n) for n in range(count)))
                    elapsed = time.monotonic() - started
                    overview = await client.get(
                        "/api/v1/analytics/wismo/overview",
                        params={"date_range": "custom", "start": "2026-03-04", "end": "2026-03-04"},
                    )
                total = overview.json()["totalInquiries"]["value"]
                latencies.sort()
                return {
                    "requests": len(latencies),
                    "rps": len(latencies) / elapsed,
                    "errors": errors,
                    "p50": latencies[len(latencies) // 2],
                    "p95": latencies[int(len(latencies) * 0.95)],
                    "created": created,
                    "rollup_total": total,
                }

            result = asyncio.run(run())
    exact = result["created"] == result["rollup_total"]
    print(
        f"backend {backend}: {count} writers x {seconds:g} s: {result['requests']} requests, "
        f"{result['rps']:.0f} req/s, errors {result['errors'] or 0}, p50 {result['p50']:.0f} ms, "
        f"p95 {result['p95']:.0f} ms; created {result['created']}, rollup total "
        f"{result['rollup_total']} -> {'exact' if exact else 'MISMATCH'}"
    )
    if not exact:
        raise SystemExit(1)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("what", choices=["findings", "writers"])
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--writers", type=int, default=200)
    args = parser.parse_args()
    try:
        if args.what == "findings":
            findings(args.backend)
        else:
            writers(args.backend, min(args.seconds, 120.0), min(args.writers, 500))
    finally:
        if args.backend == "postgres":
            _drop_scratch()


def _drop_scratch() -> None:
    """Drops only the databases this run created."""
    import asyncpg

    async def drop() -> None:
        for url in SCRATCH:
            base, _, name = url.replace("postgresql+asyncpg://", "postgresql://").rpartition("/")
            conn = await asyncpg.connect(f"{base}/postgres")
            try:
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            finally:
                await conn.close()

    asyncio.run(drop())


if __name__ == "__main__":
    main()
