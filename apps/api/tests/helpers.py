"""Reading rollups back in tests (plain SQL, independent of the analytics service)."""

import uuid
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import WismoDailyDimensionMetrics, WismoDailyHistogram, WismoDailyMetrics


async def daily(session: AsyncSession, store_id: uuid.UUID) -> dict[date, dict[str, Any]]:
    rows = await session.scalars(
        select(WismoDailyMetrics).where(WismoDailyMetrics.store_id == store_id)
    )
    cols = [c.name for c in WismoDailyMetrics.__table__.columns]
    return {
        r.date: {c: getattr(r, c) for c in cols if c not in ("store_id", "date", "updated_at")}
        for r in rows
    }


async def dims(
    session: AsyncSession, store_id: uuid.UUID
) -> dict[tuple[date, str, str], dict[str, Any]]:
    rows = await session.scalars(
        select(WismoDailyDimensionMetrics).where(WismoDailyDimensionMetrics.store_id == store_id)
    )
    cols = [c.name for c in WismoDailyDimensionMetrics.__table__.columns]
    skip = ("store_id", "date", "dimension", "key")
    return {
        (r.date, r.dimension, r.key): {c: getattr(r, c) for c in cols if c not in skip}
        for r in rows
    }


async def histograms(session: AsyncSession, store_id: uuid.UUID) -> dict[tuple[Any, ...], int]:
    rows = await session.scalars(
        select(WismoDailyHistogram).where(WismoDailyHistogram.store_id == store_id)
    )
    return {(r.date, r.metric, r.segment, r.bucket): r.count for r in rows if r.count}


def nonzero(counters: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in counters.items() if v not in (0, None)}
