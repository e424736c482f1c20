"""A local fake of one or more shops' Shopify Admin API (an ASGI app), for tests.

Every answer follows a shape Shopify publishes:

- The grant screen, GET /{shop}/admin/oauth/authorize?client_id&scope&redirect_uri&state
  ("Step 2: Ask for permission"), and its "Install app" button, which sends the merchant back
  to redirect_uri with code, hmac, host, shop, state and timestamp, the hmac the hex
  HMAC-SHA256 of the other parameters sorted as `k=v&...` ("Step 3: Verify the installation
  request"), both of the authorization code grant page cited below.

- OAuth token exchange, POST /{shop}/admin/oauth/access_token {client_id, client_secret,
  code} -> {"access_token", "scope"}: "Step 4: Get an access token" of
  https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant
  (an unknown or reused code answers 400 with {"error", "error_description"}, as
  shopify-api-js's test fixtures for a failed exchange do).
- GraphQL, POST /{shop}/admin/api/{version}/graphql.json with X-Shopify-Access-Token:
  `extensions.cost` {requestedQueryCost, actualQueryCost, throttleStatus {maximumAvailable,
  currentlyAvailable, restoreRate}} and the throttled answer {"errors": [{"message":
  "Throttled", "extensions": {"code": "THROTTLED", "documentation": ...}}]}, from
  https://shopify.dev/docs/api/usage/rate-limits#graphql-admin-api-rate-limits. The bucket
  refills by `restore_rate` per second of the fake's own clock (`advance`), never the wall
  clock, so tests decide how time passes.
- webhookSubscriptionCreate -> {webhookSubscription {id topic}, userErrors}:
  https://shopify.dev/docs/api/admin-graphql/2025-01/mutations/webhookSubscriptionCreate
  (a second subscription of a topic to the same address answers the userError "Address for
  this topic has already been taken").
- bulkOperationRunQuery -> {bulkOperation {id status: CREATED}, userErrors}; node(id:) on a
  BulkOperation -> {id status errorCode objectCount url partialDataUrl} with objectCount an
  UnsignedInt64 *string*; the JSONL result one object per line with list fields inline:
  https://shopify.dev/docs/api/usage/bulk-operations/queries (the examples of
  "Poll the status of the bulk operation" and "Download the result data").
- An Order node's fields (legacyResourceId, displayFinancialStatus, displayFulfillmentStatus,
  totalPriceSet.shopMoney, fulfillments[].trackingInfo, displayStatus):
  https://shopify.dev/docs/api/admin-graphql/2025-01/objects/Order and .../objects/Fulfillment.
"""

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html import escape
from random import Random
from typing import Any
from urllib.parse import urlencode

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Route

from app.core import clock
from app.integrations.shopify.client import API_VERSION


@dataclass
class BulkOperation:
    id: str
    since: datetime
    polls_left: int
    status: str = "CREATED"


@dataclass
class FakeShop:
    domain: str
    api_key: str
    api_secret: str
    orders: list[dict[str, Any]] = field(default_factory=list)
    codes: dict[str, str] = field(default_factory=dict)  # code -> the token it grants
    tokens: set[str] = field(default_factory=set)
    scope: str = "read_orders,read_all_orders,read_fulfillments"
    subscriptions: list[dict[str, str]] = field(default_factory=list)
    operations: dict[str, BulkOperation] = field(default_factory=dict)
    polls_until_complete: int = 1
    maximum: float = 1000.0
    available: float = 1000.0
    restore_rate: float = 50.0
    calls: list[str] = field(default_factory=list)
    throttled: int = 0
    downloads: int = 0

    def grant_code(self) -> str:
        code = secrets.token_hex(16)
        self.codes[code] = f"shpat_{secrets.token_hex(16)}"
        return code

    def advance(self, seconds: float) -> None:
        """Time passes on the fake's clock: the throttle bucket refills."""
        self.available = min(self.maximum, self.available + seconds * self.restore_rate)

    def callback_query(
        self, code: str, state: str, timestamp: int = 1_700_000_000
    ) -> dict[str, str]:
        """The query Shopify redirects the merchant back with, signed with the app secret
        (`host` is the base64 of the shop's admin address, as in Shopify's example)."""
        admin = f"admin.shopify.com/store/{self.domain.removesuffix('.myshopify.com')}"
        params = {
            "code": code,
            "host": base64.b64encode(admin.encode()).decode(),
            "shop": self.domain,
            "state": state,
            "timestamp": str(timestamp),
        }
        message = "&".join(f"{k}={v}" for k, v in sorted(params.items()))
        params["hmac"] = hmac.new(
            self.api_secret.encode(), message.encode(), hashlib.sha256
        ).hexdigest()
        return params

    def sign(self, body: bytes) -> str:
        return base64.b64encode(
            hmac.new(self.api_secret.encode(), body, hashlib.sha256).digest()
        ).decode()


