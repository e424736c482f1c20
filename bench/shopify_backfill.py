"""Shopify history backfill rate on PostgreSQL, against the local fake Admin API.

    cd apps/api && uv run --frozen python ../../bench/shopify_backfill.py --orders 2000

Creates the database `wismo_bench_shopify` afresh, a store connected to a fake shop holding
`--orders` orders over 90 days (three in four fulfilled with tracking), then runs
`wismo shopify backfill --store ID --days 90` as a real process (the JSONL over HTTP, the
batched ingestion path, rollups) and reports orders per second of that process's wall time.
"""

import argparse
import asyncio
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import asyncpg
import sqlalchemy as sa

API_DIR = Path(__file__).resolve().parents[1] / "apps" / "api"
sys.path.insert(0, str(API_DIR))

from app.core import clock  # noqa: E402
from app.core.config import Settings  # noqa: E402
from app.db.migrations import upgrade  # noqa: E402
from app.db.session import Database  # noqa: E402
from app.integrations.shopify.client import API_VERSION  # noqa: E402
from app.integrations.shopify.models import ShopifyConnection  # noqa: E402
from app.models import Order, Shipment  # noqa: E402
from app.stores.service import create_store  # noqa: E402
from tests.fakes.shopify import FakeShop, FakeShopify, sample_orders  # noqa: E402
from tests.servers import asgi_server  # noqa: E402

BASE = "postgresql://postgres@127.0.0.1:5432"
NAME = "wismo_bench_shopify"
URL = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{NAME}"
SHOP = "bench-shop.myshopify.com"


async def fresh_database() -> None:
    conn = await asyncpg.connect(f"{BASE}/postgres")
    await conn.execute(f'DROP DATABASE IF EXISTS "{NAME}"')
    await conn.execute(f'CREATE DATABASE "{NAME}"')
    await conn.close()


async def connected_store(token: str) -> str:
    db = Database(Settings(database_url=URL))
    async with db.sessionmaker() as session:
        store = await create_store(session, "Bench Shop", "America/New_York", domain=SHOP)
        session.add(
            ShopifyConnection(
                store_id=store.id,
                shop_domain=SHOP,
                access_token=token,
                scopes="read_orders,read_all_orders",
                api_version=API_VERSION,
                webhook_topics=[],
                installed_at=clock.now(),
            )
        )
        await session.commit()
        store_id = str(store.id)
    await db.dispose()
    return store_id


async def counts(store_id: str) -> tuple[int, int]:
    db = Database(Settings(database_url=URL))
    async with db.sessionmaker() as session:
        orders = await session.scalar(
            sa.select(sa.func.count()).select_from(Order).where(Order.store_id == store_id)
        )
        shipments = await session.scalar(
            sa.select(sa.func.count()).select_from(Shipment).where(Shipment.store_id == store_id)
        )
    await db.dispose()
    return int(orders or 0), int(shipments or 0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=5000)
    args = parser.parse_args()
    asyncio.run(fresh_database())
    upgrade(URL)
    fake = FakeShopify()
    end = clock.now() - timedelta(hours=2)
    shop = fake.add_shop(
        FakeShop(SHOP, "key", "secret", orders=sample_orders(args.orders, end=end, days=89))
    )
    shop.polls_until_complete = 0
    shop.tokens.add("shpat_bench")
    store_id = asyncio.run(connected_store("shpat_bench"))
    with asgi_server(fake.app) as base:
        env = {
            **os.environ,
            "WISMO_DATABASE_URL": URL,
            "WISMO_SHOPIFY_API_KEY": "key",
            "WISMO_SHOPIFY_API_SECRET": "secret",
            "WISMO_SHOPIFY_ADMIN_URL": f"{base}/{{shop}}",
            "WISMO_OUTBOUND_ALLOW_HTTP": "true",
            "WISMO_OUTBOUND_ALLOW_PRIVATE": "true",
            "WISMO_LOG_LEVEL": "WARNING",
        }
        started = time.perf_counter()
        subprocess.run(  # noqa: S603
            [sys.executable, "-m", "app.cli", "shopify", "backfill", "--store", store_id],
            cwd=API_DIR,
            env=env,
            check=True,
        )
        seconds = time.perf_counter() - started
    orders, shipments = asyncio.run(counts(store_id))
    print(
        f"{orders} orders, {shipments} shipments imported in {seconds:.1f} s "
        f"(process wall time): {orders / seconds:.0f} orders/s on PostgreSQL"
    )


if __name__ == "__main__":
    main()
