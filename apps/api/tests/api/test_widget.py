"""The embeddable widget: the script, its settings, and CORS only for the origins a store
allows (on the chat routes only)."""

import gzip
from typing import Any

import httpx

SHOP = "https://shop.example.com"


async def allow(client: httpx.AsyncClient, store: Any, *origins: str) -> Any:
    r = await client.put(
        "/api/v1/stores/current/widget",
        json={"allowedOrigins": list(origins)},
        headers=store.headers,
    )
    assert r.status_code == 200, r.text
    return r.json()


async def test_widget_script_is_small_plain_javascript(client: httpx.AsyncClient) -> None:
    r = await client.get("/widget.js")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/javascript")
    assert "attachShadow" in r.text and "localStorage" in r.text
    assert len(gzip.compress(r.content, 9)) <= 25 * 1024


async def test_settings_normalise_and_refuse_what_is_not_an_origin(
    client: httpx.AsyncClient, store: Any, other_store: Any
) -> None:
    out = await allow(client, store, "https://Shop.Example.com/", SHOP, "http://localhost:8080")
    assert out["allowedOrigins"] == [SHOP, "http://localhost:8080"]
    assert out["widgetKey"] == store.widget_key
    assert f'data-key="{store.widget_key}"' in out["embedSnippet"]
    assert "/widget.js" in out["embedSnippet"]
    for bad in ("shop.example.com", "https://shop.example.com/page", "ftp://x.example.com"):
        r = await client.put(
            "/api/v1/stores/current/widget",
            json={"allowedOrigins": [bad]},
            headers=store.headers,
        )
        assert r.status_code == 422, bad
    # Each store has its own list.
    r = await client.get("/api/v1/stores/current/widget", headers=other_store.headers)
    assert r.json()["allowedOrigins"] == []


async def test_cors_only_for_allowed_origins_of_the_keys_store(
    client: httpx.AsyncClient, store: Any, other_store: Any
) -> None:
    await allow(client, store, SHOP)
    await allow(client, other_store, "https://other.example.com")
    path = f"/api/v1/chat/conversations?key={store.widget_key}"
    preflight = {
        "Origin": SHOP,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,x-widget-key",
    }
    r = await client.options(path, headers=preflight)
    assert r.status_code == 204
    assert r.headers["access-control-allow-origin"] == SHOP
    assert "x-widget-key" in r.headers["access-control-allow-headers"].lower()
    # Another store's origin, an unknown origin, an unknown key: no CORS at all.
    for origin, url in (
        ("https://other.example.com", path),
        ("https://evil.example.com", path),
        (SHOP, "/api/v1/chat/conversations?key=nope"),
    ):
        r = await client.options(url, headers={**preflight, "Origin": origin})
        assert r.status_code == 403
        assert "access-control-allow-origin" not in r.headers

    widget = {"X-Widget-Key": store.widget_key, "Origin": SHOP}
    r = await client.post(path, json={"lang": "fr"}, headers=widget)
    assert r.status_code == 201, r.text
    assert r.headers["access-control-allow-origin"] == SHOP
    assert r.json()["language"] == "fr"
    conversation = r.json()["id"]
    r = await client.post(
        f"/api/v1/chat/conversations/{conversation}/messages",
        json={"text": "bonjour"},
        headers=widget,
    )
    assert r.status_code == 201 and r.headers["access-control-allow-origin"] == SHOP
    # Errors carry the headers too, so the widget can show them.
    r = await client.get(
        "/api/v1/chat/conversations/00000000-0000-4000-8000-000000000000", headers=widget
    )
    assert r.status_code == 404 and r.headers["access-control-allow-origin"] == SHOP

    r = await client.post(path, json={}, headers={**widget, "Origin": "https://evil.example.com"})
    assert r.status_code == 403
    assert "access-control-allow-origin" not in r.headers
    # Other routes never answer CORS for widget origins.
    r = await client.get("/api/v1/stores/current", headers={**store.headers, "Origin": SHOP})
    assert "access-control-allow-origin" not in r.headers
