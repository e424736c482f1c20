"""The async engine and session factory, one per process, built from settings."""

import asyncio
import contextlib
from collections.abc import AsyncIterator

from sqlalchemy import Connection, event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

from app.core.config import Settings, get_settings


def _sqlite_pragmas(dbapi_conn: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


WRITE_OPTION = "wismo_writes"


def _sqlite_begin(conn: Connection) -> None:
    # pysqlite's own transaction handling skips BEGIN before SELECTs and breaks SAVEPOINTs;
    # SQLAlchemy's documented recipe: autocommit at the driver, explicit BEGIN here. A
    # transaction that will write takes the write lock at BEGIN (IMMEDIATE), so it waits
    # for another writer (busy_timeout) instead of failing when it upgrades from reading.
    immediate = conn.get_execution_options().get(WRITE_OPTION)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def build_engine(url: str) -> AsyncEngine:
    if url.startswith("sqlite"):
        engine = create_async_engine(url, connect_args={"timeout": 30})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        return engine
    # JIT compilation costs PostgreSQL 100+ ms per query whose *estimate* is large, far more
    # than the dashboard's short index-range reads take: it is turned off for this app.
    # No parallel workers either: starting them cost 5-10 ms, where the reads they were
    # planned for (a few thousand rollup rows, at a million orders) take 1-3 ms without them;
    # and on a server answering many requests at once, the cores are better spent on those.
    # No pre-ping: with asyncpg it is three round trips (BEGIN, ";", ROLLBACK) on every
    # checkout. A connection found dead instead invalidates the whole pool (all of its
    # connections reconnect), and a read that met it is retried once (api/retry.py).
    return create_async_engine(
        url,
        pool_size=10,
        max_overflow=20,
        connect_args={"server_settings": {"jit": "off", "max_parallel_workers_per_gather": "0"}},
    )


class Database:
    def __init__(self, settings: Settings) -> None:
        self.engine = build_engine(settings.database_url)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)
        self.is_sqlite = settings.is_sqlite
        # SQLite has one writer at a time: queue this process's writers instead of letting
        # them collide (PostgreSQL needs no such thing).
        self._sqlite_writer = asyncio.Lock() if self.is_sqlite else None

    @contextlib.asynccontextmanager
    async def writer(self) -> AsyncIterator[AsyncSession]:
        """A session for a unit of work that writes."""
        if self._sqlite_writer is None:
            async with self.sessionmaker() as session:
                yield session
            return
        options = {WRITE_OPTION: True}
        async with self._sqlite_writer, self.sessionmaker(execution_options=options) as session:
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()


_db: Database | None = None


def get_database() -> Database:
    global _db
    if _db is None:
        _db = Database(get_settings())
    return _db


def set_database(db: Database | None) -> None:
    global _db
    _db = db
