"""Browser tests: the built dashboard (apps/web/dist) served by a real `wismo serve` on a
scratch SQLite database with small demo data, driven by Playwright in Debian's Chromium.

Nothing is built here: `make test-browser` builds apps/web/dist first. Without a Chromium the
tests are skipped, unless WISMO_REQUIRE_SERVICES=1 (then they fail). Screenshots of every page
go to apps/api/test-artifacts/screenshots/.
"""

import asyncio
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.core import clock
from app.core.config import Settings
from app.db.migrations import upgrade
from app.db.session import Database
from app.demo import DEMO_USER_EMAIL, DEMO_USER_PASSWORD, DemoConfig, create_demo
from tests.e2e.support import (
    AXE_JS,
    CHROMIUM_ARGS,
    DESKTOP,
    REQUIRE_SERVICES,
    SERVER_SECRET,
    WEB_DIST,
    DemoStore,
    LiveServer,
)
from tests.servers import on_own_thread, running_server


def _chromium() -> str | None:
    for candidate in (
        os.environ.get("WISMO_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
    ):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = _chromium()
    if path is None:
        message = "no Chromium at /usr/bin/chromium (apt-get install -y chromium)"
        if REQUIRE_SERVICES:
            pytest.fail(f"WISMO_REQUIRE_SERVICES=1: {message}")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def built_dashboard(chromium_path: str) -> Path:
    index = WEB_DIST / "index.html"
    if not index.is_file():
        pytest.fail(
            f"{index} is missing: build the dashboard first "
            "(`make build`, or `cd apps/web && npm run build`); `make test-browser` does it."
        )
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} is missing: run `npm ci` in apps/web (axe-core is a devDependency).")
    return WEB_DIST


# ---------------------------------------------------------------- server with demo data


async def _load_demo(url: str) -> list[DemoStore]:
    db = Database(Settings(database_url=url, secret_key=SERVER_SECRET))
    try:
        async with db.sessionmaker() as session:
            result = await create_demo(
                session, DemoConfig(days=45, orders_per_day=12, seed=3, now=clock.now())
            )
            await session.commit()
    finally:
        await db.dispose()
    return [
        DemoStore(str(s.store_id), s.name, s.timezone, s.currency, s.api_key or "")
        for s in result.stores
    ]


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, built_dashboard: Path) -> Iterator[LiveServer]:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('e2e') / 'e2e.db'}"
    on_own_thread(upgrade, url)
    stores = on_own_thread(asyncio.run, _load_demo(url))
    assert all(s.api_key for s in stores), "the demo should create an API key per store"
    with running_server(url) as base:
        yield LiveServer(base, stores)


# ---------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def chromium(chromium_path: str) -> Iterator[Any]:
    """One Chromium for the whole run: Playwright's sync API keeps an event loop running on
    this thread while it is active, so it cannot be started a second time (and database
    setup that calls asyncio.run runs on its own thread: tests/servers.on_own_thread)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def browser(server: LiveServer, chromium: Any) -> Any:
    return chromium


@pytest.fixture(scope="session")
def auth_state(browser: Any, server: LiveServer) -> dict[str, Any]:
    """A logged-in session (the httpOnly cookie), shared by the tests that are not about login."""
    context = browser.new_context(base_url=server.base_url)
    response = context.request.post(
        "/api/v1/auth/login", data={"email": DEMO_USER_EMAIL, "password": DEMO_USER_PASSWORD}
    )
    assert response.ok, response.text()
    state: dict[str, Any] = context.storage_state()
    context.close()
    return state


def _new_context(browser: Any, server: LiveServer, **kwargs: Any) -> Any:
    kwargs.setdefault("viewport", DESKTOP)
    context = browser.new_context(
        base_url=server.base_url, locale="en-US", reduced_motion="reduce", **kwargs
    )
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def make_page(
    browser: Any, server: LiveServer, auth_state: dict[str, Any]
) -> Iterator[Callable[..., Any]]:
    """Opens pages in new contexts (logged in unless told otherwise); a test fails on any
    uncaught exception in them."""
    contexts: list[Any] = []
    errors: list[str] = []

    def make(*, logged_in: bool = True, viewport: dict[str, int] = DESKTOP) -> Any:
        context = _new_context(
            browser, server, viewport=viewport, storage_state=auth_state if logged_in else None
        )
        contexts.append(context)
        pg = context.new_page()
        pg.on("pageerror", lambda exc: errors.append(f"{pg.url}: {exc}"))
        return pg

    yield make
    for context in contexts:
        context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


@pytest.fixture
def page(make_page: Callable[..., Any]) -> Any:
    """A logged-in desktop page."""
    return make_page()


@pytest.fixture
def anonymous_page(make_page: Callable[..., Any]) -> Any:
    """A page without a session (login form, the customer's survey)."""
    return make_page(logged_in=False)
