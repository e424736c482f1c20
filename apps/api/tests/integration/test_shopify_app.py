"""The Shopify app against a local fake Admin API over real HTTP: install (HMAC, shop and
state checks, token stored encrypted, webhooks registered), the app's own webhooks, and a
history backfill that is killed half way and resumed with exact rollups."""

import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import httpx
import orjson
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.accounts import service as auth_service
from app.api.deps import get_session
from app.core import clock
from app.core.config import Settings
from app.integrations import parking
from app.integrations.shopify import router as shopify_router
from app.integrations.shopify.backfill import BackfillProgress, run_backfill, start_backfill
from app.integrations.shopify.models import ShopifyBackfill, ShopifyConnection
from app.integrations.shopify.service import query_hmac
from app.main import create_app
from app.models import Customer, Order, ParkedWebhook, Shipment, TrackingEvent
from tests.api.test_webhooks_tracking import aftership, checkpoint
from tests.fakes.shopify import FakeShop, FakeShopify, sample_orders
from tests.helpers import daily
from tests.servers import asgi_server

SHOP = "fake-outfitters.myshopify.com"
API_KEY, API_SECRET = "fake-client-id", "fake-client-secret"


def test_the_query_hmac_matches_shopifys_documented_example() -> None:
    # "Verify the installation request" example of Shopify's authorization code grant page.
    params = {
        "code": "0907a61c0c8d55e99db179b68161bc00",
        "hmac": "700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf",
        "shop": "some-shop.myshopify.com",
        "state": "0.6784241404160823",
        "timestamp": "1337178173",
    }
    assert query_hmac(params, "hush") == params["hmac"]


@pytest.fixture(scope="module")
def fake() -> Iterator[tuple[FakeShopify, str]]:
    shopify = FakeShopify()
    with asgi_server(shopify.app) as base:
        yield shopify, base


@pytest.fixture
def shop(fake: tuple[FakeShopify, str]) -> FakeShop:
    end = clock.now() - timedelta(hours=2)
    return fake[0].add_shop(
        FakeShop(SHOP, API_KEY, API_SECRET, orders=sample_orders(260, end=end, days=120))
    )


@pytest.fixture
def app_settings(settings: Settings, fake: tuple[FakeShopify, str]) -> Settings:
    return settings.model_copy(
        update={
            "shopify_api_key": API_KEY,
            "shopify_api_secret": API_SECRET,
            "shopify_admin_url": f"{fake[1]}/{{shop}}",
            "outbound_allow_http": True,
            "outbound_allow_private": True,
            "public_url": "https://wismo.example",
        }
    )


