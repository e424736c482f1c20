"""Re-encrypt every stored secret with the first key of WISMO_ENCRYPTION_KEYS."""

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

import app.models  # noqa: F401 (registers every table on the metadata)
from app.core import secrets
from app.db.base import Base
from app.db.types import SecretText


def secret_columns() -> dict[str, list[str]]:
    """Table name -> its encrypted columns, found from the models (nothing to keep in sync)."""
    found: dict[str, list[str]] = {}
    for table in Base.metadata.sorted_tables:
        names = [c.name for c in table.columns if isinstance(c.type, SecretText)]
        if names:
            found[table.name] = names
    return found


async def rotate_all(session: AsyncSession) -> int:
    """Rewrite each non-NULL secret as a token of the first key; returns how many changed.

    Reads and writes the raw tokens (no decrypt-then-encrypt through the ORM), so a row is
    touched only in its secret columns. Idempotent: a second run re-encrypts again, which
    is harmless."""
    rewritten = 0
    for table_name, columns in secret_columns().items():
        model_table = Base.metadata.tables[table_name]
        keys = [sa.column(c.name, c.type) for c in model_table.primary_key.columns]
        raw = sa.table(table_name, *keys, *[sa.column(name, sa.Text()) for name in columns])
        rows = (await session.execute(sa.select(raw))).all()
        for row in rows:
            mapping = row._mapping
            values = {
                name: secrets.rotate(mapping[name]) for name in columns if mapping[name] is not None
            }
            if not values:
                continue
            condition = sa.and_(*(raw.c[k.name] == mapping[k.name] for k in keys))
            await session.execute(sa.update(raw).where(condition).values(**values))
            rewritten += len(values)
    await session.flush()
    return rewritten
