"""The only reader of the rollup tables (daily, per-dimension and histogram rollups).

Sums over a range read the range's whole calendar months from the monthly tables and only
the days of its partial months from the daily ones, in one statement.

Every function takes the session and the store, and reads one store's rows: summaries,
exports, the PDF, at-risk and insights all read their figures here, then compute them through
the metric registry (`app.analytics.metrics`). Counters come back as `Counter`s of the rollup
column names (`total_orders` and `app.ingestion.rollups.COUNTER_COLUMNS`), summed exactly.

A filter is (dimension, values): the values of one of channel, carrier or inquiry_type, whose
facts are disjoint, so their counters add up.
"""

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from app.ingestion.rollups import (
    ALL,
    COUNTER_COLUMNS,
    PICKUP,
    PROCESSING,
    TRANSIT,
    pair_dimension,
    pair_key,
    segment,
)
from app.models import (
    WismoDailyDimensionMetrics,
    WismoDailyHistogram,
    WismoDailyMetrics,
    WismoMonthlyDimensionMetrics,
    WismoMonthlyHistogram,
)

Filter = tuple[str, tuple[str, ...]]
GroupBy = str  # day | week | month

SHIPMENT_COUNTERS = frozenset(
    {
        "shipments_shipped",
        "time_to_ship_count",
        "time_to_ship_seconds_sum",
        "pickup_count",
        "pickup_seconds_sum",
        "shipments_with_exception",
        "shipments_delivered",
        "delivered_with_estimate",
        "delivered_on_time",
        "transit_seconds_sum",
        "carrier_transit_count",
        "carrier_transit_seconds_sum",
    }
)
INQUIRY_COUNTERS = frozenset(COUNTER_COLUMNS) - SHIPMENT_COUNTERS
STAGES = (PROCESSING, PICKUP, TRANSIT)


# ---------------------------------------------------------------- daily counters


async def daily(
    session: AsyncSession, store_id: uuid.UUID, start: date, end: date
) -> dict[date, Counter[str]]:
    """Per-day counters of the store, unfiltered (days without a row are absent)."""
    t = WismoDailyMetrics
    names = ["total_orders", *COUNTER_COLUMNS]
    rows = await session.execute(
        select(t.date, *(getattr(t, c) for c in names)).where(
            t.store_id == store_id, t.date.between(start, end)
        )
    )
    return {r[0]: Counter(dict(zip(names, r[1:], strict=True))) for r in rows.all()}


async def dimension_by_date(
    session: AsyncSession,
    store_id: uuid.UUID,
    start: date,
    end: date,
    dimension: str,
    keys: Sequence[str],
) -> dict[date, Counter[str]]:
    """Per-day counters of the rows of `dimension` whose key is one of `keys`, summed."""
    t = WismoDailyDimensionMetrics
    rows = await session.execute(
        select(t.date, *(func.sum(getattr(t, c)) for c in COUNTER_COLUMNS))
        .where(
            t.store_id == store_id,
            t.dimension == dimension,
            t.key.in_(keys),
            t.date.between(start, end),
        )
        .group_by(t.date)
    )
    return {
        r[0]: Counter({c: int(v or 0) for c, v in zip(COUNTER_COLUMNS, r[1:], strict=True)})
        for r in rows.all()
    }


async def by_date(
    session: AsyncSession, store_id: uuid.UUID, start: date, end: date, filt: Filter | None
) -> dict[date, Counter[str]]:
    """Per-day counters: orders always unfiltered; inquiry counters under the filter;
    shipment counters under the filter only when it is a carrier."""
    days = await daily(session, store_id, start, end)
    if filt is None:
        return days
    filtered = await dimension_by_date(session, store_id, start, end, filt[0], filt[1])
    merged: dict[date, Counter[str]] = {}
    for day in set(days) | set(filtered):
        base, f = days.get(day, Counter()), filtered.get(day, Counter())
        row: Counter[str] = Counter(total_orders=base["total_orders"])
        for c in INQUIRY_COUNTERS:
            row[c] = f[c]
        for c in SHIPMENT_COUNTERS:
            row[c] = f[c] if filt[0] == "carrier" else base[c]
        merged[day] = row
    return merged


