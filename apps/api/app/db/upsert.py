"""Dialect-aware multi-row INSERT and INSERT ... ON CONFLICT for PostgreSQL and SQLite.

Many rows are written with one statement: on PostgreSQL the rows are bound as one array per
column and read back with `unnest` (`INSERT ... SELECT * FROM unnest($1::uuid[], ...)`), one
round trip and one execution whatever the number of rows; on SQLite the statement is
executed for every row (`executemany`, a loop in the driver)."""

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import (
    ColumnDefault,
    ColumnElement,
    FromClause,
    Table,
    bindparam,
    func,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Insert

# Columns computed from the row's counters: given a function naming a counter's value (the
# inserted one, or the stored one plus the increment), their expressions.
Derived = Callable[[Callable[[str], ColumnElement[Any]]], dict[str, ColumnElement[Any]]]

BIND_PREFIX = "v_"
ROWS_PER_STATEMENT = 10_000  # PostgreSQL: rows per array statement (bounds one message)

_statements: dict[tuple[Any, ...], Any] = {}


def _insert(dialect: str, table: FromClause) -> Any:
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)  # type: ignore[arg-type]


def _source(dialect: str, table: Table, columns: Sequence[str]) -> Callable[[str], Any]:
    """The value of each given column in the statement: a `v_<column>` parameter, or on
    PostgreSQL the column of `unnest(:v_<column> arrays) AS u(<columns>)`."""
    if dialect != "postgresql":
        params = {c: bindparam(BIND_PREFIX + c, type_=table.c[c].type) for c in columns}
        return params.__getitem__
    arrays = [bindparam(BIND_PREFIX + c, type_=postgresql.ARRAY(table.c[c].type)) for c in columns]
    rows = func.unnest(*arrays).table_valued(*columns).render_derived(name="u")
    return lambda c: rows.c[c]


def _values(dialect: str, insert: Any, given: dict[str, Any]) -> Any:
    """`insert` of the given column expressions: `VALUES (...)`, or `SELECT ... FROM unnest`."""
    if dialect != "postgresql":
        return insert.values(given)
    return insert.from_select(list(given), select(*given.values()))


async def _execute(
    session: AsyncSession, dialect: str, stmt: Any, columns: Sequence[str], rows: Sequence[Any]
) -> None:
    if dialect != "postgresql":
        await session.execute(stmt, [{BIND_PREFIX + c: row[c] for c in columns} for row in rows])
        return
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        chunk = rows[start : start + ROWS_PER_STATEMENT]
        await session.execute(stmt, {BIND_PREFIX + c: [row[c] for row in chunk] for c in columns})


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
    compiles it once and each write only binds its rows (`v_<column>`: a value per row, or on
    PostgreSQL an array of all the rows' values)."""
    cache_key = ("increment", dialect, table.name, tuple(key_columns), tuple(counter_columns),
                 derived, touched_column)  # fmt: skip
    cached: Insert | None = _statements.get(cache_key)
    if cached is not None:
        return cached
    given = (*key_columns, *counter_columns)
    value = _source(dialect, table, given)
    insert = _insert(dialect, table)
    summed = {c: table.c[c] + insert.excluded[c] for c in counter_columns}
    values: dict[str, Any] = {c: value(c) for c in given}
    update: dict[str, Any] = dict(summed)
    if derived is not None:
        values.update(derived(value))
        update.update(derived(lambda c: summed[c]))
    if touched_column is not None:
        update[touched_column] = insert.excluded[touched_column]
    stmt: Insert = _values(dialect, insert, values).on_conflict_do_update(
        index_elements=list(key_columns), set_=update
    )
    _statements[cache_key] = stmt
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
    """Insert rows, or add their counters to the existing rows with the same key (keys and
    counters missing from a row are errors; no key may appear twice). The rows are written
    in the order given."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    counters = tuple(counter_columns)
    stmt = increment_statement(dialect, table, key_columns, counters, derived, touched_column)
    await _execute(session, dialect, stmt, (*key_columns, *counters), rows)


def insert_ignore(session: AsyncSession, table: FromClause, key_columns: Sequence[str]) -> Insert:
    """INSERT that silently skips rows whose key already exists (idempotent writes)."""
    dialect = session.get_bind().dialect.name
    stmt: Insert = _insert(dialect, table).on_conflict_do_nothing(index_elements=list(key_columns))
    return stmt


def _python_default(column: Any) -> Callable[[], Any] | None:
    """A column's Python-side default (evaluated per row), or None."""
    default = column.default
    if not isinstance(default, ColumnDefault) or default.is_clause_element:
        return None
    arg = default.arg
    if callable(arg):  # SQLAlchemy wraps a default function to take the execution context
        return lambda: arg(None)
    return lambda: arg


async def insert_rows(
    session: AsyncSession,
    table: Table,
    rows: Sequence[dict[str, Any]],
    ignore_conflicts_on: Sequence[str] | None = None,
) -> None:
    """Insert many new rows, given as dicts of column values, in as few statements as the
    dialect allows (as an ORM flush would: a column a row leaves out takes its Python-side
    default, evaluated per row, or NULL); with `ignore_conflicts_on`, rows whose key already
    exists are skipped."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    present: set[str] = set().union(*rows)
    defaults = {c.key: _python_default(c) for c in table.columns}
    columns = tuple(c for c, d in defaults.items() if c in present or d is not None)
    filled = [
        {c: row[c] if c in row else (d() if (d := defaults[c]) else None) for c in columns}
        for row in rows
    ]
    cache_key = ("insert", dialect, table.name, columns, tuple(ignore_conflicts_on or ()))
    stmt = _statements.get(cache_key)
    if stmt is None:
        value = _source(dialect, table, columns)
        stmt = _values(dialect, _insert(dialect, table), {c: value(c) for c in columns})
        if ignore_conflicts_on:
            stmt = stmt.on_conflict_do_nothing(index_elements=list(ignore_conflicts_on))
        _statements[cache_key] = stmt
    await _execute(session, dialect, stmt, columns, filled)


async def update_rows(
    session: AsyncSession, table: Table, key_columns: Sequence[str], rows: Sequence[dict[str, Any]]
) -> None:
    """Set columns of existing rows found by their key: each row a dict of the key columns
    and the new values, all with the same columns (on PostgreSQL `UPDATE ... FROM unnest`)."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    columns = tuple(rows[0])
    cache_key = ("update", dialect, table.name, tuple(key_columns), columns)
    stmt = _statements.get(cache_key)
    if stmt is None:
        value = _source(dialect, table, columns)
        stmt = (
            update(table)
            .where(*(table.c[k] == value(k) for k in key_columns))
            .values({c: value(c) for c in columns if c not in key_columns})
        )
        _statements[cache_key] = stmt
    await _execute(session, dialect, stmt, columns, rows)
