"""Shopify app install (OAuth authorization code grant), webhook registration, the app's own
webhooks (app/uninstalled and the mandatory compliance topics).

Install (https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant):
1. `begin_install`: the shop must match `^[a-z0-9][a-z0-9-]*\\.myshopify\\.com$`; a random
   state nonce is kept (its SHA-256, 10 minutes, single-use) and the merchant is sent to
   https://{shop}/admin/oauth/authorize (`WISMO_SHOPIFY_ADMIN_URL`'s address of the shop
   instead, in development) with client_id, scope, redirect_uri and state (no
   `grant_options[]=per-user`: an offline token).
2. `complete_install` (the callback): the query's `hmac` is HMAC-SHA256 (hex, API secret) of
   every other parameter sorted and joined as `k=v&...`; the shop is checked again and must
   be the one the state was issued for; the code is exchanged for the offline token, stored
   encrypted; the store takes the shop as its domain; webhooks are registered with
   `webhookSubscriptionCreate` at the pinned API version.

The compliance topics (customers/data_request, customers/redact, shop/redact) cannot be
subscribed through the API: Shopify sends them to the URLs in the app's configuration
(https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance), which point at
`/api/v1/webhooks/shopify/app` like app/uninstalled. Each is signed like every Shopify
webhook: base64 HMAC-SHA256 of the raw body with the app's API secret.
"""

import hashlib
import hmac
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Final
from urllib.parse import urlencode

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import Settings
from app.core.errors import AppError, AuthenticationError, ConflictError, ValidationError
from app.core.logging import get_logger
from app.core.outbound import OutboundClient
from app.core.timeutils import utcnow
from app.integrations.common import (
    WebhookOutcome,
    body_digest,
    claim_delivery,
    mark_duplicate,
    obj,
    parse_json_object,
    require_signature,
    string,
    verify_base64_signature,
)
from app.integrations.shopify.client import (
    API_VERSION,
    AdminClient,
    admin_base,
    exchange_code,
    user_errors,
)
from app.integrations.shopify.models import ShopifyConnection, ShopifyOAuthState
from app.models import Customer, Store
from app.privacy import service as privacy

log = get_logger(__name__)

SHOP_DOMAIN = re.compile(r"^[a-z0-9][a-z0-9-]*\.myshopify\.com$")
STATE_TTL = timedelta(minutes=10)
PROVIDER: Final = "shopify-app"
ORDER_WEBHOOK_TOPICS = (
    "ORDERS_CREATE",
    "ORDERS_UPDATED",
    "ORDERS_CANCELLED",
    "ORDERS_FULFILLED",
    "ORDERS_PARTIALLY_FULFILLED",
    "FULFILLMENTS_CREATE",
    "FULFILLMENTS_UPDATE",
)
APP_WEBHOOK_TOPICS = ("APP_UNINSTALLED",)
COMPLIANCE_TOPICS = frozenset({"customers/data_request", "customers/redact", "shop/redact"})

WEBHOOK_SUBSCRIPTION_CREATE = """
mutation webhookSubscriptionCreate($topic: WebhookSubscriptionTopic!,
                                   $webhookSubscription: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {
    webhookSubscription { id topic }
    userErrors { field message }
  }
}
"""


class ShopifyNotConfiguredError(AppError):
    status = 409
    title = "Shopify app not configured"


def check_shop_domain(shop: str | None) -> str:
    domain = (shop or "").strip().lower()
    if not SHOP_DOMAIN.fullmatch(domain):
        raise ValidationError("shop must be a Shopify domain like your-store.myshopify.com")
    return domain


def _require_app(settings: Settings) -> tuple[str, str]:
    if not settings.shopify_api_key or not settings.shopify_api_secret:
        raise ShopifyNotConfiguredError(
            "set WISMO_SHOPIFY_API_KEY and WISMO_SHOPIFY_API_SECRET to install the Shopify app"
        )
    return settings.shopify_api_key, settings.shopify_api_secret