def total(days: Mapping[date, Counter[str]], start: date, end: date) -> Counter[str]:
    """The counters of the days in [start, end], summed."""
    out: Counter[str] = Counter()
    for day, counters in days.items():
        if start <= day <= end:
            out.update(counters)
    return out


# ---------------------------------------------------------------- buckets


def bucket_start(day: date, group_by: GroupBy, range_start: date) -> date:
    """Buckets are local days, ISO weeks (Monday) or calendar months, labelled by their
    first date in the range."""
    if group_by == "week":
        first = day - timedelta(days=day.weekday())
    elif group_by == "month":
        first = day.replace(day=1)
    else:
        first = day
    return max(first, range_start)


def bucket_starts(start: date, end: date, group_by: GroupBy) -> list[date]:
    labels: list[date] = []
    for i in range((end - start).days + 1):
        label = bucket_start(start + timedelta(days=i), group_by, start)
        if not labels or labels[-1] != label:
            labels.append(label)
    return labels


def bucketed(
    days: Mapping[date, Counter[str]], start: date, end: date, group_by: GroupBy
) -> dict[date, Counter[str]]:
    """Per-day counters summed into the buckets of [start, end]: every bucket present
    (zero-filled), in order; days outside the range are left out."""
    buckets: dict[date, Counter[str]] = {
        label: Counter() for label in bucket_starts(start, end, group_by)
    }
    for day, counters in days.items():
        if start <= day <= end:
            buckets[bucket_start(day, group_by, start)].update(counters)
    return buckets


# ---------------------------------------------------------------- daily and monthly rows


def split_months(
    start: date, end: date
) -> tuple[list[tuple[date, date]], tuple[date, date] | None]:
    """[start, end] as (the spans of days outside whole months, (first, last) month starts of
    the whole calendar months inside it, or None)."""
    first = start if start.day == 1 else _next_month(start)
    stop = (end + timedelta(days=1)).replace(
        day=1
    )  # first day of the month after the last whole one
    if first >= stop:
        return [(start, end)], None
    spans = []
    if start < first:
        spans.append((start, first - timedelta(days=1)))
    if stop <= end:
        spans.append((stop, end))
    last = (stop - timedelta(days=1)).replace(day=1)
    return spans, (first, last)


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _summed(
    daily: Any,
    monthly: Any,
    start: date,
    end: date,
    group: Sequence[str],
    columns: Sequence[str],
    where: Any,
) -> Select[Any]:
    """SELECT group..., sum(columns...) over [start, end]: the daily rows of the partial months
    and the monthly rows of the whole ones (`where(table)` gives the other criteria)."""
    spans, months = split_months(start, end)
    parts = []
    if spans:
        parts.append(
            select(*(getattr(daily, c) for c in (*group, *columns))).where(
                *where(daily), or_(*(daily.date.between(a, b) for a, b in spans))
            )
        )
    if months is not None:
        parts.append(
            select(*(getattr(monthly, c) for c in (*group, *columns))).where(
                *where(monthly), monthly.month.between(*months)
            )
        )
    rows = (parts[0] if len(parts) == 1 else union_all(*parts)).subquery()
    return select(*(rows.c[g] for g in group), *(func.sum(rows.c[c]) for c in columns)).group_by(
        *(rows.c[g] for g in group)
    )


# ---------------------------------------------------------------- breakdowns


