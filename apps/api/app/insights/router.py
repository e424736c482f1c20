"""Insights, the at-risk watchlist, alerts and the alert webhook setting."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from app.accounts.dependencies import AuditorDep
from app.analytics.router import RangeDep
from app.analytics.service import WISMOAnalyticsService
from app.api.deps import CurrentStore, SessionDep, SettingsDep
from app.api.errors import responses
from app.api.roles import ADMIN, ANALYST
from app.insights import WISMOInsightsService, alerts
from app.insights.at_risk import AtRiskService
from app.insights.schemas import AlertOut, AlertWebhookIn, AlertWebhookOut, AtRiskList, Insight
from app.notifications import alert_delivery

router = APIRouter()
ERRORS = responses(401, 404, 422)


@router.get(
    "/analytics/wismo/insights",
    name="insights",
    dependencies=[ANALYST],
    tags=["analytics"],
    responses=ERRORS,
)
async def get_insights(
    store: CurrentStore,
    rng: RangeDep,
    session: SessionDep,
    refresh: Annotated[
        bool, Query(description="generate now instead of returning the latest stored set")
    ] = False,
) -> list[Insight]:
    """Automated insights for the range, most important first.

    The latest set generated within the hour is returned as stored; otherwise (or with
    refresh=true) it is generated from the rollups and stored."""
    service = WISMOInsightsService(WISMOAnalyticsService(session))
    return await service.get_or_generate(store, rng, refresh=refresh)


@router.get(
    "/analytics/wismo/at-risk",
    name="at-risk",
    dependencies=[ANALYST],
    tags=["analytics"],
    responses=ERRORS,
)
async def get_at_risk(
    store: CurrentStore,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> AtRiskList:
    """Open shipments and unfulfilled orders most likely to draw a "where is my order?"
    inquiry in the next days, so the merchant can reach out first."""
    return await AtRiskService(session).watchlist(store, limit=limit)


@router.get(
    "/alerts",
    name="list",
    dependencies=[ANALYST],
    tags=["alerts"],
    responses=responses(401, 404, 422),
)
async def list_alerts(
    store: CurrentStore,
    session: SessionDep,
    include_acknowledged: Annotated[
        bool, Query(description="also list acknowledged alerts")
    ] = False,
) -> list[AlertOut]:
    """The store's alerts, newest first (open ones only by default)."""
    rows = await alerts.list_alerts(session, store.id, include_acknowledged=include_acknowledged)
    return [AlertOut.model_validate(a) for a in rows]


@router.post(
    "/alerts/{alert_id}/acknowledge",
    name="acknowledge",
    dependencies=[ANALYST],
    tags=["alerts"],
    responses=responses(401, 404),
)
async def acknowledge_alert(
    alert_id: uuid.UUID, store: CurrentStore, session: SessionDep
) -> AlertOut:
    """Acknowledge an alert: it leaves the open list and its cause is not raised again."""
    return AlertOut.model_validate(await alerts.acknowledge(session, store.id, alert_id))


def _webhook_out(url: str | None, has_secret: bool, secret: str | None = None) -> AlertWebhookOut:
    return AlertWebhookOut(url=url, has_secret=has_secret, secret=secret)


@router.get(
    "/stores/current/alert-webhook",
    dependencies=[ADMIN],
    tags=["stores"],
    responses=responses(401, 404),
)
async def get_alert_webhook(store: CurrentStore) -> AlertWebhookOut:
    """Where alerts are POSTed (the signing secret is never shown again)."""
    return _webhook_out(store.alert_webhook_url, store.alert_webhook_secret is not None)


@router.put(
    "/stores/current/alert-webhook", dependencies=[ADMIN], tags=["stores"], responses=ERRORS
)
async def set_alert_webhook(
    body: AlertWebhookIn,
    store: CurrentStore,
    session: SessionDep,
    settings: SettingsDep,
    auditor: AuditorDep,
) -> AlertWebhookOut:
    """Set or clear the alert webhook URL. The response carries the signing secret when one
    is created (first URL) or rotated; verify `X-Wismo-Signature: sha256=<hex>` with it."""
    secret = await alert_delivery.configure_webhook(
        session, store, body.url, rotate_secret=body.rotate_secret, settings=settings
    )
    rotated = " (secret rotated)" if secret and body.rotate_secret else ""
    await auditor.record("alert_webhook.changed", f"{store.alert_webhook_url or 'none'}{rotated}")
    return _webhook_out(store.alert_webhook_url, store.alert_webhook_secret is not None, secret)
