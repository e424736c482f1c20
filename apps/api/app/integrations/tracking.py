"""Tracking-provider webhooks: `POST /webhooks/tracking/{provider}?store=<store id>`.

The store is named in the URL the merchant registers with the provider (AfterShip and
EasyPost let each webhook have its own URL, and sign the body, not the URL): an unknown or
malformed store id answers 404. The body is then verified with that store's
`tracking_webhook_secret` (401 when it is missing or wrong) before anything is read.

A tracking number the store does not know (a shipment not ingested yet, or another
system's parcel) answers 202: the payload is parked (`parking.py`) and applied when the
shipment appears, or dropped after `parking.PARK_DAYS` days.

Deliveries that change nothing are kept in `webhook_attempts` for `ATTEMPT_DAYS` days, for
the counts of Settings > Integrations: repeats ("duplicate", with the request) and, for a
known store, refusals ("rejected", with the reason, in a transaction of their own since the
request's rolls back). A stranger can send refusals at will, so at most
`REJECTIONS_RECORDED` of them per store and provider are written per minute.
"""

import uuid
from datetime import timedelta
from typing import Literal, get_args

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import AuthenticationError, NotFoundError
from app.core.rate_limit import Limit, RateLimiter, rate_key
from app.core.timeutils import utcnow
from app.integrations import aftership, easypost
from app.integrations.common import WebhookOutcome, tracking_store
from app.models import WebhookAttempt

TrackingProvider = Literal["aftership", "easypost"]
TRACKING_PROVIDERS: tuple[str, ...] = get_args(TrackingProvider)
ATTEMPT_DAYS = 7
REJECTIONS_RECORDED = Limit(count=30, window_seconds=60)


async def handle(
    session: AsyncSession,
    provider: str,
    store_ref: str | None,
    body: bytes,
    *,
    aftership_signature: str | None = None,
    easypost_signature: str | None = None,
    limiter: RateLimiter | None = None,
) -> WebhookOutcome:
    """Verify and apply one tracking delivery (the caller commits the transaction)."""
    if provider not in TRACKING_PROVIDERS:
        raise NotFoundError(f"unknown tracking provider {provider!r}")
    store = await tracking_store(session, store_ref)
    store_id = store.id
    try:
        if provider == "aftership":
            outcome = await aftership.handle(session, store, body, aftership_signature)
        else:
            outcome = await easypost.handle(session, store, body, easypost_signature)
    except AuthenticationError as exc:
        await record_rejection(session, limiter, store_id, provider, exc.detail)
        raise
    if outcome.status == "duplicate":
        await record_attempt(session, store_id, provider, "duplicate")
    return outcome


async def record_attempt(
    session: AsyncSession,
    store_id: uuid.UUID,
    provider: str,
    outcome: str,
    reason: str | None = None,
) -> None:
    """Keep one attempt and forget this store's attempts older than `ATTEMPT_DAYS`."""
    now = utcnow()
    await session.execute(
        delete(WebhookAttempt).where(
            WebhookAttempt.store_id == store_id,
            WebhookAttempt.received_at < now - timedelta(days=ATTEMPT_DAYS),
        )
    )
    session.add(
        WebhookAttempt(
            store_id=store_id,
            provider=provider,
            outcome=outcome,
            reason=reason[:200] if reason else None,
            received_at=now,
        )
    )
    await session.flush()


async def record_rejection(
    session: AsyncSession,
    limiter: RateLimiter | None,
    store_id: uuid.UUID,
    provider: str,
    reason: str,
) -> None:
    """Commit a refusal on its own: nothing of the refused request was written (the
    signature is checked before any write), and the request's transaction rolls back."""
    await session.rollback()
    if limiter is not None:
        decision = await limiter.hit(
            rate_key("tracking-rejected", store_id, provider), REJECTIONS_RECORDED
        )
        if not decision.allowed:
            return
    await record_attempt(session, store_id, provider, "rejected", reason)
    await session.commit()


__all__ = ["TRACKING_PROVIDERS", "TrackingProvider", "handle", "record_attempt"]
