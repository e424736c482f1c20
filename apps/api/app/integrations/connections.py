"""Each store's helpdesk connections: the secret a provider's webhooks prove, and status."""

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Literal, get_args

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import ValidationError
from app.core.timeutils import utcnow
from app.db.scoping import for_store
from app.integrations.models import HelpdeskConnection
from app.models import WebhookDelivery

HelpdeskName = Literal["zendesk", "gorgias"]
HELPDESKS: Final[tuple[str, ...]] = get_args(HelpdeskName)
GENERATED_SECRET_BYTES: Final = 32


@dataclass(frozen=True)
class ConnectionStatus:
    provider: str
    secret_set: bool
    updated_at: datetime | None
    last_delivery_at: datetime | None
    deliveries_last_day: int


async def secret_for(session: AsyncSession, store_id: uuid.UUID, provider: str) -> str | None:
    connection = (
        await session.scalars(
            for_store(HelpdeskConnection, store_id).where(HelpdeskConnection.provider == provider)
        )
    ).first()
    return connection.secret if connection else None


async def set_secret(
    session: AsyncSession, store_id: uuid.UUID, provider: HelpdeskName, secret: str | None
) -> str:
    """Store the provider's secret (Zendesk: the webhook's signing secret, which Zendesk
    generates; Gorgias: one generated here when none is given). Returns the secret."""
    if secret is None:
        if provider == "zendesk":
            raise ValidationError("paste the signing secret Zendesk shows for the webhook")
        secret = secrets.token_urlsafe(GENERATED_SECRET_BYTES)
    connection = (
        await session.scalars(
            for_store(HelpdeskConnection, store_id)
            .where(HelpdeskConnection.provider == provider)
            .with_for_update()
        )
    ).first()
    if connection is None:
        connection = HelpdeskConnection(store_id=store_id, provider=provider, secret=secret)
        session.add(connection)
    connection.secret = secret
    connection.updated_at = utcnow()
    await session.flush()
    return secret


async def disconnect(session: AsyncSession, store_id: uuid.UUID, provider: HelpdeskName) -> None:
    connection = (
        await session.scalars(
            for_store(HelpdeskConnection, store_id).where(HelpdeskConnection.provider == provider)
        )
    ).first()
    if connection is not None:
        await session.delete(connection)
        await session.flush()


async def statuses(session: AsyncSession, store_id: uuid.UUID) -> list[ConnectionStatus]:
    connections = {
        c.provider: c for c in await session.scalars(for_store(HelpdeskConnection, store_id))
    }
    since = utcnow() - timedelta(hours=24)
    result: list[ConnectionStatus] = []
    for provider in HELPDESKS:
        last, recent = (
            await session.execute(
                select(
                    func.max(WebhookDelivery.received_at),
                    func.count().filter(WebhookDelivery.received_at >= since),
                ).where(WebhookDelivery.store_id == store_id, WebhookDelivery.provider == provider)
            )
        ).one()
        connection = connections.get(provider)
        result.append(
            ConnectionStatus(
                provider=provider,
                secret_set=connection is not None,
                updated_at=connection.updated_at if connection else None,
                last_delivery_at=last,
                deliveries_last_day=int(recent or 0),
            )
        )
    return result
