"""Tracking-provider webhooks: `POST /webhooks/tracking/{provider}?store=<store id>`.

The store is named in the URL the merchant registers with the provider (AfterShip and
EasyPost let each webhook have its own URL, and sign the body, not the URL): an unknown or
malformed store id answers 404. The body is then verified with that store's
`tracking_webhook_secret` (401 when it is missing or wrong) before anything is read.

A tracking number the store does not know (a shipment not ingested yet, or another
system's parcel) answers 202: the payload is parked (`parking.py`) and applied when the
shipment appears, or dropped after `parking.PARK_DAYS` days.
"""

from typing import Literal, get_args

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import NotFoundError
from app.integrations import aftership, easypost
from app.integrations.common import WebhookOutcome, tracking_store

TrackingProvider = Literal["aftership", "easypost"]
TRACKING_PROVIDERS: tuple[str, ...] = get_args(TrackingProvider)


async def handle(
    session: AsyncSession,
    provider: str,
    store_ref: str | None,
    body: bytes,
    *,
    aftership_signature: str | None = None,
    easypost_signature: str | None = None,
) -> WebhookOutcome:
    """Verify and apply one tracking delivery (the caller commits the transaction)."""
    if provider not in TRACKING_PROVIDERS:
        raise NotFoundError(f"unknown tracking provider {provider!r}")
    store = await tracking_store(session, store_ref)
    if provider == "aftership":
        return await aftership.handle(session, store, body, aftership_signature)
    return await easypost.handle(session, store, body, easypost_signature)


__all__ = ["TRACKING_PROVIDERS", "TrackingProvider", "handle"]
