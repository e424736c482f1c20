"""Shopify app install, connection status, history backfill, and the app's own webhooks."""

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Header, Request, Response, status
from fastapi.responses import RedirectResponse

from app.api.deps import CurrentStore, SessionDep, SettingsDep
from app.api.errors import responses
from app.api.roles import ADMIN, PUBLIC
from app.integrations.router import WebhookResult, _result
from app.integrations.shopify import backfill, service
from app.integrations.shopify.client import outbound_for
from app.integrations.shopify.schemas import (
    BackfillIn,
    BackfillOut,
    ShopifyConnectionOut,
    ShopifyInstallIn,
    ShopifyInstallOut,
)

router = APIRouter(tags=["integrations"])


async def _enqueue_backfill(store_id: str, backfill_id: str) -> None:
    from app.integrations.shopify.tasks import backfill_task

    await backfill_task.kiq(store_id, backfill_id)


@router.get(
    "/integrations/shopify",
    dependencies=[ADMIN],
    responses=responses(401, 403),
    summary="Shopify connection and the latest history import",
)
async def shopify_connection(
    store: CurrentStore, session: SessionDep, settings: SettingsDep
) -> ShopifyConnectionOut:
    connection = await service.connection_of(session, store.id)
    latest = await backfill.latest_backfill(session, store.id)
    out = ShopifyConnectionOut(
        app_configured=bool(settings.shopify_api_key and settings.shopify_api_secret),
        connected=connection is not None and connection.uninstalled_at is None,
        backfill=BackfillOut.model_validate(backfill.BackfillProgress.of(latest))
        if latest
        else None,
    )
    if connection is not None:
        out.shop = connection.shop_domain
        out.scopes = connection.scopes
        out.api_version = connection.api_version
        out.webhook_topics = list(connection.webhook_topics)
        out.installed_at = connection.installed_at
        out.uninstalled_at = connection.uninstalled_at
    return out


@router.post(
    "/integrations/shopify/install",
    dependencies=[ADMIN],
    responses=responses(401, 403, 409, 422),
    summary="Start installing the Shopify app: answers the consent URL to open",
)
async def shopify_install(
    body: ShopifyInstallIn, store: CurrentStore, session: SessionDep, settings: SettingsDep
) -> ShopifyInstallOut:
    url = await service.begin_install(session, settings, store.id, body.shop)
    return ShopifyInstallOut(authorize_url=url)


@router.get(
    "/integrations/shopify/callback",
    dependencies=[PUBLIC],
    status_code=status.HTTP_303_SEE_OTHER,
    response_class=RedirectResponse,
    responses=responses(401, 409, 422, 502),
    summary="Shopify's OAuth redirect: verifies it, stores the token, registers webhooks",
    description=(
        "Checks the query's hmac (API secret), the shop domain and the single-use state, "
        "exchanges the code for an offline token (stored encrypted), registers the order, "
        "fulfillment and app/uninstalled webhooks, starts a 90-day history import and "
        "redirects to the integrations settings."
    ),
)
async def shopify_callback(
    request: Request, session: SessionDep, settings: SettingsDep, background: BackgroundTasks
) -> RedirectResponse:
    params = {k: v for k, v in request.query_params.items()}
    async with outbound_for(settings) as outbound:
        installed = await service.complete_install(session, settings, outbound, params)
    row, created = await backfill.start_backfill(session, installed.store_id)
    if created:
        background.add_task(_enqueue_backfill, str(row.store_id), str(row.id))  # after the commit
    return RedirectResponse(
        f"{settings.public_base_url}/settings/integrations?shopify=connected",
        status_code=status.HTTP_303_SEE_OTHER,
    )


@router.post(
    "/integrations/shopify/backfills",
    dependencies=[ADMIN],
    status_code=status.HTTP_202_ACCEPTED,
    responses=responses(401, 403, 404, 409, 422),
    summary="Import the orders of the last N days (default 90) from Shopify in the background",
    description="While one import runs, it is answered instead of starting another.",
)
async def shopify_start_backfill(
    body: BackfillIn, store: CurrentStore, session: SessionDep, background: BackgroundTasks
) -> BackfillOut:
    row, created = await backfill.start_backfill(session, store.id, body.days)
    if created:
        background.add_task(_enqueue_backfill, str(row.store_id), str(row.id))
    return BackfillOut.model_validate(backfill.BackfillProgress.of(row))


@router.post(
    "/webhooks/shopify/app",
    dependencies=[PUBLIC],
    tags=["webhooks"],
    responses=responses(400, 401, 409, 413, 422),
    summary="The Shopify app's webhooks: app/uninstalled and the compliance topics",
    description=(
        "customers/redact erases the customer as /privacy/erase does; shop/redact erases "
        "every customer of the shop; customers/data_request is acknowledged (the owner "
        "exports with /privacy/export); app/uninstalled stops syncing and keeps the data. "
        "Verified with the app's API secret (X-Shopify-Hmac-Sha256); idempotent on "
        "X-Shopify-Webhook-Id."
    ),
)
async def shopify_app_webhook(
    request: Request,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    x_shopify_hmac_sha256: Annotated[str | None, Header()] = None,
    x_shopify_shop_domain: Annotated[str | None, Header()] = None,
    x_shopify_topic: Annotated[str | None, Header()] = None,
    x_shopify_webhook_id: Annotated[str | None, Header()] = None,
) -> WebhookResult:
    body = await request.body()  # bounded by BodyLimitMiddleware (max_webhook_bytes)
    outcome = await service.handle_app_webhook(
        session,
        settings,
        body,
        topic=x_shopify_topic,
        signature=x_shopify_hmac_sha256,
        shop_domain=x_shopify_shop_domain,
        webhook_id=x_shopify_webhook_id,
    )
    return _result(outcome, response)
