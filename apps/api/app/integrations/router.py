"""Inbound webhooks (DESIGN 6, Ingestion). Not authenticated by API key: the provider's
signature over the raw body is the authentication; verification and dispatch live in
`app.integrations`.

Answers: 200 processed / duplicate / ignored (verified, nothing to store: recorded so the
provider stops retrying), 202 parked (the order or tracking number is not known yet: the
payload is kept and applied when it arrives), 401 bad or missing signature (nothing stored),
404 unknown shop or store, 409 an order number already taken by another Shopify order, 413
body over `max_webhook_bytes` (app.api.body_limit), 422 a verified payload that cannot be applied.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from pydantic import Field

from app.api.deps import RateLimiterDep, SessionDep
from app.api.errors import responses
from app.api.roles import PUBLIC
from app.core.schemas import CamelModel
from app.integrations import tracking
from app.integrations.common import OutcomeStatus, WebhookOutcome
from app.integrations.shopify import webhooks as shopify
from app.integrations.tracking import TrackingProvider

router = APIRouter(prefix="/webhooks", tags=["webhooks"], dependencies=[PUBLIC])

_RAW_JSON_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "The provider's JSON payload, verified byte for byte against the signature.",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
}
_ACCEPTED_STATUSES = {"parked"}


class WebhookResult(CamelModel):
    status: OutcomeStatus
    provider: str
    delivery_id: str | None = None
    topic: str | None = None
    detail: str | None = None
    orders: int = 0
    shipments_created: int = 0
    events_created: int = 0
    events_existing: int = 0
    skipped: list[str] = Field(default_factory=list)


def _result(outcome: WebhookOutcome, response: Response) -> WebhookResult:
    response.status_code = 202 if outcome.status in _ACCEPTED_STATUSES else 200
    return WebhookResult(
        status=outcome.status,
        provider=outcome.provider,
        delivery_id=outcome.delivery_id,
        topic=outcome.topic,
        detail=outcome.detail,
        orders=outcome.orders,
        shipments_created=outcome.shipments_created,
        events_created=outcome.events_created,
        events_existing=outcome.events_existing,
        skipped=outcome.skipped,
    )


@router.post(
    "/shopify",
    name="shopify",
    summary="Shopify order and fulfillment webhooks",
    description=(
        "Topics orders/create, orders/updated, orders/cancelled, orders/fulfilled, "
        "orders/partially_fulfilled, fulfillments/create and fulfillments/update (others "
        "answer 200 `ignored`); an order's `fulfillments[]` are read as the fulfillment "
        "topics are. The store is the one whose domain is X-Shopify-Shop-Domain; the body is "
        "verified with its Shopify webhook secret. Idempotent on X-Shopify-Webhook-Id. A "
        "fulfillment of an order the store does not know yet answers 202 `parked` and is "
        "applied when the order arrives (kept 30 days). An order number already held by "
        "another Shopify order id answers 409."
    ),
    responses={
        202: {"model": WebhookResult, "description": "the order is not known yet: parked"},
        **responses(400, 401, 404, 409, 413, 422),
    },
    openapi_extra=_RAW_JSON_BODY,
)
async def shopify_webhook(
    request: Request,
    response: Response,
    session: SessionDep,
    x_shopify_hmac_sha256: Annotated[
        str | None, Header(description="base64 HMAC-SHA256 of the raw body")
    ] = None,
    x_shopify_shop_domain: Annotated[
        str | None, Header(description="the shop, e.g. main-store.myshopify.com")
    ] = None,
    x_shopify_topic: Annotated[str | None, Header(description="e.g. orders/create")] = None,
    x_shopify_webhook_id: Annotated[
        str | None, Header(description="the delivery id (idempotency key)")
    ] = None,
) -> WebhookResult:
    body = await request.body()  # bounded by BodyLimitMiddleware (max_webhook_bytes)
    outcome = await shopify.handle(
        session,
        body,
        topic=x_shopify_topic,
        signature=x_shopify_hmac_sha256,
        shop_domain=x_shopify_shop_domain,
        webhook_id=x_shopify_webhook_id,
        app_secret=request.app.state.settings.shopify_api_secret,
    )
    return _result(outcome, response)


@router.post(
    "/tracking/{provider}",
    name="tracking",
    summary="AfterShip and EasyPost tracking webhooks",
    description=(
        "Register `/api/v1/webhooks/tracking/{provider}?store=<store id>` with the provider. "
        "AfterShip signs with the `aftership-hmac-sha256` header, EasyPost with "
        "`X-Hmac-Signature`, both keyed with the store's tracking webhook secret. Idempotent "
        "on the provider's event id; events that arrive late never move a shipment back. A "
        "tracking number the store does not know yet answers 202 `parked`: the event is kept "
        "30 days and applied when the shipment arrives. An event with nothing to store (an "
        "EasyPost Event without a Tracker) answers 200 `ignored`."
    ),
    responses={
        202: {"model": WebhookResult, "description": "the shipment is not known yet: parked"},
        **responses(400, 401, 404, 409, 413, 422),
    },
    openapi_extra=_RAW_JSON_BODY,
)
async def tracking_webhook(
    provider: TrackingProvider,
    request: Request,
    response: Response,
    session: SessionDep,
    limiter: RateLimiterDep,
    store: Annotated[
        str | None, Query(description="the store id this webhook URL belongs to")
    ] = None,
    aftership_hmac_sha256: Annotated[
        str | None, Header(description="AfterShip: base64 HMAC-SHA256 of the raw body")
    ] = None,
    x_hmac_signature: Annotated[
        str | None,
        Header(description='EasyPost: "hmac-sha256-hex=" + hex HMAC-SHA256 of the raw body'),
    ] = None,
) -> WebhookResult:
    body = await request.body()  # bounded by BodyLimitMiddleware (max_webhook_bytes)
    outcome = await tracking.handle(
        session,
        provider,
        store,
        body,
        aftership_signature=aftership_hmac_sha256,
        easypost_signature=x_hmac_signature,
        limiter=limiter,
    )
    return _result(outcome, response)
