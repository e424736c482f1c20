"""Live-update latency across two API processes: write on A, WebSocket message on B.

    cd apps/api && uv run python ../../bench/live_latency.py --writes 200

Starts PostgreSQL-backed `wismo serve` processes A and B sharing a private redis-server,
connects a WebSocket to B, then posts inquiries to A one at a time and measures, for each,
the time from sending the POST to receiving B's `metrics.updated` (so it includes the
write's own transaction). Prints p50/p95/max in milliseconds.
"""

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
from websockets.asyncio.client import connect

API_DIR = Path(__file__).resolve().parents[1] / "apps" / "api"
sys.path.insert(0, str(API_DIR))

import os  # noqa: E402

os.environ.setdefault("WISMO_TEST_BACKEND", "postgres")
from tests.servers import (  # noqa: E402
    create_store_with_key,
    redis_server,
    running_server,
    scratch_database_url,
)


async def measure(a: str, b: str, key: str, writes: int) -> list[float]:
    latencies: list[float] = []
    ws_url = b.replace("http://", "ws://") + "/api/v1/analytics/wismo/live"
    async with (
        connect(ws_url, additional_headers={"Authorization": f"Bearer {key}"}) as ws,
        httpx.AsyncClient(base_url=a, headers={"Authorization": f"Bearer {key}"}) as client,
    ):
        assert json.loads(await ws.recv())["type"] == "live.ready"
        for i in range(writes):
            start = time.perf_counter()
            r = await client.post(
                "/api/v1/inquiries",
                json={"inquiryType": "status", "channel": "chat", "externalId": f"bench-{i}"},
            )
            r.raise_for_status()
            while True:
                message = json.loads(await asyncio.wait_for(ws.recv(), 10))
                if message["type"] == "metrics.updated":
                    break
            latencies.append((time.perf_counter() - start) * 1000)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writes", type=int, default=200)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    url = scratch_database_url(tmp)
    _, key = create_store_with_key(url, "Live bench", "UTC")
    with (
        redis_server() as (redis_url, _),
        running_server(url, redis_url=redis_url) as a,
        running_server(url, redis_url=redis_url) as b,
    ):
        latencies = asyncio.run(measure(a, b, key, args.writes))
    latencies.sort()
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
    print(
        f"{len(latencies)} writes: p50 {statistics.median(latencies):.1f} ms, "
        f"p95 {p95:.1f} ms, max {latencies[-1]:.1f} ms (POST on A -> message on B)"
    )


if __name__ == "__main__":
    main()