def query_hmac(params: dict[str, str], secret: str) -> str:
    """Shopify's OAuth HMAC: hex HMAC-SHA256 of the other parameters, sorted, `k=v&...`."""
    message = "&".join(f"{k}={v}" for k, v in sorted(params.items()) if k not in {"hmac"})
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def redirect_uri(settings: Settings) -> str:
    return f"{settings.public_base_url}/api/v1/integrations/shopify/callback"


def orders_webhook_url(settings: Settings) -> str:
    return f"{settings.public_base_url}/api/v1/webhooks/shopify"


def app_webhook_url(settings: Settings) -> str:
    return f"{settings.public_base_url}/api/v1/webhooks/shopify/app"


def _hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


async def begin_install(
    session: AsyncSession, settings: Settings, store_id: uuid.UUID, shop: str
) -> str:
    """The URL of Shopify's consent screen for this store and shop."""
    api_key, _ = _require_app(settings)
    domain = check_shop_domain(shop)
    now = utcnow()
    await session.execute(
        delete(ShopifyOAuthState).where(
            ShopifyOAuthState.store_id == store_id, ShopifyOAuthState.expires_at < now
        )
    )
    nonce = f"{store_id.hex}.{secrets.token_urlsafe(24)}"
    session.add(
        ShopifyOAuthState(
            nonce_hash=_hash(nonce),
            store_id=store_id,
            shop_domain=domain,
            expires_at=now + STATE_TTL,
        )
    )
    await session.flush()
    query = urlencode(
        {
            "client_id": api_key,
            "scope": settings.shopify_scopes,
            "redirect_uri": redirect_uri(settings),
            "state": nonce,
        }
    )
    return f"{admin_base(settings, domain)}/admin/oauth/authorize?{query}"


@dataclass
class InstallResult:
    store_id: uuid.UUID
    shop: str
    webhook_topics: list[str]


async def complete_install(
    session: AsyncSession,
    settings: Settings,
    outbound: OutboundClient,
    params: dict[str, str],
) -> InstallResult:
    """Verify the callback, exchange the code, store the token, register the webhooks."""
    _, api_secret = _require_app(settings)
    given = params.get("hmac", "")
    if not given or not hmac.compare_digest(query_hmac(params, api_secret), given.lower()):
        raise AuthenticationError("the callback's hmac does not match: not from Shopify")
    shop = check_shop_domain(params.get("shop"))
    nonce, code = params.get("state", ""), params.get("code", "")
    if not nonce or not code:
        raise ValidationError("the callback needs code and state")
    try:
        state_store = uuid.UUID(nonce.partition(".")[0])
    except ValueError:
        raise AuthenticationError("unknown install state: start the install again") from None
    state = await session.get(ShopifyOAuthState, (state_store, _hash(nonce)))
    if state is None or state.expires_at < utcnow() or state.shop_domain != shop:
        raise AuthenticationError("unknown or expired install state: start the install again")
    store_id = state.store_id
    await session.delete(state)
    await session.flush()

    other = (
        await session.scalars(
            select(Store.id).where(func.lower(Store.domain) == shop, Store.id != store_id)
        )
    ).first()
    if other is not None:
        raise ConflictError(f"{shop} is the domain of another store")

    token, scopes = await exchange_code(outbound, settings, shop, code)
    store = await session.get(Store, store_id)
    if store is None:
        raise AuthenticationError("the store of this install no longer exists")
    store.domain = shop
    connection = await session.get(ShopifyConnection, store_id)
    if connection is None:
        connection = ShopifyConnection(store_id=store_id, shop_domain=shop, webhook_topics=[])
        session.add(connection)
    connection.shop_domain = shop
    connection.access_token = token
    connection.scopes = scopes
    connection.api_version = API_VERSION
    connection.installed_at = utcnow()
    connection.uninstalled_at = None
    await session.flush()
    admin = AdminClient(outbound, settings, shop, token)
    connection.webhook_topics = await register_webhooks(admin, settings)
    await session.flush()
    return InstallResult(store_id, shop, list(connection.webhook_topics))


