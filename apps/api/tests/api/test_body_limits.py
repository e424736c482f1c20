"""Request bodies are bounded per route class before any route or database work runs."""

from collections.abc import AsyncIterator
from typing import Any

import httpx

from app.api.body_limit import body_limit
from app.core.config import Settings


def test_route_classes() -> None:
    s = Settings(
        max_webhook_bytes=1000, max_anonymous_bytes=10, max_api_bytes=100, max_import_bytes=5000
    )
    assert body_limit(s, "/api/v1/webhooks/shopify") == ("webhook", 1000)
    assert body_limit(s, "/api/v1/webhooks/tracking/aftership") == ("webhook", 1000)
    assert body_limit(s, "/api/v1/auth/login") == ("anonymous", 10)
    assert body_limit(s, "/api/v1/chat/conversations") == ("anonymous", 10)
    assert body_limit(s, "/api/v1/satisfaction/abc") == ("anonymous", 10)
    assert body_limit(s, "/api/v1/imports/orders") == ("import", 5000)
    assert body_limit(s, "/api/v1/inquiries") == ("api", 100)
    assert body_limit(s, "/") == ("api", 100)


async def test_a_large_login_is_refused_before_it_is_read(client: httpx.AsyncClient) -> None:
    # 64 kB + 1 byte of JSON: refused from its Content-Length, as problem+json.
    body = b'{"email": "a@example.com", "password": "' + b"x" * 64_000 + b'"}'
    r = await client.post(
        "/api/v1/auth/login", content=body, headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["limit"] == 64_000 and r.headers["connection"] == "close"


async def test_a_chunked_body_is_cut_at_the_limit(client: httpx.AsyncClient, store: Any) -> None:
    sent: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(100):  # 100 x 64 kB = 6.4 MB, no Content-Length
            sent.append(1)
            yield b" " * 65_536

    r = await client.post(
        "/api/v1/inquiries",
        content=chunks(),
        headers={**store.headers, "Content-Type": "application/json"},
    )
    assert r.status_code == 413 and r.json()["limit"] == 1_000_000
    # 1 MB is 15.3 chunks: the 16th crosses the limit, and reading stops there
    assert len(sent) == 16


async def test_bodies_within_the_limit_reach_the_route(
    client: httpx.AsyncClient, store: Any, settings: Settings, monkeypatch: Any
) -> None:
    ok = await client.post(
        "/api/v1/inquiries",
        json={"inquiryType": "status", "channel": "chat", "feedback": "y" * 4000},
        headers=store.headers,
    )
    assert ok.status_code == 201, ok.text
    monkeypatch.setattr(settings, "max_api_bytes", 100)
    small = await client.post(
        "/api/v1/inquiries", json={"inquiryType": "status"}, headers=store.headers
    )
    assert small.status_code == 201
    big = await client.post(
        "/api/v1/inquiries",
        json={"inquiryType": "status", "feedback": "z" * 100},
        headers=store.headers,
    )
    assert big.status_code == 413
