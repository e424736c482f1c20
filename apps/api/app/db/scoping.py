"""Store scoping: every query on a store's data starts here."""

import uuid
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import NotFoundError

M = TypeVar("M")


def for_store(model: type[M], store_id: uuid.UUID) -> Select[M]:
    """`SELECT model WHERE model.store_id = :store_id`; add further filters to it."""
    return select(model).where(model.store_id == store_id)  # type: ignore[attr-defined]


async def get_scoped(
    session: AsyncSession, model: type[M], store_id: uuid.UUID, *criteria: Any, what: str
) -> M:
    """One row of this store or a 404 (another store's row is indistinguishable from none)."""
    row = (await session.scalars(for_store(model, store_id).where(*criteria).limit(1))).first()
    if row is None:
        raise NotFoundError(f"{what} not found")
    return row