@pytest.fixture
async def shop_client(
    session: AsyncSession, app_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[httpx.AsyncClient, list[str]]]:
    application = create_app(app_settings)
    enqueued: list[str] = []

    async def record(store_id: str, backfill_id: str) -> None:
        enqueued.append(backfill_id)

    monkeypatch.setattr(shopify_router, "_enqueue_backfill", record)

    async def no_touch(*_: Any) -> None:
        return None  # as tests/conftest.py's app fixture: no second connection

    monkeypatch.setattr(auth_service, "touch_api_key", no_touch)

    async def _session() -> AsyncIterator[AsyncSession]:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise

    application.dependency_overrides[get_session] = _session
    transport = httpx.ASGITransport(app=application, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client, enqueued


async def _install(client: httpx.AsyncClient, store: Any, shop: FakeShop) -> httpx.Response:
    r = await client.post(
        "/api/v1/integrations/shopify/install", json={"shop": SHOP}, headers=store.headers
    )
    assert r.status_code == 200, r.text
    authorize = urlsplit(r.json()["authorizeUrl"])
    query = {k: v[0] for k, v in parse_qs(authorize.query).items()}
    # The shop's own consent screen: the fake's address of it here (WISMO_SHOPIFY_ADMIN_URL).
    assert (authorize.scheme, authorize.hostname, authorize.path) == (
        "http",
        "127.0.0.1",
        f"/{SHOP}/admin/oauth/authorize",
    )
    assert query["client_id"] == API_KEY
    assert query["redirect_uri"] == "https://wismo.example/api/v1/integrations/shopify/callback"
    assert query["scope"] == "read_orders,read_all_orders,read_fulfillments"
    # The merchant approves on the grant screen and is sent back with a signed query.
    async with httpx.AsyncClient() as merchant:
        grant = await merchant.get(r.json()["authorizeUrl"])
        assert grant.status_code == 200 and "Install app" in grant.text
        approved = await merchant.get(
            f"http://{authorize.netloc}/{SHOP}/admin/oauth/approve",
            params={"redirect_uri": query["redirect_uri"], "state": query["state"]},
        )
    assert approved.status_code == 302
    back = urlsplit(approved.headers["location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == query["redirect_uri"]
    callback = {k: v[0] for k, v in parse_qs(back.query).items()}
    assert sorted(callback) == ["code", "hmac", "host", "shop", "state", "timestamp"]
    return await client.get("/api/v1/integrations/shopify/callback", params=callback)


async def test_install_stores_the_token_encrypted_and_registers_webhooks(
    shop_client: tuple[httpx.AsyncClient, list[str]],
    store: Any,
    shop: FakeShop,
    session: AsyncSession,
) -> None:
    client, enqueued = shop_client
    r = await _install(client, store, shop)
    assert r.status_code == 303, r.text
    assert r.headers["location"] == "https://wismo.example/settings/integrations?shopify=connected"
    (token,) = shop.tokens
    session.expunge_all()
    connection = await session.get(ShopifyConnection, store.id)
    assert connection is not None and connection.access_token == token
    raw = (await session.execute(sa.text("SELECT access_token FROM shopify_connections"))).all()
    assert raw and all(token not in str(row[0]) for row in raw)
    assert {(s["topic"], s["callbackUrl"]) for s in shop.subscriptions} == {
        *(
            (t, "https://wismo.example/api/v1/webhooks/shopify")
            for t in (
                "ORDERS_CREATE",
                "ORDERS_UPDATED",
                "ORDERS_CANCELLED",
                "ORDERS_FULFILLED",
                "ORDERS_PARTIALLY_FULFILLED",
                "FULFILLMENTS_CREATE",
                "FULFILLMENTS_UPDATE",
            )
        ),
        ("APP_UNINSTALLED", "https://wismo.example/api/v1/webhooks/shopify/app"),
    }
    assert len(enqueued) == 1
    status = (await client.get("/api/v1/integrations/shopify", headers=store.headers)).json()
    assert status["connected"] is True and status["shop"] == SHOP
    assert status["backfill"]["status"] == "pending" and status["backfill"]["days"] == 90

    # An order webhook signed with the app's secret (no per-store secret) is accepted.
    body = orjson.dumps(
        {
            "id": 820982911946154508,
            "name": "#9001",
            "email": "jon@example.com",
            "created_at": (clock.now() - timedelta(hours=1)).isoformat(),
            "currency": "USD",
            "total_price": "10.00",
        }
    )
    r = await client.post(
        "/api/v1/webhooks/shopify",
        content=body,
        headers={
            "X-Shopify-Hmac-Sha256": shop.sign(body),
            "X-Shopify-Shop-Domain": SHOP,
            "X-Shopify-Topic": "orders/create",
            "X-Shopify-Webhook-Id": "wh-1",
        },
    )
    assert r.status_code == 200 and r.json()["orders"] == 1


async def test_the_callback_refuses_forged_or_replayed_requests(
    shop_client: tuple[httpx.AsyncClient, list[str]], store: Any, shop: FakeShop
) -> None:
    client, _ = shop_client
    r = await client.post(
        "/api/v1/integrations/shopify/install", json={"shop": SHOP}, headers=store.headers
    )
    state = parse_qs(urlsplit(r.json()["authorizeUrl"]).query)["state"][0]
    good = shop.callback_query(shop.grant_code(), state)
    url = "/api/v1/integrations/shopify/callback"
    assert (await client.get(url, params={**good, "hmac": "0" * 64})).status_code == 401
    assert (await client.get(url, params={**good, "timestamp": "1"})).status_code == 401
    evil = FakeShop("evil.example.com", API_KEY, API_SECRET).callback_query("c", state)
    assert (await client.get(url, params=evil)).status_code == 422
    other = FakeShop("other-shop.myshopify.com", API_KEY, API_SECRET).callback_query("c", state)
    assert (await client.get(url, params=other)).status_code == 401  # state is for SHOP
    unknown = shop.callback_query(shop.grant_code(), "never-issued")
    assert (await client.get(url, params=unknown)).status_code == 401
    assert (await client.get(url, params=good)).status_code == 303
    assert (await client.get(url, params=good)).status_code == 401  # the state is single-use
    r = await client.post(
        "/api/v1/integrations/shopify/install",
        json={"shop": "shop.myshopify.com.evil.io"},
        headers=store.headers,
    )
    assert r.status_code == 422


async def test_uninstall_and_compliance_webhooks(
    shop_client: tuple[httpx.AsyncClient, list[str]],
    store: Any,
    shop: FakeShop,
    session: AsyncSession,
) -> None:
    client, _ = shop_client
    assert (await _install(client, store, shop)).status_code == 303
    created = (clock.now() - timedelta(days=2)).isoformat()
    for number, email in (("1", "ana@example.com"), ("2", "bo@example.com")):
        body = orjson.dumps(
            {"id": int(number), "name": f"#{number}", "email": email, "created_at": created}
        )
        r = await client.post(
            "/api/v1/webhooks/shopify",
            content=body,
            headers={
                "X-Shopify-Hmac-Sha256": shop.sign(body),
                "X-Shopify-Shop-Domain": SHOP,
                "X-Shopify-Topic": "orders/create",
                "X-Shopify-Webhook-Id": f"o-{number}",
            },
        )
        assert r.status_code == 200

    async def send(topic: str, payload: dict[str, Any], signature: str | None = None) -> Any:
        body = orjson.dumps(payload)
        return await client.post(
            "/api/v1/webhooks/shopify/app",
            content=body,
            headers={
                "X-Shopify-Hmac-Sha256": signature or shop.sign(body),
                "X-Shopify-Shop-Domain": SHOP,
                "X-Shopify-Topic": topic,
                "X-Shopify-Webhook-Id": f"{topic}-1",
            },
        )

    # Payloads: "Mandatory compliance webhooks" of Shopify's privacy law compliance page.
    redact = {
        "shop_id": 954889,
        "shop_domain": SHOP,
        "customer": {"id": 191167, "email": "ana@example.com", "phone": "555-625-1199"},
        "orders_to_redact": [1],
    }
    assert (await send("customers/redact", redact, signature="bm90IGl0")).status_code == 401
    r = await send("customers/redact", redact)
    assert r.status_code == 200 and r.json()["detail"] == "erased 1 customer records"
    emails = set(
        await session.scalars(sa.select(Customer.email).where(Customer.store_id == store.id))
    )
    assert emails == {None, "bo@example.com"}
    r = await send(
        "customers/data_request",
        {**redact, "orders_requested": [1], "data_request": {"id": 9999}},
    )
    assert r.status_code == 200
    r = await send("app/uninstalled", {"id": 954889, "domain": SHOP})
    assert r.status_code == 200
    session.expunge_all()
    connection = await session.get(ShopifyConnection, store.id)
    assert connection is not None and connection.uninstalled_at is not None
    assert connection.access_token is None
    r = await send("shop/redact", {"shop_id": 954889, "shop_domain": SHOP})
    assert r.status_code == 200 and r.json()["detail"] == "erased 1 customer records of the shop"
    orders = await session.scalar(
        sa.select(sa.func.count()).select_from(Order).where(Order.store_id == store.id)
    )
    assert orders == 2  # uninstalling and redacting keep the orders, without the PII
    status = (await client.get("/api/v1/integrations/shopify", headers=store.headers)).json()
    assert status["connected"] is False


class Crash(RuntimeError):
    pass


async def test_backfill_killed_half_way_resumes_with_exact_rollups(
    shop_client: tuple[httpx.AsyncClient, list[str]],
    store: Any,
    shop: FakeShop,
    session: AsyncSession,
    session_factory: async_sessionmaker[AsyncSession],
    app_settings: Settings,
) -> None:
    client, enqueued = shop_client
    assert (await _install(client, store, shop)).status_code == 303
    backfill_id = uuid.UUID(enqueued[0])
    row = await session.get(ShopifyBackfill, (store.id, backfill_id))
    assert row is not None
    since = row.since
    shop.polls_until_complete = 2
    shop.available = 4.0  # the next call (cost 10) is throttled: wait (10 - 4) / 50 s
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        shop.advance(seconds)

    batches: list[BackfillProgress] = []

    def crash_after_two_batches(progress: BackfillProgress) -> None:
        if progress.lines_done:
            batches.append(progress)
        if len(batches) == 2:
            raise Crash("killed")

    with pytest.raises(Crash):
        await run_backfill(
            session_factory,
            app_settings,
            store.id,
            backfill_id,
            sleep=sleep,
            poll_seconds=5.0,
            batch_lines=40,
            on_progress=crash_after_two_batches,
        )
    assert slept[0] == pytest.approx(6 / 50)
    assert shop.throttled == 1
    assert slept.count(5.0) == 2  # two polls while RUNNING
    session.expunge_all()
    half = await session.get(ShopifyBackfill, (store.id, backfill_id))
    assert half is not None and (half.status, half.lines_done) == ("running", 80)
    count = sa.select(sa.func.count()).select_from(Order).where(Order.store_id == store.id)
    assert await session.scalar(count) == 80

    done = await run_backfill(
        session_factory, app_settings, store.id, backfill_id, sleep=sleep, batch_lines=40
    )
    selected = [o for o in shop.orders if o["createdAt"] >= since.strftime("%Y-%m-%dT%H:%M:%SZ")]
    assert 150 < len(selected) < 260  # 90 of the 120 days
    assert (done.status, done.lines_done, done.orders_done, done.orders_failed) == (
        "completed",
        len(selected),
        len(selected),
        0,
    )
    assert done.object_count == len(selected)
    assert len(shop.operations) == 1 and shop.downloads == 2  # resumed the same operation
    assert await session.scalar(count) == len(selected)
    shipments = await session.scalar(
        sa.select(sa.func.count()).select_from(Shipment).where(Shipment.store_id == store.id)
    )
    assert shipments == sum(len(o["fulfillments"]) for o in selected)

    # Rollups, computed independently from the fake's orders in the store's time zone.
    tz = ZoneInfo(store.timezone)

    def local_day(iso: str) -> Any:
        return clock.parse_instant(iso).astimezone(tz).date()

    orders_per_day = Counter(local_day(o["createdAt"]) for o in selected)
    shipped_per_day: Counter[Any] = Counter()
    ship_seconds: Counter[Any] = Counter()
    for o in selected:
        for f in o["fulfillments"]:
            day = local_day(f["createdAt"])
            shipped_per_day[day] += 1
            ship_seconds[day] += int(
                (
                    clock.parse_instant(f["createdAt"]) - clock.parse_instant(o["createdAt"])
                ).total_seconds()
            )
    rollups = await daily(session, store.id)
    assert {d: r["total_orders"] for d, r in rollups.items() if r["total_orders"]} == dict(
        orders_per_day
    )
    assert {
        d: r["shipments_shipped"] for d, r in rollups.items() if r["shipments_shipped"]
    } == dict(shipped_per_day)
    assert {
        d: r["time_to_ship_seconds_sum"]
        for d, r in rollups.items()
        if r["time_to_ship_seconds_sum"]
    } == dict(ship_seconds)

    # Running it again (a redelivered task) changes nothing.
    again = await run_backfill(session_factory, app_settings, store.id, backfill_id, sleep=sleep)
    assert again.status == "completed" and shop.downloads == 2
    session.expunge_all()
    fresh, created = await start_backfill(session, store.id, 90)
    assert created and fresh.id != backfill_id


def expected_rollups(orders: list[dict[str, Any]], tz: ZoneInfo) -> dict[str, dict[Any, int]]:
    """Daily counters of the fake's orders, computed here (DESIGN 3 and 5): orders by local
    creation day; shipments by local shipping day; time to ship of each order's earliest
    fulfillment; deliveries (the DELIVERED status, at the fulfillment's updatedAt) by local
    delivery day with their transit seconds."""

    def at(iso: str) -> Any:
        return clock.parse_instant(iso)

    counters: dict[str, Counter[Any]] = {
        name: Counter()
        for name in (
            "total_orders",
            "shipments_shipped",
            "time_to_ship_count",
            "time_to_ship_seconds_sum",
            "shipments_delivered",
            "transit_seconds_sum",
        )
    }
    for o in orders:
        counters["total_orders"][at(o["createdAt"]).astimezone(tz).date()] += 1
        for f in o["fulfillments"]:
            shipped = at(f["createdAt"])
            day = shipped.astimezone(tz).date()
            counters["shipments_shipped"][day] += 1
            if f is min(o["fulfillments"], key=lambda g: at(g["createdAt"])):
                counters["time_to_ship_count"][day] += 1
                counters["time_to_ship_seconds_sum"][day] += int(
                    (shipped - at(o["createdAt"])).total_seconds()
                )
            if f["displayStatus"] == "DELIVERED":
                delivered = at(f["updatedAt"])
                counters["shipments_delivered"][delivered.astimezone(tz).date()] += 1
                counters["transit_seconds_sum"][delivered.astimezone(tz).date()] += int(
                    (delivered - shipped).total_seconds()
                )
    return {name: dict(c) for name, c in counters.items()}


async def test_backfill_applies_parked_payloads_and_updates_known_orders(
    shop_client: tuple[httpx.AsyncClient, list[str]],
    store: Any,
    shop: FakeShop,
    session: AsyncSession,
    session_factory: async_sessionmaker[AsyncSession],
    app_settings: Settings,
) -> None:
    """What a batch cannot write together goes through the one-row path: an order the store
    already has, a fulfillment webhook parked for an order, an AfterShip event parked for a
    tracking number, and an order with two fulfillments (the earlier one first)."""
    client, enqueued = shop_client
    assert (await _install(client, store, shop)).status_code == 303
    backfill_id = uuid.UUID(enqueued[0])
    row = await session.get(ShopifyBackfill, (store.id, backfill_id))
    assert row is not None
    since = row.since.strftime("%Y-%m-%dT%H:%M:%SZ")
    selected = [o for o in shop.orders if o["createdAt"] >= since]
    fulfilled = [o for o in selected if o["fulfillments"]]
    known, parked_order, tracked, twice = selected[0], fulfilled[1], fulfilled[2], fulfilled[3]

    # The store already has `known`, from its REST API, with another total.
    r = await client.put(
        f"/api/v1/orders/{known['name'].lstrip('#')}",
        json={"createdAt": known["createdAt"], "total": "1.00", "currency": "USD"},
        headers=store.headers,
    )
    assert r.status_code in (200, 201), r.text
    # A fulfillments/create webhook of `parked_order` came before the order (REST shape).
    f = parked_order["fulfillments"][0]
    await parking.park(
        session,
        store.id,
        "shopify",
        "fulfillments/create",
        "early-fulfillment",
        waits_for="order",
        key=parked_order["legacyResourceId"],
        body=orjson.dumps(
            {
                "id": int(f["legacyResourceId"]),
                "order_id": int(parked_order["legacyResourceId"]),
                "name": f["name"],
                "status": "success",
                "created_at": f["createdAt"],
                "updated_at": f["updatedAt"],
                "tracking_company": f["trackingInfo"][0]["company"],
                "tracking_numbers": [f["trackingInfo"][0]["number"]],
            }
        ),
    )
    # An AfterShip scan of `tracked`'s parcel came before Shopify told us of the parcel.
    tracked_f = tracked["fulfillments"][0]
    scan_at = clock.parse_instant(tracked_f["createdAt"]) + timedelta(hours=1)
    await parking.park(
        session,
        store.id,
        "aftership",
        "tracking_update",
        "early-scan",
        waits_for="shipment",
        key=tracked_f["trackingInfo"][0]["number"],
        body=orjson.dumps(
            aftership(
                [checkpoint(scan_at.isoformat(), "InTransit", "InTransit_002", "Picked up")],
                tracking_number=tracked_f["trackingInfo"][0]["number"],
            )
        ),
    )
    # `twice` has a second fulfillment, listed last but shipped an hour before the first.
    first = twice["fulfillments"][0]
    earlier = clock.parse_instant(first["createdAt"]) - timedelta(hours=1)
    assert earlier > clock.parse_instant(twice["createdAt"])
    twice["fulfillments"].append(
        {
            **first,
            "id": "gid://shopify/Fulfillment/9000000001",
            "legacyResourceId": "9000000001",
            "name": f"{twice['name']}.2",
            "displayStatus": "IN_TRANSIT",
            "createdAt": earlier.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "updatedAt": earlier.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "trackingInfo": [{"company": "USPS", "number": "9400TWICE0001"}],
        }
    )
    await session.commit()

    done = await run_backfill(
        session_factory, app_settings, store.id, backfill_id, sleep=_no_sleep, batch_lines=40
    )
    assert (done.status, done.orders_done, done.orders_failed) == ("completed", len(selected), 0)
    session.expunge_all()
    count = sa.select(sa.func.count()).select_from(Order).where(Order.store_id == store.id)
    assert await session.scalar(count) == len(selected)
    shipments = list(
        await session.scalars(sa.select(Shipment).where(Shipment.store_id == store.id))
    )
    assert len(shipments) == sum(len(o["fulfillments"]) for o in selected)
    remaining = sa.select(sa.func.count()).select_from(ParkedWebhook)
    assert await session.scalar(remaining.where(ParkedWebhook.store_id == store.id)) == 0

    known_row = (
        await session.scalars(
            sa.select(Order).where(
                Order.store_id == store.id, Order.order_number == known["name"].lstrip("#")
            )
        )
    ).one()
    assert str(known_row.total) == known["totalPriceSet"]["shopMoney"]["amount"]
    assert known_row.external_id == known["legacyResourceId"]

    by_number = {s.tracking_number: s for s in shipments}
    scanned = by_number[tracked_f["trackingInfo"][0]["number"]]
    scans = list(
        await session.scalars(
            sa.select(TrackingEvent)
            .where(TrackingEvent.store_id == store.id, TrackingEvent.shipment_id == scanned.id)
            .order_by(TrackingEvent.occurred_at)
        )
    )
    shopify_status = {"DELIVERED": "delivered", "IN_TRANSIT": "in_transit"}[
        tracked_f["displayStatus"]
    ]
    assert [(e.status, e.occurred_at) for e in scans] == sorted(
        [("in_transit", scan_at), (shopify_status, clock.parse_instant(tracked_f["updatedAt"]))],
        key=lambda pair: pair[1],
    )
    assert scanned.first_scan_at == scan_at
    assert [
        by_number[n].is_first_for_order
        for n in (first["trackingInfo"][0]["number"], "9400TWICE0001")
    ] == [False, True]

    rollups = await daily(session, store.id)
    for name, per_day in expected_rollups(selected, ZoneInfo(store.timezone)).items():
        assert {d: r[name] for d, r in rollups.items() if r[name]} == per_day, name


async def _no_sleep(seconds: float) -> None:
    return None


def test_the_backfill_command_imports_with_a_progress_bar(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch, fake: tuple[FakeShopify, str]
) -> None:
    """`wismo shopify backfill` on its own SQLite file, against the fake over HTTP."""
    import asyncio

    from typer.testing import CliRunner

    from app.cli import app
    from app.core.config import get_settings
    from app.db.session import Database
    from app.integrations.shopify.client import API_VERSION

    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    domain = "cli-shop.myshopify.com"
    shop = fake[0].add_shop(
        FakeShop(
            domain,
            API_KEY,
            API_SECRET,
            orders=sample_orders(30, end=clock.now() - timedelta(hours=2), days=20, seed=9),
        )
    )
    shop.polls_until_complete = 0
    shop.tokens.add("shpat_cli")
    for name, value in {
        "WISMO_DATABASE_URL": url,
        "WISMO_SHOPIFY_API_KEY": API_KEY,
        "WISMO_SHOPIFY_API_SECRET": API_SECRET,
        "WISMO_SHOPIFY_ADMIN_URL": f"{fake[1]}/{{shop}}",
        "WISMO_OUTBOUND_ALLOW_HTTP": "true",
        "WISMO_OUTBOUND_ALLOW_PRIVATE": "true",
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        assert runner.invoke(app, ["migrate"]).exit_code == 0
        created = runner.invoke(
            app, ["create-store", "CLI", "--timezone", "UTC", "--domain", domain]
        )
        store_id = created.output.strip().splitlines()[-1]

        async def connect() -> None:
            db = Database(get_settings())
            async with db.sessionmaker() as s:
                s.add(
                    ShopifyConnection(
                        store_id=uuid.UUID(store_id),
                        shop_domain=domain,
                        access_token="shpat_cli",
                        scopes=shop.scope,
                        api_version=API_VERSION,
                        webhook_topics=[],
                        installed_at=clock.now(),
                    )
                )
                await s.commit()
            await db.dispose()

        asyncio.run(connect())
        result = runner.invoke(app, ["shopify", "backfill", "--store", store_id, "--days", "10"])
        again = runner.invoke(app, ["shopify", "backfill", "--store", store_id, "--days", "10"])
    finally:
        get_settings.cache_clear()
    cutoff = (clock.now() - timedelta(days=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    expected = sum(1 for o in shop.orders if o["createdAt"] >= cutoff)
    assert 0 < expected < 30
    assert result.exit_code == 0, result.output
    assert f"{expected} order(s) imported from Shopify (0 skipped)" in " ".join(
        result.output.split()
    )
    assert again.exit_code == 0 and len(shop.operations) == 2
