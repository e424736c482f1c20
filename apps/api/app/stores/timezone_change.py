"""Changing a store's time zone.

The store takes the new zone at once (facts ingested from then on get new-zone local columns)
and a job re-derives the local columns of the facts already stored from their UTC times, in
committed chunks, then rebuilds the rollups in one transaction that also marks the job done.

Chunks rather than one transaction per store: progress is committed and visible while the job
runs (SQLite allows one writer, so a side connection could not report progress from inside a
long transaction), and a worker that dies keeps the chunks it finished. Re-deriving a row is
idempotent, so a job taken over after its lease ran out simply starts the conversion again.
Until the final rebuild commits, the rollups still file the old days; they switch in one step.
"""

import uuid
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import ConflictError, NotFoundError, ValidationError
from app.core.timeutils import is_valid_timezone, local_date, local_parts, utcnow
from app.db.scoping import for_store
from app.ingestion import rollups
from app.models import Order, OrderInquiry, Shipment, Store
from app.stores.models import DONE, FAILED, PENDING, RUNNING, UNFINISHED, TimezoneChange

CHUNK = 2_000
LEASE = timedelta(minutes=5)
MAX_ERROR = 1_000

SessionFactory = Callable[[], AbstractAsyncContextManager[AsyncSession]]


async def unfinished_change(session: AsyncSession, store_id: uuid.UUID) -> TimezoneChange | None:
    return await session.scalar(
        for_store(TimezoneChange, store_id).where(TimezoneChange.status.in_(UNFINISHED))
    )


async def latest_change(session: AsyncSession, store_id: uuid.UUID) -> TimezoneChange | None:
    return await session.scalar(
        for_store(TimezoneChange, store_id)
        .order_by(TimezoneChange.created_at.desc(), TimezoneChange.id.desc())
        .limit(1)
    )


async def start_change(session: AsyncSession, store: Store, timezone: str) -> TimezoneChange | None:
    """Switch the store to `timezone` and queue the re-derivation; None when it is unchanged
    (the same zone again after a failed change retries it)."""
    if not is_valid_timezone(timezone):
        raise ValidationError(f"unknown time zone {timezone!r} (use an IANA name)")
    if timezone == store.timezone:
        latest = await latest_change(session, store.id)
        if latest is None or latest.status != FAILED:
            return None
    if await unfinished_change(session, store.id) is not None:
        raise ConflictError("a time-zone change is still running for this store; try again later")
    job = TimezoneChange(
        store_id=store.id,
        from_timezone=store.timezone,
        to_timezone=timezone,
        status=PENDING,
        done=0,
        total=0,
    )
    try:
        async with session.begin_nested():
            session.add(job)
            await session.flush()
    except IntegrityError as exc:
        raise ConflictError(
            "a time-zone change is still running for this store; try again later"
        ) from exc
    store.timezone = timezone
    await session.flush()
    return job


