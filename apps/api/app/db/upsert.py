"""Dialect-aware INSERT ... ON CONFLICT for PostgreSQL and SQLite."""

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import FromClause
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Insert


def _insert(session: AsyncSession, table: FromClause) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)  # type: ignore[arg-type]


async def upsert_increment(
    session: AsyncSession,
    table: FromClause,
    rows: Sequence[dict[str, Any]],
    key_columns: Sequence[str],
    counter_columns: Iterable[str],
) -> None:
    """Insert rows, or add their counters to the existing rows with the same key."""
    if not rows:
        return
    insert = _insert(session, table)
    stmt = insert.on_conflict_do_update(
        index_elements=list(key_columns),
        set_={c: table.c[c] + insert.excluded[c] for c in counter_columns},
    )
    # One statement executed for many rows (compiled once), not a statement with
    # thousands of bound parameters compiled per call.
    await session.execute(stmt, list(rows))


def insert_ignore(session: AsyncSession, table: FromClause, key_columns: Sequence[str]) -> Insert:
    """INSERT that silently skips rows whose key already exists (idempotent writes)."""
    stmt: Insert = _insert(session, table).on_conflict_do_nothing(index_elements=list(key_columns))
    return stmt