def sample_orders(count: int, *, end: datetime, days: int, seed: int = 3) -> list[dict[str, Any]]:
    """`count` Order nodes spread over the `days` before `end`, in Shopify's GraphQL shape."""
    rng = Random(seed)
    orders = []
    for i in range(count):
        created = end - timedelta(seconds=rng.randint(3600 * 6, days * 86400 - 3600))
        created = created.replace(microsecond=0)
        legacy = str(5_000_000_000 + i)
        number = 1001 + i
        fulfillments = []
        roll = rng.random()
        if roll < 0.75:
            shipped = created + timedelta(seconds=rng.randint(3600, 3 * 86400))
            updated = shipped + timedelta(seconds=rng.randint(3600, 4 * 86400))
            if shipped < end:
                fulfillments.append(
                    {
                        "id": f"gid://shopify/Fulfillment/{4_000_000_000 + i}",
                        "legacyResourceId": str(4_000_000_000 + i),
                        "name": f"#{number}.1",
                        "status": "SUCCESS",
                        "displayStatus": "DELIVERED" if updated < end else "IN_TRANSIT",
                        "createdAt": _iso(shipped),
                        "updatedAt": _iso(min(updated, end)),
                        "estimatedDeliveryAt": None,
                        "trackingInfo": [
                            {
                                "company": rng.choice(["UPS", "USPS", "FedEx"]),
                                "number": f"1Z{900000 + i}",
                            }
                        ],
                    }
                )
        orders.append(
            {
                "id": f"gid://shopify/Order/{legacy}",
                "legacyResourceId": legacy,
                "name": f"#{number}",
                "email": f"buyer{i}@example.com",
                "createdAt": _iso(created),
                "updatedAt": _iso(created),
                "cancelledAt": None,
                "closedAt": None,
                "displayFinancialStatus": "PAID",
                "displayFulfillmentStatus": "FULFILLED" if fulfillments else "UNFULFILLED",
                "currencyCode": "USD",
                "totalPriceSet": {
                    "shopMoney": {"amount": f"{rng.randint(10, 300)}.00", "currencyCode": "USD"}
                },
                "shippingAddress": {"name": f"Buyer {i}", "zip": "10001"},
                "refunds": [],
                "fulfillments": fulfillments,
            }
        )
    return orders


