"""The setup checklist of an empty store: it ticks itself as each kind of data arrives, and
its snippets are the exact requests that send that data (this test runs them as written)."""

import json
import shlex
from typing import Any
from urllib.parse import urlsplit

import httpx

BASE = "http://test"


async def checklist(client: httpx.AsyncClient, store: Any) -> dict[str, Any]:
    r = await client.get("/api/v1/stores/current/setup", headers=store.headers)
    assert r.status_code == 200, r.text
    return r.json()


def done(body: dict[str, Any]) -> dict[str, bool]:
    return {step["key"]: step["done"] for step in body["steps"]}


def step(body: dict[str, Any], key: str) -> dict[str, Any]:
    return next(s for s in body["steps"] if s["key"] == key)


async def run_curl(client: httpx.AsyncClient, line: str, api_key: str) -> httpx.Response:
    """Sends one `curl -X METHOD URL -H ... -d BODY` line of a snippet with the store's key."""
    words = shlex.split(line.replace("$WISMO_API_KEY", api_key))
    assert words[0] == "curl" and words[1] == "-X"
    method, url = words[2], words[3]
    headers: dict[str, str] = {}
    body: Any = None
    rest = iter(words[4:])
    for flag in rest:
        value = next(rest)
        if flag == "-H":
            name, _, header = value.partition(": ")
            headers[name] = header
        else:
            assert flag == "-d"
            body = json.loads(value)
    assert url.startswith(BASE + "/api/v1/")
    return await client.request(method, url, json=body, headers=headers)


async def test_checklist_ticks_as_orders_events_and_inquiries_arrive(
    client: httpx.AsyncClient, store: Any, other_store: Any
) -> None:
    empty = await checklist(client, store)
    assert done(empty) == {"orders": False, "tracking": False, "inquiries": False}
    assert empty["complete"] is False

    orders = step(empty, "orders")["instructions"]
    assert orders[0]["value"] == f"{BASE}/api/v1/webhooks/shopify"
    assert orders[0]["note"] is None  # the store's Shopify domain is set
    r = await run_curl(client, orders[1]["value"], store.api_key)
    assert r.status_code == 201, r.text
    assert done(await checklist(client, store)) == {
        "orders": True,
        "tracking": False,
        "inquiries": False,
    }
    assert done(await checklist(client, other_store)) == {
        "orders": False,
        "tracking": False,
        "inquiries": False,
    }

    tracking = step(empty, "tracking")["instructions"]
    for instruction, provider in zip(tracking[:2], ("aftership", "easypost"), strict=True):
        url = urlsplit(instruction["value"])
        assert url.path == f"/api/v1/webhooks/tracking/{provider}"
        assert url.query == f"store={store.id}"
    add_shipment, add_event = tracking[2]["value"].split("\n")
    r = await run_curl(client, add_shipment, store.api_key)
    assert r.status_code == 201, r.text
    # A shipment alone is not a tracking event yet.
    assert done(await checklist(client, store))["tracking"] is False
    r = await run_curl(client, add_event.replace("SHIPMENT_ID", r.json()["id"]), store.api_key)
    assert r.status_code == 201, r.text
    assert done(await checklist(client, store)) == {
        "orders": True,
        "tracking": True,
        "inquiries": False,
    }

    inquiries = step(empty, "inquiries")["instructions"]
    widget = (await client.get("/api/v1/stores/current/widget", headers=store.headers)).json()
    assert inquiries[0]["value"] == widget["embedSnippet"]
    assert f'src="{BASE}/widget.js" data-key="{store.widget_key}"' in inquiries[0]["value"]
    r = await run_curl(client, inquiries[1]["value"], store.api_key)
    assert r.status_code == 201, r.text
    full = await checklist(client, store)
    assert done(full) == {"orders": True, "tracking": True, "inquiries": True}
    assert full["complete"] is True
    assert (await checklist(client, other_store))["complete"] is False


async def test_shopify_step_asks_for_the_domain_when_the_store_has_none(
    client: httpx.AsyncClient, make_store: Any
) -> None:
    bare = await make_store("No Domain", "Europe/Paris")
    note = step(await checklist(client, bare), "orders")["instructions"][0]["note"]
    assert note is not None and "myshopify.com" in note
