"""Dialect-aware INSERT ... ON CONFLICT for PostgreSQL and SQLite."""

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, FromClause, Table, bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Insert

# Columns computed from the row's counters: given a function naming a counter's value (the
# inserted one, or the stored one plus the increment), their expressions.
Derived = Callable[[Callable[[str], ColumnElement[Any]]], dict[str, ColumnElement[Any]]]

BIND_PREFIX = "v_"

_increments: dict[tuple[Any, ...], Insert] = {}


def _insert(dialect: str, table: FromClause) -> Any:
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)  # type: ignore[arg-type]


def increment_statement(
    dialect: str,
    table: Table,
    key_columns: Sequence[str],
    counter_columns: Sequence[str],
    derived: Derived | None = None,
    touched_column: str | None = None,
) -> Insert:
    """`INSERT ... ON CONFLICT (keys) DO UPDATE SET c = c + excluded.c` (and the derived
    columns from the summed counters), built once per process and reused, so SQLAlchemy
    compiles it once and each write only binds its rows. Rows bind `v_<column>`."""
    cache_key = (dialect, table.name, tuple(key_columns), tuple(counter_columns), derived)
    cached = _increments.get(cache_key)
    if cached is not None:
        return cached
    given = (*key_columns, *counter_columns)
    params = {c: bindparam(BIND_PREFIX + c, type_=table.c[c].type) for c in given}
    insert = _insert(dialect, table)
    summed = {c: table.c[c] + insert.excluded[c] for c in counter_columns}
    values: dict[str, Any] = dict(params)
    update: dict[str, Any] = dict(summed)
    if derived is not None:
        values.update(derived(lambda c: params[c]))
        update.update(derived(lambda c: summed[c]))
    if touched_column is not None:
        update[touched_column] = insert.excluded[touched_column]
    stmt: Insert = insert.values(values).on_conflict_do_update(
        index_elements=list(key_columns), set_=update
    )
    _increments[cache_key] = stmt
    return stmt


async def upsert_increment(
    session: AsyncSession,
    table: Table,
    rows: Sequence[dict[str, Any]],
    key_columns: Sequence[str],
    counter_columns: Iterable[str],
    derived: Derived | None = None,
    touched_column: str | None = None,
) -> None:
    """Insert rows, or add their counters to the existing rows with the same key (one
    statement, executed for every row; keys and counters missing from a row are errors)."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    stmt = increment_statement(
        dialect, table, key_columns, tuple(counter_columns), derived, touched_column
    )
    await session.execute(
        stmt, [{BIND_PREFIX + name: value for name, value in row.items()} for row in rows]
    )


def insert_ignore(session: AsyncSession, table: FromClause, key_columns: Sequence[str]) -> Insert:
    """INSERT that silently skips rows whose key already exists (idempotent writes)."""
    dialect = session.get_bind().dialect.name
    stmt: Insert = _insert(dialect, table).on_conflict_do_nothing(index_elements=list(key_columns))
    return stmt
