"""Test harness: a real database migrated once per run, each test inside a rolled-back
transaction, the app's session swapped for the test's through dependency_overrides.

WISMO_TEST_BACKEND=sqlite (default) or postgres; WISMO_TEST_DATABASE_URL overrides the
PostgreSQL URL. With WISMO_REQUIRE_SERVICES=1 a missing PostgreSQL is a failure, not a skip.

WISMO_TEST_TODAY=YYYY-MM-DD (or an ISO instant) sets the app's one clock (`app.core.clock`)
running from noon UTC of that day for the whole run, and servers started by tests with it;
unset, the suite runs on the real clock. Tests that depend on "today" are marked
`@pytest.mark.dated`, and `make test-dated` runs them at fixed dates (DST changes, a leap
day, the year's end) besides the real-clock run.
"""

import contextlib
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from app.accounts import service as auth_service
from app.api.deps import get_session
from app.core import clock
from app.core.config import Settings
from app.core.events import publish_touched
from app.db.migrations import downgrade, upgrade
from app.db.session import build_engine
from app.main import create_app
from app.models import Store
from app.stores.service import create_store
from tests.databases import drop_created, ensure_database

BACKEND = os.environ.get("WISMO_TEST_BACKEND", "sqlite")
REQUIRE_SERVICES = os.environ.get("WISMO_REQUIRE_SERVICES") == "1"
PG_URL = os.environ.get(
    "WISMO_TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/wismo_test"
)
SHARED = Path(__file__).resolve().parents[4] / "shared"
TEST_TODAY = os.environ.get("WISMO_TEST_TODAY", "").strip()
if TEST_TODAY:
    # Before any test module is imported: module-level "now"s read this clock.
    clock.run_from(clock.parse_instant(TEST_TODAY))


def pytest_report_header() -> str:
    return f"wismo backend: {BACKEND}; clock: {clock.describe()}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    if BACKEND == "postgres":
        try:
            ensure_database(PG_URL)
        except (OSError, Exception) as exc:
            if REQUIRE_SERVICES:
                raise RuntimeError(f"PostgreSQL is required but unreachable: {exc}") from exc
            pytest.skip(f"PostgreSQL unreachable: {exc}")
        url = PG_URL
    else:
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    downgrade(url)
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    s = Settings(database_url=database_url, secret_key="test-secret", log_level="WARNING")
    return s


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    eng = build_engine(database_url)
    yield eng
    await eng.dispose()


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    async with engine.connect() as conn:
        trans = await conn.begin()
        yield conn
        await trans.rollback()


@pytest.fixture
async def session(connection: AsyncConnection) -> AsyncIterator[AsyncSession]:
    s = AsyncSession(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )
    yield s
    await s.close()


@pytest.fixture
def app(session: AsyncSession, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Any:
    application = create_app(settings)

    async def no_touch(*_: Any) -> None:
        # Recording API-key use opens a second connection, which would wait on this test's
        # open transaction; tests/integration/test_concurrent_writes.py checks it for real.
        return None

    monkeypatch.setattr(auth_service, "touch_api_key", no_touch)

    async def _session() -> AsyncIterator[AsyncSession]:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise
        await publish_touched(session, application.state.bus)

    application.dependency_overrides[get_session] = _session
    return application


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


class StoreHandle:
    """A test store's plain facts (ORM rows expire when a request rolls back)."""

    def __init__(self, store: Store, api_key: str) -> None:
        self.id: uuid.UUID = store.id
        self.timezone = store.timezone
        self.domain = store.domain
        self.widget_key = store.widget_key
        self.api_key = api_key

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}


@pytest.fixture
def make_store(session: AsyncSession) -> Any:
    async def _make(
        name: str = "Test Store", timezone: str = "America/New_York", **kwargs: Any
    ) -> StoreHandle:
        store = await create_store(session, name, timezone, **kwargs)
        _, key = await auth_service.create_api_key(session, store.id)
        await session.commit()
        return StoreHandle(store, key)

    return _make


@pytest.fixture
async def store(make_store: Any) -> StoreHandle:
    return await make_store("Main Store", "America/New_York", domain="main-store.myshopify.com")


@pytest.fixture
async def other_store(make_store: Any) -> StoreHandle:
    return await make_store("Other Store", "Europe/Berlin", domain="other-store.myshopify.com")


@pytest.fixture(scope="session", autouse=True)
def drop_scratch_databases() -> Any:
    """Scratch PostgreSQL databases this session made for servers and migrations are dropped
    at the end; those of other sessions on the same server are left alone."""
    yield
    with contextlib.suppress(OSError):
        drop_created()
