"""The tracking card of Settings > Integrations: the webhook URL per provider, the shared
secret, and what arrived in the last 24 hours.

Accepted deliveries are the rows of `webhook_deliveries` (processed, ignored, parked);
duplicates and rejections those of `webhook_attempts` (see `tracking.py`).
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import NotFoundError
from app.core.timeutils import utcnow
from app.db.scoping import for_store
from app.integrations.tracking import TRACKING_PROVIDERS
from app.models import Store, WebhookAttempt, WebhookDelivery

COUNT_WINDOW = timedelta(hours=24)


@dataclass
class ProviderStatus:
    provider: str
    webhook_url: str
    last_delivery_at: datetime | None = None
    accepted_last_day: int = 0
    duplicate_last_day: int = 0
    rejected_last_day: int = 0
    last_error: str | None = None
    last_error_at: datetime | None = None


@dataclass
class TrackingStatus:
    secret_set: bool
    providers: list[ProviderStatus]


def webhook_url(base_url: str, provider: str, store_id: uuid.UUID) -> str:
    return f"{base_url.rstrip('/')}/api/v1/webhooks/tracking/{provider}?store={store_id}"


async def _store(session: AsyncSession, store_id: uuid.UUID) -> Store:
    store = await session.get(Store, store_id)
    if store is None:
        raise NotFoundError("store not found")
    return store


def _latest(a: datetime | None, b: datetime | None) -> datetime | None:
    return max((m for m in (a, b) if m is not None), default=None)


async def status(session: AsyncSession, store_id: uuid.UUID, base_url: str) -> TrackingStatus:
    store = await _store(session, store_id)
    since = utcnow() - COUNT_WINDOW
    by_provider = {
        p: ProviderStatus(p, webhook_url(base_url, p, store_id)) for p in TRACKING_PROVIDERS
    }

    delivered = await session.execute(
        select(
            WebhookDelivery.provider,
            func.max(WebhookDelivery.received_at),
            func.sum(case((WebhookDelivery.received_at >= since, 1), else_=0)),
        )
        .where(
            WebhookDelivery.store_id == store_id,
            WebhookDelivery.provider.in_(TRACKING_PROVIDERS),
        )
        .group_by(WebhookDelivery.provider)
    )
    for provider, last_at, recent in delivered:
        entry = by_provider[provider]
        entry.last_delivery_at = _latest(entry.last_delivery_at, last_at)
        entry.accepted_last_day = int(recent or 0)

    attempted = await session.execute(
        select(
            WebhookAttempt.provider,
            WebhookAttempt.outcome,
            func.max(WebhookAttempt.received_at),
            func.sum(case((WebhookAttempt.received_at >= since, 1), else_=0)),
        )
        .where(
            WebhookAttempt.store_id == store_id,
            WebhookAttempt.provider.in_(TRACKING_PROVIDERS),
        )
        .group_by(WebhookAttempt.provider, WebhookAttempt.outcome)
    )
    for provider, outcome, last_at, recent in attempted:
        entry = by_provider[provider]
        entry.last_delivery_at = _latest(entry.last_delivery_at, last_at)
        if outcome == "duplicate":
            entry.duplicate_last_day = int(recent or 0)
        elif outcome == "rejected":
            entry.rejected_last_day = int(recent or 0)

    for provider, entry in by_provider.items():
        last_rejection = (
            await session.scalars(
                for_store(WebhookAttempt, store_id)
                .where(
                    WebhookAttempt.provider == provider,
                    WebhookAttempt.outcome == "rejected",
                )
                .order_by(WebhookAttempt.received_at.desc())
                .limit(1)
            )
        ).first()
        if last_rejection is not None:
            entry.last_error = last_rejection.reason
            entry.last_error_at = last_rejection.received_at

    return TrackingStatus(
        secret_set=bool(store.tracking_webhook_secret),
        providers=[by_provider[p] for p in TRACKING_PROVIDERS],
    )


async def set_secret(session: AsyncSession, store_id: uuid.UUID, secret: str) -> None:
    """Set or rotate the secret AfterShip and EasyPost sign with (it is never shown again)."""
    store = await _store(session, store_id)
    store.tracking_webhook_secret = secret
    await session.flush()
