"""SQL statements per request: the no-op request and a new inquiry naming an order.

    cd apps/api && uv run python ../../bench/write_statements.py

A load-independent companion to write_rate.py: the app runs in this process on a scratch
PostgreSQL database (ASGI transport, no server), 20 orders (half shipped) are written, then
50 no-op requests and 50 new inquiries (several per order, so repeats are linked) are counted
with a `before_cursor_execute` listener. BEGIN, COMMIT and the pool's pre-ping are not cursor
executions; the pre-ping setting is printed (with asyncpg it is three round trips per request).
"""

import asyncio
import os
import sys
import uuid

sys.path.insert(0, os.getcwd())
os.environ["WISMO_TEST_BACKEND"] = "postgres"
import asyncpg
import httpx
from sqlalchemy import event

from app.core.config import Settings
from app.db.migrations import upgrade
from app.main import create_app
from tests.servers import create_store_with_key

NAME = f"wismo_bench_writes_count_{uuid.uuid4().hex[:6]}"
URL = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{NAME}"


async def admin(sql):
    c = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/postgres")
    await c.execute(sql)
    await c.close()


async def main():
    app = create_app(Settings(database_url=URL, embedded_jobs=False))
    async with app.router.lifespan_context(app):
        engine = app.state.db.engine.sync_engine
        counts = {"stmt": 0}
        event.listen(
            engine,
            "before_cursor_execute",
            lambda *a: counts.__setitem__("stmt", counts["stmt"] + 1),
        )
        h = {"Authorization": f"Bearer {KEY}"}
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t", headers=h
        ) as c:
            for i in range(20):
                r = await c.put(f"/api/v1/orders/C{i}", json={"createdAt": "2026-11-20T10:00:00Z"})
                r.raise_for_status()
                if i % 2 == 0:
                    r = await c.post(
                        f"/api/v1/orders/C{i}/shipments",
                        json={
                            "carrier": "UPS",
                            "trackingNumber": f"T{i}",
                            "shippedAt": "2026-11-21T10:00:00Z",
                        },
                    )
                    r.raise_for_status()
            await c.get("/api/v1/stores/current")
            counts["stmt"] = 0
            for _ in range(50):
                await c.get("/api/v1/stores/current")
            noop = counts["stmt"] / 50
            counts["stmt"] = 0
            for i in range(50):
                r = await c.post(
                    "/api/v1/inquiries",
                    json={
                        "inquiryType": "status",
                        "channel": "email",
                        "orderNumber": f"C{i % 20}",
                        "externalId": f"x{i}",
                        "createdAt": f"2026-11-25T{10 + i % 10}:00:00Z",
                    },
                )
                r.raise_for_status()
            post = counts["stmt"] / 50
    print(
        f"SQL statements per request: no-op {noop:.1f}, new inquiry naming an order "
        f"{post:.1f} (pool pre-ping: {app.state.db.engine.pool._pre_ping})"
    )


asyncio.run(admin(f'CREATE DATABASE "{NAME}"'))
try:
    upgrade(URL)
    _, KEY = create_store_with_key(URL, "Count", "UTC")
    asyncio.run(main())
finally:
    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)'))
