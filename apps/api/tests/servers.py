"""Real `wismo serve` processes for integration and browser tests."""

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import httpx

from app.accounts.service import create_api_key, create_user
from app.core import clock
from app.core.config import Settings
from app.db.migrations import upgrade
from app.db.session import Database
from app.stores.service import create_store
from tests.conftest import BACKEND, PG_URL
from tests.databases import ensure_database

API_DIR = Path(__file__).resolve().parents[1]
T = TypeVar("T")
# A shared two-core machine can take a while to import and migrate; this is a wait, not
# a timing assertion.
READY_TIMEOUT = 90


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def on_own_thread(fn: Callable[..., T], *args: Any) -> T:
    """Run `fn` (which may call asyncio.run: Alembic, asyncpg admin) on a thread of its own,
    so it works even where a browser test left an event loop running on this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args).result()


def scratch_database_url(tmp_path: Path) -> str:
    """A new, migrated database of the backend under test."""
    if BACKEND != "postgres":
        url = f"sqlite+aiosqlite:///{tmp_path / 'server.db'}"
    else:
        url = PG_URL.rpartition("/")[0] + f"/wismo_srv_{uuid.uuid4().hex[:10]}"
        on_own_thread(ensure_database, url)
    on_own_thread(upgrade, url)
    return url


def create_store_with_key(url: str, name: str = "Live Store", tz: str = "UTC") -> tuple[str, str]:
    async def work() -> tuple[str, str]:
        db = Database(Settings(database_url=url))
        try:
            async with db.sessionmaker() as session:
                store = await create_store(session, name, tz)
                _, key = await create_api_key(session, store.id)
                await session.commit()
                return str(store.id), key
        finally:
            await db.dispose()

    return on_own_thread(asyncio.run, work())


def create_user_with_password(
    url: str, store_id: str, email: str, password: str, role: str = "owner"
) -> None:
    async def work() -> None:
        db = Database(Settings(database_url=url))
        try:
            async with db.sessionmaker() as session:
                await create_user(session, email, password, uuid.UUID(store_id), role)
                await session.commit()
        finally:
            await db.dispose()

    on_own_thread(asyncio.run, work())


@contextmanager
def running_server(
    url: str,
    *,
    redis_url: str | None = None,
    log_path: Path | None = None,
    port: int | None = None,
    **env: str,
) -> Iterator[str]:
    """A `wismo serve` on `port` (a free one by default); yields its base URL."""
    with server_process(url, redis_url=redis_url, log_path=log_path, port=port, **env) as (
        base,
        _,
    ):
        yield base


@contextmanager
def server_process(
    url: str,
    *,
    redis_url: str | None = None,
    log_path: Path | None = None,
    api_dir: Path = API_DIR,
    port: int | None = None,
    **env: str,
) -> Iterator[tuple[str, "subprocess.Popen[bytes]"]]:
    """A `wismo serve` of the `app` package in `api_dir` on `port` (a free one by default; a
    test that must put the address in WISMO_PUBLIC_URL picks it first), ready; yields its base
    URL and process. Its log is kept at `log_path` when one is given. Tests and the benchmarks
    start servers with this one function."""
    port = port or free_port()
    environment = {
        **os.environ,
        "WISMO_DATABASE_URL": url,
        "WISMO_LOG_LEVEL": "WARNING",
        "WISMO_SECRET_KEY": "server-test-secret",
        "WISMO_EMBEDDED_JOBS": "false",  # no periodic jobs racing a test's assertions
        "PYTHONPATH": str(api_dir),
    }
    # The server's clock agrees with this process's (WISMO_TEST_TODAY, a frozen test clock).
    environment.pop(clock.ENV_VAR, None)
    environment.update(clock.subprocess_env())
    environment.update(env)
    environment.pop("WISMO_REDIS_URL", None)
    if redis_url:
        environment["WISMO_REDIS_URL"] = redis_url
    # The server's log goes to a file: a pipe nobody reads would block it once full.
    log = (
        log_path.open("wb")
        if log_path is not None
        else tempfile.NamedTemporaryFile(prefix="wismo-server-", suffix=".log", delete=False)  # noqa: SIM115
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
        cwd=api_dir,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited: {Path(log.name).read_text()[-4000:]}")
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"server did not become ready in {READY_TIMEOUT} s")
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        if log_path is None:
            Path(log.name).unlink(missing_ok=True)


@contextmanager
def redis_server(port: int | None = None) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A private redis-server on a free port (so a test may stop and restart it)."""
    port = port or free_port()
    proc = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.05)
    try:
        yield url, proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextmanager
def asgi_server(app: Any) -> Iterator[str]:
    """An ASGI app (a provider fake) served by uvicorn on a free port, on its own thread."""
    import threading

    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + READY_TIMEOUT
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the fake server did not start")
            time.sleep(0.02)
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)
