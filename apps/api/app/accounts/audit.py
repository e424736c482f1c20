"""The audit log: who changed roles, invites, API keys, settings or erased data, from where."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import AuditEvent
from app.db.keyset import newest_first, page_of
from app.db.scoping import for_store

MAX_TARGET = 500


async def record(
    session: AsyncSession,
    store_id: uuid.UUID,
    *,
    actor: str,
    action: str,
    target: str,
    ip: str | None,
) -> None:
    session.add(
        AuditEvent(store_id=store_id, actor=actor, action=action, target=target[:MAX_TARGET], ip=ip)
    )
    await session.flush()


async def page(
    session: AsyncSession, store_id: uuid.UUID, *, cursor: str | None, limit: int
) -> tuple[list[AuditEvent], str | None]:
    stmt = newest_first(
        for_store(AuditEvent, store_id), AuditEvent.at, AuditEvent.id, cursor, limit
    )
    rows = list(await session.scalars(stmt))
    return page_of(rows, limit, lambda e: (e.at, e.id))
