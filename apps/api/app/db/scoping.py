"""Store scoping: every query on a store's data starts here."""

import uuid
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import NotFoundError

M = TypeVar("M")
IN_LIST = 1000  # values per IN (...) list, well under both databases' parameter limits


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


def in_chunks(values: Sequence[Any]) -> list[Sequence[Any]]:
    """`values` cut into lists short enough for one `IN (...)` each."""
    return [values[i : i + IN_LIST] for i in range(0, len(values), IN_LIST)]


async def rows_in(
    session: AsyncSession, stmt: Any, column: Any, values: Iterable[Any], *, plain: bool = False
) -> list[Any]:
    """`stmt` (a select) where `column` is one of `values`, for any number of values: one
    query per `IN_LIST` distinct values. Its first column's values (ORM instances for a select
    of an entity), or with `plain` its whole result rows."""
    unique = list(dict.fromkeys(values))
    found: list[Any] = []
    for chunk in in_chunks(unique):
        selected = stmt.where(column.in_(chunk))
        found.extend(await (session.execute(selected) if plain else session.scalars(selected)))
    return found
