"""The settings every PostgreSQL connection of the app runs with (app/db/session.py)."""

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine


async def test_postgres_connections_run_without_jit_or_parallel_workers(
    engine: AsyncEngine,
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's planner settings; SQLite has none")
    async with engine.connect() as conn:
        statement = text(
            "SELECT current_setting('jit'), current_setting('max_parallel_workers_per_gather')"
        )
        assert tuple((await conn.execute(statement)).one()) == ("off", "0")