async def _claim(session: AsyncSession, job_id: uuid.UUID) -> TimezoneChange | None:
    now = utcnow()
    claimed = await session.execute(
        update(TimezoneChange)
        .where(
            TimezoneChange.id == job_id,
            TimezoneChange.status.in_(UNFINISHED),
            or_(TimezoneChange.lease_until.is_(None), TimezoneChange.lease_until < now),
        )
        .values(status=RUNNING, lease_until=now + LEASE, done=0)
        .execution_options(synchronize_session=False)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        return None
    return await _job(session, job_id)


async def _job(session: AsyncSession, job_id: uuid.UUID) -> TimezoneChange | None:
    return await session.scalar(
        select(TimezoneChange)
        .where(TimezoneChange.id == job_id)
        .execution_options(populate_existing=True)
    )


@dataclass(frozen=True)
class _Table:
    model: Any
    derive: Callable[[Any, str], dict[str, Any]]
    times: tuple[str, ...]


def _order_columns(row: Any, tz: str) -> dict[str, Any]:
    return {"local_date": local_date(row.created_at, tz)}


def _shipment_columns(row: Any, tz: str) -> dict[str, Any]:
    return {
        "shipped_local_date": local_date(row.shipped_at, tz),
        "delivered_local_date": local_date(row.delivered_at, tz) if row.delivered_at else None,
    }


def _inquiry_columns(row: Any, tz: str) -> dict[str, Any]:
    day, hour, weekday = local_parts(row.created_at, tz)
    return {"local_date": day, "local_hour": hour, "local_weekday": weekday}


TABLES = (
    _Table(Order, _order_columns, ("created_at",)),
    _Table(Shipment, _shipment_columns, ("shipped_at", "delivered_at")),
    _Table(OrderInquiry, _inquiry_columns, ("created_at",)),
)


async def _count_facts(session: AsyncSession, store_id: uuid.UUID) -> int:
    total = 0
    for table in TABLES:
        total += (
            await session.scalar(
                select(func.count())
                .select_from(table.model)
                .where(table.model.store_id == store_id)
            )
            or 0
        )
    return total


async def _convert_chunk(
    session: AsyncSession,
    table: _Table,
    store_id: uuid.UUID,
    tz: str,
    after: uuid.UUID | None,
) -> tuple[int, uuid.UUID | None]:
    model = table.model
    query = (
        select(model.id, *(getattr(model, name) for name in table.times))
        .where(model.store_id == store_id)
        .order_by(model.id)
    )
    if after is not None:
        query = query.where(model.id > after)
    rows = (await session.execute(query.limit(CHUNK))).all()
    if not rows:
        return 0, None
    await session.execute(
        update(model),
        [{"store_id": store_id, "id": row.id, **table.derive(row, tz)} for row in rows],
    )
    return len(rows), rows[-1].id


async def run_change(sessions: SessionFactory, job_id: uuid.UUID) -> str:
    """Run (or take over) a change; returns its status, or "busy" when another worker holds it."""
    async with sessions() as session:
        job = await _claim(session, job_id)
        if job is None:
            current = await _job(session, job_id)
            if current is None:
                return "missing"
            return "busy" if current.status in UNFINISHED else current.status
        store_id, tz = job.store_id, job.to_timezone
        job.total = await _count_facts(session, store_id)
        await session.commit()
    try:
        for table in TABLES:
            after: uuid.UUID | None = None
            while True:
                async with sessions() as session:
                    converted, after = await _convert_chunk(session, table, store_id, tz, after)
                    if converted:
                        await session.execute(
                            update(TimezoneChange)
                            .where(TimezoneChange.id == job_id)
                            .values(
                                done=TimezoneChange.done + converted,
                                lease_until=utcnow() + LEASE,
                            )
                            .execution_options(synchronize_session=False)
                        )
                    await session.commit()
                if after is None:
                    break
        async with sessions() as session:
            await rollups.rebuild_store(session, store_id)
            await session.execute(
                update(TimezoneChange)
                .where(TimezoneChange.id == job_id)
                .values(status=DONE, lease_until=None, finished_at=utcnow(), error=None)
                .execution_options(synchronize_session=False)
            )
            await session.commit()
    except Exception as exc:
        async with sessions() as session:
            await session.execute(
                update(TimezoneChange)
                .where(TimezoneChange.id == job_id)
                .values(
                    status=FAILED,
                    lease_until=None,
                    finished_at=utcnow(),
                    error=f"{type(exc).__name__}: {exc}"[:MAX_ERROR],
                )
                .execution_options(synchronize_session=False)
            )
            await session.commit()
        raise
    return DONE


async def unfinished_job_ids(session: AsyncSession) -> list[uuid.UUID]:
    """Unfinished changes nobody holds (never started, or their worker's lease ran out)."""
    now = utcnow()
    return list(
        await session.scalars(
            select(TimezoneChange.id).where(
                TimezoneChange.status.in_(UNFINISHED),
                or_(TimezoneChange.lease_until.is_(None), TimezoneChange.lease_until < now),
            )
        )
    )


async def get_progress(session: AsyncSession, store_id: uuid.UUID) -> TimezoneChange:
    job = await latest_change(session, store_id)
    if job is None:
        raise NotFoundError("this store's time zone has never been changed")
    return job
