"""Helpdesk webhooks (anonymous: the secret is the proof) and their settings (admins).

Webhook answers: 200 processed / duplicate / ignored (a ticket about no order of the store,
recorded so the helpdesk does not retry), 401 bad or missing signature or no secret set,
404 unknown store, 413 body over `max_webhook_bytes` (app.api.body_limit), 422 a verified
body that is not a ticket, 429 over `helpdesk_webhook_requests_per_minute`.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request

from app.api.deps import (
    CurrentStore,
    RateLimiterDep,
    SessionDep,
    SettingsDep,
    client_address,
)
from app.api.errors import responses
from app.api.roles import ADMIN, PUBLIC
from app.core.errors import RateLimitedError
from app.core.rate_limit import Limit, rate_key
from app.integrations import connections, helpdesk
from app.integrations.connections import HelpdeskName
from app.integrations.schemas import (
    HelpdeskConnectionOut,
    HelpdeskSecretIn,
    HelpdeskSecretOut,
    HelpdeskWebhookResult,
)

webhooks_router = APIRouter(prefix="/webhooks", tags=["webhooks"], dependencies=[PUBLIC])
settings_router = APIRouter(prefix="/stores/current/helpdesks", tags=["integrations"])

_RAW_JSON_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "The helpdesk's JSON payload, verified byte for byte.",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
}
_WEBHOOK_RESPONSES = responses(401, 404, 413, 422, 429)
StoreParam = Annotated[str | None, Query(description="the store id this webhook URL belongs to")]


async def _throttle(
    request: Request, limiter: RateLimiterDep, settings: SettingsDep, provider: str
) -> None:
    """Per client address, before the database. Not per store: the store id is in the URL
    anyone may call, so a per-store budget would let a stranger use up a store's own."""
    limit = Limit(settings.helpdesk_webhook_requests_per_minute, 60)
    key = rate_key("helpdesk", provider, client_address(request))
    decision = await limiter.hit(key, limit)
    if not decision.allowed:
        raise RateLimitedError(
            "too many webhook requests; slow down", retryAfter=decision.retry_after
        )


def _result(outcome: helpdesk.HelpdeskOutcome) -> HelpdeskWebhookResult:
    return HelpdeskWebhookResult(
        status=outcome.status,
        provider=outcome.provider,
        delivery_id=outcome.delivery_id,
        topic=outcome.topic,
        ticket_id=outcome.ticket_id,
        inquiry_id=outcome.inquiry_id,
        created=outcome.created,
        detail=outcome.detail,
    )


@webhooks_router.post(
    "/zendesk",
    summary="Zendesk ticket webhooks",
    description=(
        "Register `/api/v1/webhooks/zendesk?store=<store id>` as a Zendesk webhook and paste "
        "its signing secret into the store's helpdesk settings. Reads ticket event webhooks "
        "(zen:event-type:ticket.created, .comment_added, .status_changed) and trigger "
        'webhooks whose body is the ticket (`{"ticket": {...}}`, CSAT in '
        "`satisfaction_rating.score`, good = 5, bad = 1). A ticket that names an order becomes "
        "an inquiry; later deliveries set its first response, resolution and rating. "
        "Idempotent on the event id (ticket events) or the signed timestamp and body."
    ),
    responses=_WEBHOOK_RESPONSES,
    openapi_extra=_RAW_JSON_BODY,
)
async def zendesk_webhook(
    request: Request,
    session: SessionDep,
    limiter: RateLimiterDep,
    settings: SettingsDep,
    store: StoreParam = None,
    x_zendesk_webhook_signature: Annotated[
        str | None, Header(description="base64 HMAC-SHA256 of timestamp + raw body")
    ] = None,
    x_zendesk_webhook_signature_timestamp: Annotated[
        str | None, Header(description="the timestamp the signature covers")
    ] = None,
) -> HelpdeskWebhookResult:
    await _throttle(request, limiter, settings, "zendesk")
    body = await request.body()  # bounded by BodyLimitMiddleware (max_webhook_bytes)
    outcome = await helpdesk.receive(session, "zendesk", store, request.headers, body)
    return _result(outcome)


@webhooks_router.post(
    "/gorgias",
    summary="Gorgias HTTP integration",
    description=(
        "Create a Gorgias HTTP integration (POST, JSON) to "
        "`/api/v1/webhooks/gorgias?store=<store id>` on ticket created / updated / message "
        "created, with the header `X-Wismo-Token: <the secret from the store's helpdesk "
        "settings>` and the body template from the README (the ticket in the shape of "
        "Gorgias' Ticket object, satisfaction survey included). A ticket that names an order "
        "becomes an inquiry; later deliveries set its first response, resolution and rating."
    ),
    responses=_WEBHOOK_RESPONSES,
    openapi_extra=_RAW_JSON_BODY,
)
async def gorgias_webhook(
    request: Request,
    session: SessionDep,
    limiter: RateLimiterDep,
    settings: SettingsDep,
    store: StoreParam = None,
    x_wismo_token: Annotated[
        str | None, Header(description="the shared secret from the store's settings")
    ] = None,
) -> HelpdeskWebhookResult:
    await _throttle(request, limiter, settings, "gorgias")
    body = await request.body()  # bounded by BodyLimitMiddleware (max_webhook_bytes)
    outcome = await helpdesk.receive(session, "gorgias", store, request.headers, body)
    return _result(outcome)


def _webhook_url(request: Request, provider: str, store_id: object) -> str:
    return f"{str(request.base_url).rstrip('/')}/api/v1/webhooks/{provider}?store={store_id}"


@settings_router.get("", dependencies=[ADMIN], responses=responses(401, 404))
async def list_helpdesks(
    request: Request, store: CurrentStore, session: SessionDep
) -> list[HelpdeskConnectionOut]:
    """Zendesk and Gorgias: the webhook URL to register, whether a secret is set, and the
    last delivery."""
    return [
        HelpdeskConnectionOut(
            provider=s.provider,
            webhook_url=_webhook_url(request, s.provider, store.id),
            secret_set=s.secret_set,
            updated_at=s.updated_at,
            last_delivery_at=s.last_delivery_at,
            deliveries_last_day=s.deliveries_last_day,
        )
        for s in await connections.statuses(session, store.id)
    ]


@settings_router.put("/{provider}", dependencies=[ADMIN], responses=responses(401, 404, 422))
async def set_helpdesk_secret(
    provider: HelpdeskName,
    request: Request,
    store: CurrentStore,
    session: SessionDep,
    body: HelpdeskSecretIn | None = None,
) -> HelpdeskSecretOut:
    """Set or rotate the secret (Zendesk: paste the webhook's signing secret; Gorgias: one
    is generated and shown once)."""
    secret = await connections.set_secret(
        session, store.id, provider, body.secret if body else None
    )
    return HelpdeskSecretOut(
        provider=provider, webhook_url=_webhook_url(request, provider, store.id), secret=secret
    )


@settings_router.delete(
    "/{provider}", dependencies=[ADMIN], status_code=204, responses=responses(401, 404)
)
async def disconnect_helpdesk(
    provider: HelpdeskName, store: CurrentStore, session: SessionDep
) -> None:
    """Forget the secret: the helpdesk's webhooks are refused (401) from now on."""
    await connections.disconnect(session, store.id, provider)