def _page(title: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        "<style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:4rem auto;"
        "padding:2rem;border:1px solid #ddd;border-radius:12px}"
        "button{background:#008060;color:#fff;border:0;border-radius:8px;padding:.6rem 1.2rem;"
        f"font-size:1rem}}</style></head><body><h1>{title}</h1>{body}</body></html>"
    )


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class FakeShopify:
    def __init__(self) -> None:
        self.shops: dict[str, FakeShop] = {}
        self._next_id = 1
        self.app = Starlette(
            routes=[
                Route("/{shop}/admin/oauth/authorize", self.authorize, methods=["GET"]),
                Route("/{shop}/admin/oauth/approve", self.approve, methods=["GET"]),
                Route("/{shop}/admin/oauth/access_token", self.token, methods=["POST"]),
                Route("/{shop}/admin/api/{version}/graphql.json", self.graphql, methods=["POST"]),
                Route("/{shop}/results/{op}.jsonl", self.result, methods=["GET"]),
            ]
        )

    def add_shop(self, shop: FakeShop) -> FakeShop:
        self.shops[shop.domain] = shop
        return shop

    async def authorize(self, request: Request) -> Response:
        """The shop's grant screen: the app, the scopes it asks for, an "Install app" button."""
        shop = self.shops.get(request.path_params["shop"])
        query = request.query_params
        if shop is None or query.get("client_id") != shop.api_key:
            return HTMLResponse(
                _page("Oauth error invalid_request", "<p>The app is not known.</p>"), 400
            )
        if not query.get("redirect_uri") or not query.get("state"):
            return HTMLResponse(
                _page("Oauth error invalid_request", "<p>redirect_uri and state are required.</p>"),
                400,
            )
        scopes = "".join(f"<li>{escape(s)}</li>" for s in query.get("scope", "").split(",") if s)
        hidden = "".join(
            f'<input type="hidden" name="{name}" value="{escape(query[name])}">'
            for name in ("redirect_uri", "state")
        )
        body = (
            f"<p>Install this app on <strong>{escape(shop.domain)}</strong>?</p>"
            f"<p>It will be able to:</p><ul>{scopes}</ul>"
            f'<form method="get" action="/{escape(shop.domain)}/admin/oauth/approve">{hidden}'
            '<button type="submit">Install app</button></form>'
        )
        return HTMLResponse(_page("Install app", body))

    async def approve(self, request: Request) -> Response:
        """The merchant pressed "Install app": back to the app with a code and a signed query."""
        shop = self.shops[request.path_params["shop"]]
        callback = shop.callback_query(
            shop.grant_code(), request.query_params["state"], timestamp=int(clock.timestamp())
        )
        return RedirectResponse(
            f"{request.query_params['redirect_uri']}?{urlencode(callback)}", 302
        )

    async def token(self, request: Request) -> Response:
        shop = self.shops.get(request.path_params["shop"])
        body = orjson.loads(await request.body())
        if (
            shop is None
            or body.get("client_id") != shop.api_key
            or body.get("client_secret") != shop.api_secret
        ):
            return JSONResponse(
                {"error": "invalid_client", "error_description": "Client credentials are invalid"},
                400,
            )
        token = shop.codes.pop(str(body.get("code")), None)
        if token is None:
            return JSONResponse(
                {
                    "error": "invalid_request",
                    "error_description": "The authorization code was not found or was already used",
                },
                400,
            )
        shop.tokens.add(token)
        return JSONResponse({"access_token": token, "scope": shop.scope})

    def _cost(self, shop: FakeShop, requested: float, actual: float) -> dict[str, Any]:
        return {
            "cost": {
                "requestedQueryCost": requested,
                "actualQueryCost": actual,
                "throttleStatus": {
                    "maximumAvailable": shop.maximum,
                    "currentlyAvailable": shop.available,
                    "restoreRate": shop.restore_rate,
                },
            }
        }

    async def graphql(self, request: Request) -> Response:
        shop = self.shops.get(request.path_params["shop"])
        if request.path_params["version"] != API_VERSION or shop is None:
            return JSONResponse({"errors": "Not Found"}, 404)
        if request.headers.get("x-shopify-access-token") not in shop.tokens:
            return JSONResponse(
                {
                    "errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"
                },
                401,
            )
        body = orjson.loads(await request.body())
        query, variables = str(body.get("query", "")), body.get("variables") or {}
        cost = 1.0 if "node(id:" in query else 10.0
        if shop.available < cost:
            shop.throttled += 1
            return JSONResponse(
                {
                    "errors": [
                        {
                            "message": "Throttled",
                            "extensions": {
                                "code": "THROTTLED",
                                "documentation": "https://shopify.dev/api/usage/rate-limits",
                            },
                        }
                    ],
                    "extensions": self._cost(shop, cost, 0),
                }
            )
        shop.available -= cost
        if "webhookSubscriptionCreate" in query:
            data = self._subscribe(shop, variables)
        elif "bulkOperationRunQuery" in query:
            data = self._run_bulk(shop, str(variables.get("query", "")))
        elif "node(id:" in query:
            data = self._poll(shop, str(variables.get("id")), str(request.base_url).rstrip("/"))
        else:
            return JSONResponse({"errors": [{"message": "fake: unsupported query"}]}, 200)
        shop.calls.append(next(iter(data)))
        return JSONResponse({"data": data, "extensions": self._cost(shop, cost, cost)})

    def _subscribe(self, shop: FakeShop, variables: dict[str, Any]) -> dict[str, Any]:
        topic = str(variables.get("topic"))
        url = str((variables.get("webhookSubscription") or {}).get("callbackUrl"))
        if any(s["topic"] == topic and s["callbackUrl"] == url for s in shop.subscriptions):
            return {
                "webhookSubscriptionCreate": {
                    "webhookSubscription": None,
                    "userErrors": [
                        {
                            "field": ["webhookSubscription", "callbackUrl"],
                            "message": "Address for this topic has already been taken",
                        }
                    ],
                }
            }
        sid = f"gid://shopify/WebhookSubscription/{7_000_000 + len(shop.subscriptions)}"
        shop.subscriptions.append({"id": sid, "topic": topic, "callbackUrl": url})
        return {
            "webhookSubscriptionCreate": {
                "webhookSubscription": {"id": sid, "topic": topic},
                "userErrors": [],
            }
        }

    def _run_bulk(self, shop: FakeShop, query: str) -> dict[str, Any]:
        if any(op.status in {"CREATED", "RUNNING"} for op in shop.operations.values()):
            return {
                "bulkOperationRunQuery": {
                    "bulkOperation": None,
                    "userErrors": [
                        {
                            "field": None,
                            "message": "A bulk query operation for this app and shop is already in progress",
                        }
                    ],
                }
            }
        match = re.search(r"created_at:>='([^']+)'", query)
        if match is None or "orders" not in query:
            return {
                "bulkOperationRunQuery": {
                    "bulkOperation": None,
                    "userErrors": [
                        {
                            "field": ["query"],
                            "message": "fake: expected an orders query with created_at",
                        }
                    ],
                }
            }
        since = datetime.fromisoformat(match.group(1).replace("Z", "+00:00"))
        op_id = f"gid://shopify/BulkOperation/{self._next_id}"
        self._next_id += 1
        shop.operations[op_id] = BulkOperation(op_id, since, shop.polls_until_complete)
        return {
            "bulkOperationRunQuery": {
                "bulkOperation": {"id": op_id, "status": "CREATED"},
                "userErrors": [],
            }
        }

    def _selected(self, shop: FakeShop, op: BulkOperation) -> list[dict[str, Any]]:
        return sorted(
            (
                o
                for o in shop.orders
                if datetime.fromisoformat(o["createdAt"].replace("Z", "+00:00")) >= op.since
            ),
            key=lambda o: o["createdAt"],
        )

    def _poll(self, shop: FakeShop, op_id: str, base: str) -> dict[str, Any]:
        op = shop.operations.get(op_id)
        if op is None:
            return {"node": None}
        if op.polls_left > 0:
            op.polls_left -= 1
            op.status = "RUNNING"
        else:
            op.status = "COMPLETED"
        selected = self._selected(shop, op)
        done = op.status == "COMPLETED"
        return {
            "node": {
                "id": op.id,
                "status": op.status,
                "errorCode": None,
                "objectCount": str(len(selected) if done else 0),
                "url": f"{base}/{shop.domain}/results/{op.id.rsplit('/', 1)[1]}.jsonl"
                if done and selected
                else None,
                "partialDataUrl": None,
            }
        }

    async def result(self, request: Request) -> Response:
        shop = self.shops[request.path_params["shop"]]
        op = shop.operations[f"gid://shopify/BulkOperation/{request.path_params['op']}"]
        shop.downloads += 1
        lines = [orjson.dumps(o) + b"\n" for o in self._selected(shop, op)]

        async def body() -> Any:
            for start in range(0, len(lines), 50):
                yield b"".join(lines[start : start + 50])

        return StreamingResponse(body(), media_type="application/jsonl")
