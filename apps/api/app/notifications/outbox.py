"""Reading the outbox of a store (mail that no SMTP server took)."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.keyset import newest_first, page_of
from app.db.scoping import for_store
from app.notifications.models import OutboxEmail


async def page(
    session: AsyncSession, store_id: uuid.UUID, *, cursor: str | None, limit: int
) -> tuple[list[OutboxEmail], str | None]:
    stmt = newest_first(
        for_store(OutboxEmail, store_id), OutboxEmail.created_at, OutboxEmail.id, cursor, limit
    )
    rows = list(await session.scalars(stmt))
    return page_of(rows, limit, lambda m: (m.created_at, m.id))
