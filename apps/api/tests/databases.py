"""PostgreSQL databases by name, for the test harness, test servers and the benchmarks.

Each takes a SQLAlchemy URL (`postgresql+asyncpg://user@host:port/name`) and works on the
server's `postgres` database. Plain `asyncio.run` functions: call them where no event loop
runs (or through `tests.servers.on_own_thread`).
"""

import asyncio

import asyncpg

# Databases this test session created for its own servers and migrations; only these are
# dropped when it ends (other sessions on the same server may be using theirs).
CREATED: list[str] = []


def _split(url: str) -> tuple[str, str]:
    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    base, _, name = dsn.rpartition("/")
    return f"{base}/postgres", name


def ensure_database(url: str, *, reload: bool = False) -> bool:
    """Create the database unless it exists (drop it first with `reload`); True when it was
    created now, i.e. it is empty."""
    admin, name = _split(url)

    async def work() -> bool:
        conn = await asyncpg.connect(admin, timeout=5)
        try:
            exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
            if exists and reload:
                await conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
                exists = False
            if not exists:
                await conn.execute(f'CREATE DATABASE "{name}"')
            return not exists
        finally:
            await conn.close()

    created = asyncio.run(work())
    if created:
        CREATED.append(url)
    return created


def drop_created() -> None:
    """Drop the databases this session created (see CREATED)."""
    while CREATED:
        drop_database(CREATED.pop())


def drop_database(url: str) -> None:
    admin, name = _split(url)

    async def work() -> None:
        conn = await asyncpg.connect(admin, timeout=5)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()

    asyncio.run(work())
