"""Calls to a shop's Admin API, all through the guarded client (`app.core.outbound`).

- OAuth token exchange: POST https://{shop}/admin/oauth/access_token with client_id,
  client_secret and code; answers {"access_token", "scope"} (authorization code grant,
  https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant).
- GraphQL: POST https://{shop}/admin/api/{API_VERSION}/graphql.json with
  X-Shopify-Access-Token; every answer carries `extensions.cost` (requestedQueryCost,
  actualQueryCost, throttleStatus {maximumAvailable, currentlyAvailable, restoreRate}); a
  throttled call answers `errors[].extensions.code == "THROTTLED"` and is retried after the
  bucket has refilled enough (https://shopify.dev/docs/api/usage/rate-limits). We also wait
  before a call when the last answer left less than its cost available.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from app.core.config import Settings
from app.core.errors import AppError
from app.core.outbound import OutboundClient, OutboundError, OutboundPolicy

API_VERSION = "2025-01"
MAX_THROTTLE_RETRIES = 8
Sleeper = Callable[[float], Awaitable[None]]


class ShopifyApiError(AppError):
    status = 502
    title = "Shopify API error"


@dataclass
class Throttle:
    maximum: float = 1000.0
    available: float = 1000.0
    restore_rate: float = 50.0

    def wait_for(self, cost: float) -> float:
        """Seconds until `cost` points are available."""
        missing = cost - self.available
        return max(0.0, missing / self.restore_rate) if self.restore_rate > 0 else 0.0

    def refilled(self, seconds: float) -> None:
        self.available = min(self.maximum, self.available + seconds * self.restore_rate)

    def update(self, extensions: Any) -> None:
        status = ((extensions or {}).get("cost") or {}).get("throttleStatus") or {}
        self.maximum = float(status.get("maximumAvailable", self.maximum))
        self.available = float(status.get("currentlyAvailable", self.available))
        self.restore_rate = float(status.get("restoreRate", self.restore_rate))


def admin_base(settings: Settings, shop: str) -> str:
    if settings.shopify_admin_url:
        return settings.shopify_admin_url.replace("{shop}", shop).rstrip("/")
    return f"https://{shop}"


def outbound_for(settings: Settings, timeout: float = 30.0) -> OutboundClient:
    return OutboundClient(OutboundPolicy.from_settings(settings, timeout=timeout))


async def exchange_code(
    outbound: OutboundClient, settings: Settings, shop: str, code: str
) -> tuple[str, str]:
    """The offline access token and its granted scopes, for an authorization code."""
    try:
        answer = await outbound.exchange_json(
            f"{admin_base(settings, shop)}/admin/oauth/access_token",
            payload={
                "client_id": settings.shopify_api_key,
                "client_secret": settings.shopify_api_secret,
                "code": code,
            },
        )
    except OutboundError as exc:
        raise ShopifyApiError(f"the token exchange with {shop} failed: {exc.reason}") from None
    token = answer.get("access_token") if isinstance(answer, dict) else None
    if not isinstance(token, str) or not token:
        raise ShopifyApiError(f"{shop} answered the token exchange without an access token")
    return token, str(answer.get("scope") or "")


class AdminClient:
    """GraphQL Admin API for one shop, throttle-aware."""

    def __init__(
        self,
        outbound: OutboundClient,
        settings: Settings,
        shop: str,
        token: str,
        *,
        sleep: Sleeper = asyncio.sleep,
    ) -> None:
        self.outbound = outbound
        self.settings = settings
        self.shop = shop
        self.token = token
        self.sleep = sleep
        self.throttle = Throttle()
        self.waited_seconds = 0.0

    @property
    def graphql_url(self) -> str:
        return f"{admin_base(self.settings, self.shop)}/admin/api/{API_VERSION}/graphql.json"

    async def _pause(self, seconds: float) -> None:
        if seconds > 0:
            self.waited_seconds += seconds
            await self.sleep(seconds)
            self.throttle.refilled(seconds)

    async def graphql(
        self, query: str, variables: dict[str, Any] | None = None, *, cost: float = 10.0
    ) -> dict[str, Any]:
        """The `data` of a query; waits out the throttle, raises ShopifyApiError otherwise."""
        for _ in range(MAX_THROTTLE_RETRIES):
            await self._pause(self.throttle.wait_for(cost))
            try:
                answer = await self.outbound.exchange_json(
                    self.graphql_url,
                    payload={"query": query, "variables": variables or {}},
                    headers={"X-Shopify-Access-Token": self.token},
                )
            except OutboundError as exc:
                raise ShopifyApiError(f"Shopify Admin API call failed: {exc.reason}") from None
            if not isinstance(answer, dict):
                raise ShopifyApiError("Shopify Admin API answered something that is not JSON")
            extensions = answer.get("extensions")
            self.throttle.update(extensions)
            errors = answer.get("errors") or []
            if any(
                (e.get("extensions") or {}).get("code") == "THROTTLED"
                for e in errors
                if isinstance(e, dict)
            ):
                requested = ((extensions or {}).get("cost") or {}).get("requestedQueryCost")
                cost = float(requested or cost)
                await self._pause(max(self.throttle.wait_for(cost), 1.0 / 1000))
                continue
            if errors:
                first = errors[0].get("message") if isinstance(errors[0], dict) else errors[0]
                raise ShopifyApiError(f"Shopify Admin API error: {str(first)[:300]}")
            data = answer.get("data")
            if not isinstance(data, dict):
                raise ShopifyApiError("Shopify Admin API answered without data")
            return data
        raise ShopifyApiError("Shopify kept throttling the Admin API calls; try again later")

    def lines(self, url: str) -> AsyncIterator[bytes]:
        return self.outbound.lines(url)


def user_errors(payload: Any) -> str | None:
    errors = (payload or {}).get("userErrors") or []
    if not errors:
        return None
    return "; ".join(str(e.get("message")) for e in errors if isinstance(e, dict))[:300]
