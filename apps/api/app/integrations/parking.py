"""Verified webhook payloads that arrived before their order or shipment.

Providers do not retry a delivery they got a 2xx for, and events do arrive early (a carrier
scan before the shop's fulfillment webhook, a fulfillment before its order). Such a payload
is kept here, keyed by what it waits for, and applied by the ingestion path the moment that
order or shipment is written, from any source (webhook, REST, CSV import). Parked payloads
expire after `PARK_DAYS`; the periodic retention job deletes them.
"""

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.timeutils import utcnow
from app.db.scoping import rows_in
from app.db.upsert import insert_ignore
from app.integrations.common import WebhookOutcome, apply_tracking, parse_json_object
from app.models import Order, ParkedWebhook, Shipment, Store

PARK_DAYS = 30
WaitsFor = Literal["order", "shipment"]


def wait_key(key: str) -> str:
    """Tracking numbers match case-insensitively (as `find_shipment` does)."""
    return key.strip().upper()[:100]


async def park(
    session: AsyncSession,
    store_id: uuid.UUID,
    provider: str,
    topic: str | None,
    delivery_id: str,
    *,
    waits_for: WaitsFor,
    key: str,
    body: bytes,
) -> None:
    now = utcnow()
    table = ParkedWebhook.__table__
    stmt = insert_ignore(
        session, table, ("store_id", "provider", "delivery_id", "wait_key")
    ).values(
        store_id=store_id,
        id=uuid.uuid4(),
        provider=provider,
        topic=(topic or None) and topic[:64],
        delivery_id=delivery_id[:200],
        waits_for=waits_for,
        wait_key=wait_key(key),
        body=body,
        received_at=now,
        expires_at=now + timedelta(days=PARK_DAYS),
    )
    await session.execute(stmt)


async def waiting(
    session: AsyncSession, store_id: uuid.UUID, waits_for: WaitsFor, keys: Iterable[str]
) -> set[str]:
    """Which of `keys` (as `wait_key` writes them) have payloads waiting: one query for many
    orders or shipments, so a batch can leave only those to the one-row path."""
    query = select(ParkedWebhook.wait_key).where(
        ParkedWebhook.store_id == store_id,
        ParkedWebhook.waits_for == waits_for,
        ParkedWebhook.expires_at > utcnow(),
    )
    return set(await rows_in(session, query, ParkedWebhook.wait_key, map(wait_key, keys)))


async def _take(
    session: AsyncSession, store_id: uuid.UUID, waits_for: WaitsFor, key: str
) -> list[ParkedWebhook]:
    rows = list(
        await session.scalars(
            select(ParkedWebhook)
            .where(
                ParkedWebhook.store_id == store_id,
                ParkedWebhook.waits_for == waits_for,
                ParkedWebhook.wait_key == wait_key(key),
                ParkedWebhook.expires_at > utcnow(),
            )
            .order_by(ParkedWebhook.received_at, ParkedWebhook.id)
            .with_for_update()
        )
    )
    if rows:
        await session.execute(
            delete(ParkedWebhook).where(
                ParkedWebhook.store_id == store_id,
                ParkedWebhook.id.in_([r.id for r in rows]),
            )
        )
    return rows


async def release_for_shipment(session: AsyncSession, store: Store, shipment: Shipment) -> int:
    """Apply the tracking payloads that waited for this shipment; returns how many."""
    from app.integrations import aftership, easypost

    readers = {"aftership": aftership.read_update, "easypost": easypost.read_update}
    rows = await _take(session, store.id, "shipment", shipment.tracking_number)
    for row in rows:
        outcome = WebhookOutcome("processed", row.provider, row.delivery_id, row.topic)
        update = readers[row.provider](parse_json_object(row.body), outcome)
        if update is not None:
            await apply_tracking(session, store, shipment, update.events, update.estimate, outcome)
    return len(rows)


async def release_for_order(session: AsyncSession, store: Store, order: Order) -> int:
    """Apply the Shopify fulfillments that waited for this order; returns how many."""
    from app.integrations.shopify import webhooks as shopify

    if not order.external_id:
        return 0
    rows = await _take(session, store.id, "order", order.external_id)
    for row in rows:
        outcome = WebhookOutcome("processed", row.provider, row.delivery_id, row.topic)
        await shopify.apply_fulfillment(session, store, order, parse_json_object(row.body), outcome)
    return len(rows)


async def purge_expired(session: AsyncSession, now: datetime | None = None) -> int:
    result = await session.execute(
        delete(ParkedWebhook).where(ParkedWebhook.expires_at <= (now or utcnow()))
    )
    return int(getattr(result, "rowcount", 0) or 0)


__all__ = [
    "PARK_DAYS",
    "park",
    "purge_expired",
    "release_for_order",
    "release_for_shipment",
    "wait_key",
    "waiting",
]