async def breakdown(
    session: AsyncSession,
    store_id: uuid.UUID,
    start: date,
    end: date,
    dimension: str,
    filt: Filter | None = None,
    columns: Sequence[str] = ("total_inquiries",),
) -> dict[str, Counter[str]]:
    """Counters summed over [start, end] for each key of a dimension (under a filter)."""
    prefixes: list[str] = []
    if filt is not None and filt[0] != dimension:
        prefixes = [pair_key(value, "") for value in filt[1]]

    def where(t: Any) -> list[Any]:
        criteria: list[Any] = [t.store_id == store_id]
        if prefixes:
            criteria += [
                t.dimension == pair_dimension(filt[0], dimension),  # type: ignore[index]
                or_(*(t.key.startswith(p, autoescape=True) for p in prefixes)),
            ]
        else:
            criteria.append(t.dimension == dimension)
            if filt is not None:  # filtering a dimension by itself keeps its keys
                criteria.append(t.key.in_(filt[1]))
        return criteria

    rows = await session.execute(
        _summed(
            WismoDailyDimensionMetrics,
            WismoMonthlyDimensionMetrics,
            start,
            end,
            ("key",),
            columns,
            where,
        )
    )
    out: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for r in rows.all():
        key = r[0]
        prefix = next((p for p in prefixes if key.startswith(p)), "")
        out[key[len(prefix) :]].update(
            {c: int(v or 0) for c, v in zip(columns, r[1:], strict=True)}
        )
    return dict(out)


async def breakdown_key(
    session: AsyncSession,
    store_id: uuid.UUID,
    start: date,
    end: date,
    dimension: str,
    key: str,
    columns: Sequence[str],
) -> Counter[str]:
    """Counters of one key of a dimension (e.g. one carrier) summed over [start, end]."""
    days = await dimension_by_date(session, store_id, start, end, dimension, [key])
    out: Counter[str] = Counter()
    for c in days.values():
        out.update({k: c[k] for k in columns})
    return out


# ---------------------------------------------------------------- histograms


def segments_of(filt: Filter | None) -> tuple[list[str], list[str]]:
    """(histogram segments for inquiry durations, segments for shipment durations)."""
    if filt is None:
        return [ALL], [ALL]
    segs = [segment(filt[0], value) for value in filt[1]]
    return segs, segs if filt[0] == "carrier" else [ALL]


async def histogram(
    session: AsyncSession,
    store_id: uuid.UUID,
    start: date,
    end: date,
    metric: str,
    segments: Sequence[str] = (ALL,),
) -> dict[int, int]:
    """A duration histogram summed over [start, end] and over `segments`."""
    rows = await session.execute(
        _summed(
            WismoDailyHistogram,
            WismoMonthlyHistogram,
            start,
            end,
            ("bucket",),
            ("count",),
            lambda t: [
                t.store_id == store_id,
                t.metric == metric,
                t.segment.in_(list(segments)),
            ],
        )
    )
    return {int(b): int(n) for b, n in rows.all() if n}


async def carrier_histograms(
    session: AsyncSession, store_id: uuid.UUID, start: date, end: date, carriers: Iterable[str]
) -> dict[tuple[str, str], dict[int, int]]:
    """The stage histograms of each named carrier, keyed (carrier, stage). The segments are
    named exactly (not `LIKE 'carrier=%'`, which no index serves under a non-C collation)."""
    segments = {segment("carrier", c): c for c in carriers}
    if not segments:
        return {}
    rows = await session.execute(
        _summed(
            WismoDailyHistogram,
            WismoMonthlyHistogram,
            start,
            end,
            ("segment", "metric", "bucket"),
            ("count",),
            lambda t: [
                t.store_id == store_id,
                t.segment.in_(list(segments)),
                t.metric.in_(STAGES),
            ],
        )
    )
    out: defaultdict[tuple[str, str], dict[int, int]] = defaultdict(dict)
    for seg, m, b, n in rows.all():
        if n:
            out[(segments[seg], m)][int(b)] = int(n)
    return out


__all__ = [
    "INQUIRY_COUNTERS",
    "SHIPMENT_COUNTERS",
    "Filter",
    "breakdown",
    "breakdown_key",
    "bucket_start",
    "bucket_starts",
    "bucketed",
    "by_date",
    "carrier_histograms",
    "daily",
    "dimension_by_date",
    "histogram",
    "segments_of",
    "split_months",
    "total",
]
