"""Live updates across real server processes: a write on one API process reaches a
WebSocket connected to another through Redis, and losing Redis loses no write."""

import asyncio
import json
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect

from tests.conftest import REQUIRE_SERVICES
from tests.servers import (
    create_store_with_key,
    redis_server,
    running_server,
    scratch_database_url,
)

pytestmark = pytest.mark.redis

if shutil.which("redis-server") is None:
    if REQUIRE_SERVICES:
        raise RuntimeError("redis-server is required (WISMO_REQUIRE_SERVICES=1)")
    pytest.skip("redis-server not installed", allow_module_level=True)


def live(base: str, key: str) -> Any:
    """A server-side client: the API key in the Authorization header, never in the URL."""
    url = base.replace("http://", "ws://") + "/api/v1/analytics/wismo/live"
    return connect(url, additional_headers={"Authorization": f"Bearer {key}"})


async def next_message(ws: Any, wanted: str, timeout: float = 5.0) -> dict[str, Any]:
    async def read() -> dict[str, Any]:
        while True:
            message = json.loads(await ws.recv())
            if message["type"] == wanted:
                return message

    return await asyncio.wait_for(read(), timeout)


async def post_inquiry(base: str, key: str, created: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        return await client.post(
            "/api/v1/inquiries",
            json={"inquiryType": "status", "channel": "chat", "createdAt": created},
            headers={"Authorization": f"Bearer {key}"},
        )


def test_write_on_one_process_reaches_websocket_on_another(tmp_path: Path) -> None:
    url = scratch_database_url(tmp_path)
    store_id, key = create_store_with_key(url)
    _, other_key = create_store_with_key(url, "Other")
    with (
        redis_server() as (redis_url, _),
        running_server(url, redis_url=redis_url) as a,
        running_server(url, redis_url=redis_url) as b,
    ):

        async def scenario() -> None:
            async with live(b, key) as ws, live(b, other_key) as other:
                ready = await next_message(ws, "live.ready")
                assert ready["degraded"] is False
                await next_message(other, "live.ready")
                r = await post_inquiry(a, key, "2026-03-02T15:00:00Z")
                assert r.status_code == 201, r.text
                update = await next_message(ws, "metrics.updated")
                assert update["storeId"] == store_id and update["dates"] == ["2026-03-02"]
                with pytest.raises(TimeoutError):  # the other store hears nothing
                    await next_message(other, "metrics.updated", timeout=1.0)

        asyncio.run(scenario())


def test_losing_redis_keeps_writes_and_recovers(tmp_path: Path) -> None:
    url = scratch_database_url(tmp_path)
    _, key = create_store_with_key(url)
    with (
        redis_server() as (redis_url, redis_proc),
        running_server(url, redis_url=redis_url) as base,
    ):
        port = int(redis_url.rsplit(":", 1)[1].split("/")[0])

        async def scenario() -> None:
            async with live(base, key) as ws:
                await next_message(ws, "live.ready")
                redis_proc.terminate()
                redis_proc.wait(timeout=10)
                await next_message(ws, "live.degraded", timeout=10)
                r = await post_inquiry(base, key, "2026-03-03T15:00:00Z")
                assert r.status_code == 201, r.text  # the write stands without Redis
                # This process's own dashboards still hear about it.
                assert (await next_message(ws, "metrics.updated"))["dates"] == ["2026-03-03"]
                with redis_server(port):
                    await next_message(ws, "live.restored", timeout=15)
                    r = await post_inquiry(base, key, "2026-03-04T15:00:00Z")
                    assert r.status_code == 201
                    assert (await next_message(ws, "metrics.updated"))["dates"] == ["2026-03-04"]
            async with httpx.AsyncClient(base_url=base) as client:
                overview = await client.get(
                    "/api/v1/analytics/wismo/overview",
                    params={"date_range": "custom", "start": "2026-03-01", "end": "2026-03-05"},
                    headers={"Authorization": f"Bearer {key}"},
                )
                assert overview.json()["totalInquiries"]["value"] == 2

        asyncio.run(scenario())


def test_websocket_rejects_bad_credentials(tmp_path: Path) -> None:
    url = scratch_database_url(tmp_path)
    with running_server(url) as base:

        async def scenario() -> None:
            async with live(base, "wismo_not-a-key") as ws:
                await asyncio.wait_for(ws.recv(), 5)

        with pytest.raises(Exception) as info:
            asyncio.run(scenario())
        assert "4401" in str(info.value)
