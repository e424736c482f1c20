"""Concurrent writers on one server: none fails, none is lost (SQLite queues its writers)."""

import asyncio
from pathlib import Path

import httpx

from tests.servers import create_store_with_key, running_server, scratch_database_url


def test_concurrent_inquiries_are_all_stored(tmp_path: Path) -> None:
    url = scratch_database_url(tmp_path)
    _, key = create_store_with_key(url)
    with running_server(url) as base:

        async def scenario() -> None:
            headers = {"Authorization": f"Bearer {key}"}
            async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as client:

                async def post(i: int) -> int:
                    r = await client.post(
                        "/api/v1/inquiries",
                        json={
                            "inquiryType": "status",
                            "channel": "email",
                            "createdAt": f"2026-03-02T{10 + i % 10}:00:00Z",
                            "externalId": f"zd-{i}",
                        },
                    )
                    return r.status_code

                statuses = await asyncio.gather(*(post(i) for i in range(40)))
                retries = await asyncio.gather(*(post(i) for i in range(40)))
                assert statuses == [201] * 40
                assert retries == [200] * 40  # idempotent on externalId
                overview = await client.get(
                    "/api/v1/analytics/wismo/overview",
                    params={"date_range": "custom", "start": "2026-03-02", "end": "2026-03-02"},
                )
                assert overview.json()["totalInquiries"]["value"] == 40
                # The key's use was recorded (after the responses, in its own transaction).
                keys = (await client.get("/api/v1/stores/current/api-keys")).json()
                assert keys[0]["lastUsedAt"] is not None

        asyncio.run(scenario())