async def register_webhooks(admin: AdminClient, settings: Settings) -> list[str]:
    registered: list[str] = []
    targets = [(t, orders_webhook_url(settings)) for t in ORDER_WEBHOOK_TOPICS] + [
        (t, app_webhook_url(settings)) for t in APP_WEBHOOK_TOPICS
    ]
    for topic, url in targets:
        data = await admin.graphql(
            WEBHOOK_SUBSCRIPTION_CREATE,
            {"topic": topic, "webhookSubscription": {"callbackUrl": url, "format": "JSON"}},
        )
        result = data.get("webhookSubscriptionCreate")
        problem = user_errors(result)
        # "Address for this topic has already been taken": registered by an earlier install.
        if problem and "already been taken" not in problem:
            log.warning("shopify_webhook_not_registered", topic=topic, error=problem)
            continue
        registered.append(topic)
    return registered


async def active_connection(session: AsyncSession, store_id: uuid.UUID) -> ShopifyConnection | None:
    connection = await session.get(ShopifyConnection, store_id)
    if connection is None or connection.uninstalled_at is not None or not connection.access_token:
        return None
    return connection


async def connection_of(session: AsyncSession, store_id: uuid.UUID) -> ShopifyConnection | None:
    return await session.get(ShopifyConnection, store_id)


# ---------------------------------------------------------------- the app's webhooks


async def handle_app_webhook(
    session: AsyncSession,
    settings: Settings,
    body: bytes,
    *,
    topic: str | None,
    signature: str | None,
    shop_domain: str | None,
    webhook_id: str | None,
) -> WebhookOutcome:
    """app/uninstalled and the compliance topics, verified with the app's API secret."""
    _, api_secret = _require_app(settings)
    require_signature(verify_base64_signature(api_secret, body, signature), "X-Shopify-Hmac-Sha256")
    payload = parse_json_object(body)
    topic = (topic or "").strip().lower()
    delivery_id = (webhook_id or "").strip() or body_digest(body)
    outcome = WebhookOutcome("processed", PROVIDER, delivery_id=delivery_id, topic=topic)
    shop = (shop_domain or string(payload.get("shop_domain")) or "").strip().lower()
    store_id_of_shop = (
        await session.scalars(select(Store.id).where(func.lower(Store.domain) == shop))
    ).first()
    connection = (
        await session.get(ShopifyConnection, store_id_of_shop) if store_id_of_shop else None
    )
    if connection is None:
        # Nothing of this shop is kept here (never installed, or already erased): done.
        outcome.status = "ignored"
        outcome.detail = f"no store is connected to {shop or '(no shop)'}"
        return outcome
    store_id = connection.store_id
    if not await claim_delivery(session, store_id, PROVIDER, delivery_id, topic):
        return mark_duplicate(outcome)
    if topic == "app/uninstalled":
        connection.uninstalled_at = utcnow()
        connection.access_token = None
        outcome.detail = "uninstalled: syncing stopped, the store's data is kept"
    elif topic == "customers/redact":
        customer = obj(payload.get("customer"))
        email = string(customer.get("email"))
        if email:
            counts = await privacy.erase_customer(session, store_id, email)
            outcome.detail = f"erased {counts['customers']} customer records"
        else:
            outcome.detail = "no email in the request: nothing of this customer is kept"
    elif topic == "shop/redact":
        emails = await session.scalars(
            select(Customer.email).where(Customer.store_id == store_id, Customer.email.is_not(None))
        )
        erased = 0
        for email in {e for e in emails if e}:
            erased += (await privacy.erase_customer(session, store_id, email))["customers"]
        outcome.detail = f"erased {erased} customer records of the shop"
    elif topic == "customers/data_request":
        customer = obj(payload.get("customer"))
        email = string(customer.get("email"))
        request_id = string(obj(payload.get("data_request")).get("id"))
        outcome.detail = (
            f"data request {request_id}: the store's owner exports it from /api/v1/privacy/export"
        )
        log.info(
            "shopify_data_request",
            store_id=str(store_id),
            request=request_id,
            has_email=email is not None,
        )
    else:
        outcome.status = "ignored"
        outcome.detail = f"topic {topic or '(none)'} is not used"
    await session.flush()
    return outcome
