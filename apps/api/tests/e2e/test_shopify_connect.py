"""Connecting a shop in Chromium, from an empty store to a dashboard with 90 days of history:
the owner signs in, opens Settings > Integrations, enters the shop's domain, approves the app
on the shop's grant screen (the local fake Shopify, served on its own thread), comes back,
watches the history import in the card until it is done, and reads the 90-day dashboard.

The `wismo serve` process runs the import itself (the in-process task queue), on the backend
under test (WISMO_TEST_DATABASE_URL or SQLite). The figures asserted at the end are counted
here from the fake's generated orders, in the store's time zone, without the app's code.
Screenshots of every step go to apps/api/tests/e2e/artifacts/shopify_connect_<n>_<step>.png.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from app.core import clock
from tests.e2e.support import DESKTOP, format_metric, js_number
from tests.fakes.shopify import FakeShop, FakeShopify, sample_orders
from tests.servers import (
    asgi_server,
    create_store_with_key,
    create_user_with_password,
    free_port,
    running_server,
    scratch_database_url,
)

ARTIFACTS = Path(__file__).parent / "artifacts"
SHOP = "maple-outfitters.myshopify.com"
API_KEY, API_SECRET = "walkthrough-client-id", "walkthrough-client-secret"
TIMEZONE = "America/New_York"
OWNER = {"email": "owner@maple-outfitters.example", "password": "owner password 1"}
HISTORY_DAYS = 90
#: No order within this margin of the import's start (now - 90 days), so that the orders the
#: import selects do not depend on the second it starts.
BOUNDARY_MARGIN = timedelta(hours=6)


@dataclass
class Walkthrough:
    base_url: str
    shop: FakeShop


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@pytest.fixture(scope="module")
def walkthrough(tmp_path_factory: pytest.TempPathFactory, built_dashboard: Path) -> Iterator[Any]:
    now = clock.now()
    boundary = now - timedelta(days=HISTORY_DAYS)
    orders = [
        o
        for o in sample_orders(520, end=now - timedelta(hours=1), days=120, seed=14)
        if abs(_parse(o["createdAt"]) - boundary) > BOUNDARY_MARGIN
    ]
    # Five polls of the bulk operation (two seconds apart) before it completes: the card
    # shows Shopify preparing the orders for about ten seconds.
    shop = FakeShop(SHOP, API_KEY, API_SECRET, orders=orders, polls_until_complete=5)
    fake = FakeShopify()
    fake.add_shop(shop)
    url = scratch_database_url(tmp_path_factory.mktemp("shopify-connect"))
    store_id, _ = create_store_with_key(url, "Maple Outfitters", TIMEZONE)
    create_user_with_password(url, store_id, OWNER["email"], OWNER["password"])
    port = free_port()
    with (
        asgi_server(fake.app) as fake_base,
        running_server(
            url,
            port=port,
            log_path=tmp_path_factory.mktemp("shopify-connect-log") / "server.log",
            WISMO_PUBLIC_URL=f"http://127.0.0.1:{port}",
            WISMO_SHOPIFY_API_KEY=API_KEY,
            WISMO_SHOPIFY_API_SECRET=API_SECRET,
            WISMO_SHOPIFY_ADMIN_URL=f"{fake_base}/{{shop}}",
            WISMO_OUTBOUND_ALLOW_HTTP="true",
            WISMO_OUTBOUND_ALLOW_PRIVATE="true",
        ) as base,
    ):
        yield Walkthrough(base, shop)


@pytest.fixture
def page(chromium: Any, walkthrough: Walkthrough) -> Iterator[Page]:
    context = chromium.new_context(
        base_url=walkthrough.base_url, locale="en-US", reduced_motion="reduce", viewport=DESKTOP
    )
    context.set_default_timeout(15_000)
    errors: list[str] = []
    pg = context.new_page()
    pg.on("pageerror", lambda exc: errors.append(f"{pg.url}: {exc}"))
    yield pg
    context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


def shot(page: Page, number: int, step: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(ARTIFACTS / f"shopify_connect_{number}_{step}.png"),
        full_page=True,
        animations="disabled",
    )


def wait_loaded(page: Page) -> None:
    expect(page.locator("main .animate-pulse")).to_have_count(0)
    expect(page.locator("main [aria-busy='true']")).to_have_count(0)


def card_value(page: Page, key: str) -> Any:
    return page.get_by_test_id(f"metric-{key}").get_by_test_id("metric-value")


def expected_figures(orders: list[dict[str, Any]]) -> tuple[int, float]:
    """Orders whose local date (store time zone) is in the 90 local days ending today, and the
    mean time to ship of the fulfillments shipped on those days (DESIGN 5), from the fake's
    orders themselves. A fulfillment counts only if its order was imported (created in the
    last 90 days): an older order shipped within the range is not in the store."""
    imported_since = clock.now() - timedelta(days=HISTORY_DAYS)
    tz = ZoneInfo(TIMEZONE)
    today = clock.now().astimezone(tz).date()
    first = today - timedelta(days=HISTORY_DAYS - 1)

    def in_range(moment: datetime) -> bool:
        return first <= moment.astimezone(tz).date() <= today

    total_orders = sum(1 for o in orders if in_range(_parse(o["createdAt"])))
    ship_seconds = [
        (_parse(f["createdAt"]) - _parse(o["createdAt"])).total_seconds()
        for o in orders
        if _parse(o["createdAt"]) >= imported_since
        for f in o["fulfillments"][:1]
        if in_range(_parse(f["createdAt"]))
    ]
    return total_orders, sum(ship_seconds) / len(ship_seconds)


def test_connect_shopify_from_an_empty_store_to_90_days_of_history(
    page: Page, walkthrough: Walkthrough
) -> None:
    shop = walkthrough.shop

    # 1. Sign in as the owner of a store with no data.
    page.goto("/analytics/wismo")
    expect(page.get_by_role("heading", name="Sign in to your store")).to_be_visible()
    page.get_by_label("Email").fill(OWNER["email"])
    page.get_by_label("Password").fill(OWNER["password"])
    shot(page, 1, "sign_in")
    page.get_by_role("button", name="Sign in").click()

    # 2. The empty dashboard: no orders yet.
    expect(page.get_by_role("heading", level=1, name="WISMO overview")).to_be_visible()
    wait_loaded(page)
    expect(card_value(page, "totalInquiries")).to_have_attribute("data-raw", "0")
    shot(page, 2, "empty_dashboard")

    # 3. Settings > Integrations: the Shopify card asks for the shop's domain.
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Integrations").click()
    expect(page).to_have_url(re.compile(r"/settings/integrations$"))
    domain = page.get_by_label("Shop domain")
    expect(domain).to_be_visible()
    connect = page.get_by_role("button", name="Connect Shopify")
    domain.fill("not a shop")
    expect(connect).to_be_disabled()
    expect(page.get_by_text("Enter the shop’s .myshopify.com domain")).to_be_visible()
    shot(page, 3, "integrations_invalid_domain")
    domain.fill(f"  {SHOP.upper()} ")
    expect(connect).to_be_enabled()
    shot(page, 4, "integrations_shop_domain")
    connect.click()

    # 5. The shop's grant screen (the fake Shopify's page) names the shop and the scopes.
    expect(page.get_by_role("heading", name="Install app")).to_be_visible()
    expect(page.get_by_text(SHOP)).to_be_visible()
    expect(page.get_by_role("listitem")).to_have_text(
        ["read_orders", "read_all_orders", "read_fulfillments"]
    )
    shot(page, 5, "shopify_grant_screen")
    page.get_by_role("button", name="Install app").click()

    # 6. Back in the settings: connected, the history import under way.
    expect(page).to_have_url(re.compile(r"/settings/integrations\?shopify=connected$"))
    expect(page.get_by_text(f"Connected to {SHOP}")).to_be_visible()
    status = page.get_by_text(re.compile(r"History import \(90 days\):"))
    expect(status).to_have_text("History import (90 days): running")
    expect(page.get_by_text("Shopify is preparing the orders…")).to_be_visible()
    shot(page, 6, "import_running")

    # 7. The card follows the import until it is done (it polls while it runs).
    expect(status).to_have_text("History import (90 days): completed", timeout=240_000)
    since = clock.now() - timedelta(days=HISTORY_DAYS)
    selected = [o for o in shop.orders if _parse(o["createdAt"]) >= since]
    expect(page.get_by_text(re.compile(r"orders imported"))).to_have_text(
        f"{len(selected)} orders imported of {len(selected)}"
    )
    expect(page.get_by_role("button", name="Import the last 90 days again")).to_be_visible()
    assert shop.downloads == 1
    shot(page, 7, "import_completed")

    # 8. The dashboard over the last 90 days.
    total_orders, avg_time_to_ship = expected_figures(shop.orders)
    page.get_by_role("link", name="Overview").click()
    ranges = page.get_by_role("group", name="Date range")
    ranges.get_by_role("button", name="90 days").click()
    expect(page).to_have_url(re.compile(r"date_range=90d"))
    wait_loaded(page)
    ship = card_value(page, "avgTimeToShipSeconds")
    expect(ship).to_have_attribute("data-raw", js_number(avg_time_to_ship))
    expect(ship).to_have_text(format_metric("duration", avg_time_to_ship))
    shot(page, 8, "dashboard_90_days")

    page.get_by_role("link", name="Inquiries").click()
    expect(page).to_have_url(re.compile(r"date_range=90d"))
    wait_loaded(page)
    orders = card_value(page, "totalOrders")
    expect(orders).to_have_attribute("data-raw", str(total_orders))
    expect(orders).to_have_text(format_metric("count", total_orders))
    shot(page, 9, "inquiries_90_days")
