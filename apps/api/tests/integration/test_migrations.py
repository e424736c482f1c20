"""Migrations upgrade and downgrade cleanly, and the result matches the models exactly."""

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db.base import Base
from app.db.migrations import downgrade, upgrade
from app.db.session import build_engine
from tests.conftest import BACKEND, PG_URL
from tests.databases import ensure_database


@pytest.fixture
def scratch_url(tmp_path: Any) -> str:
    if BACKEND != "postgres":
        return f"sqlite+aiosqlite:///{tmp_path / 'migrate.db'}"
    url = PG_URL.rpartition("/")[0] + f"/wismo_migrate_{uuid.uuid4().hex[:8]}"
    ensure_database(url)
    return url


def rows_after_upgrade(
    url: str,
    revision: str,
    fill: Callable[[AsyncConnection], Awaitable[None]],
    queries: Sequence[str],
) -> list[list[Any]]:
    """Upgrade a scratch database to `revision`, `fill` it, upgrade it to the head and return
    the rows of each query."""
    upgrade(url, revision)

    async def fill_and_read() -> list[list[Any]]:
        engine = build_engine(url)
        async with engine.begin() as conn:
            await fill(conn)
        await engine.dispose()
        await asyncio.to_thread(upgrade, url)
        engine = build_engine(url)
        async with engine.connect() as conn:
            found = [list((await conn.execute(text(query))).all()) for query in queries]
        await engine.dispose()
        return found

    return asyncio.run(fill_and_read())


async def _diff_and_tables(url: str) -> tuple[list[Any], set[str]]:
    engine = build_engine(url)
    async with engine.connect() as conn:

        def inspect_sync(sync_conn: Any) -> tuple[list[Any], set[str]]:
            ctx = MigrationContext.configure(sync_conn, opts={"compare_type": True})
            diff = compare_metadata(ctx, Base.metadata)
            return diff, set(inspect(sync_conn).get_table_names())

        result = await conn.run_sync(inspect_sync)
    await engine.dispose()
    return result


def test_upgrade_downgrade_upgrade(scratch_url: str) -> None:
    upgrade(scratch_url)
    diff, tables = asyncio.run(_diff_and_tables(scratch_url))
    assert diff == []
    assert set(Base.metadata.tables) <= tables
    downgrade(scratch_url)
    _, tables = asyncio.run(_diff_and_tables(scratch_url))
    assert tables <= {"alembic_version"}
    upgrade(scratch_url)
    diff, _ = asyncio.run(_diff_and_tables(scratch_url))
    assert diff == []


def test_every_fact_key_leads_with_store_id() -> None:
    # installation is the install's one sign-up row; outbox_emails also holds store-less mail
    # (password resets), so its store_id is nullable and cannot lead a primary key.
    dimension_tables = {
        "stores",
        "users",
        "store_members",
        "api_keys",
        "user_sessions",
        "installation",
        "outbox_emails",
    }
    for table in Base.metadata.sorted_tables:
        if table.name in dimension_tables:
            continue
        assert table.primary_key.columns.keys()[0] == "store_id", table.name
        for index in table.indexes:
            assert index.columns.keys()[0] == "store_id", (table.name, index.name)
        for constraint in table.constraints:
            cols = getattr(constraint, "columns", None)
            if cols is not None and constraint.__class__.__name__ == "UniqueConstraint":
                assert cols.keys()[0] == "store_id", (table.name, constraint.name)
