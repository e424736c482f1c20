"""The only writer of the rollup tables.

Each fact row (order, shipment, inquiry) has a *contribution*: the counters it adds to the
daily, per-dimension and histogram rollups, computed from the row alone. A write takes the
contribution before and after the change and applies the difference with atomic
`INSERT ... ON CONFLICT DO UPDATE SET c = c + excluded.c`, so the rollups stay exact under
updates, out-of-order events, retries and concurrent writers, and never need a rebuild.
"""

import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, case, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.analytics.histograms import bucket_of
from app.db.upsert import upsert_increment
from app.models import (
    Order,
    OrderInquiry,
    Shipment,
    WismoDailyDimensionMetrics,
    WismoDailyHistogram,
    WismoDailyMetrics,
    WismoMonthlyDimensionMetrics,
    WismoMonthlyHistogram,
    WismoYearlyHistogram,
)
from app.models.analytics import RollupCounters

COUNTER_COLUMNS: tuple[str, ...] = tuple(
    name for name in RollupCounters.__annotations__ if not name.startswith("_")
)
DAILY_COLUMNS: tuple[str, ...] = ("total_orders", *COUNTER_COLUMNS)
DAILY_TABLE: Table = WismoDailyMetrics.__table__  # type: ignore[assignment]
DIMENSION_TABLE: Table = WismoDailyDimensionMetrics.__table__  # type: ignore[assignment]
HISTOGRAM_TABLE: Table = WismoDailyHistogram.__table__  # type: ignore[assignment]
MONTHLY_DIMENSION_TABLE: Table = WismoMonthlyDimensionMetrics.__table__  # type: ignore[assignment]
MONTHLY_HISTOGRAM_TABLE: Table = WismoMonthlyHistogram.__table__  # type: ignore[assignment]
YEARLY_HISTOGRAM_TABLE: Table = WismoYearlyHistogram.__table__  # type: ignore[assignment]

# Histogram metrics and the counters whose mean they accompany.
PROCESSING = "processing"  # order created -> first shipment shipped
PICKUP = "pickup"  # shipped -> first carrier scan
TRANSIT = "transit"  # first carrier scan -> delivered
DELIVERY = "delivery"  # shipped -> delivered (DESIGN 5 avg_transit_time)
RESOLUTION = "resolution"
FIRST_RESPONSE = "first_response"
RESOLUTION_BUSINESS = "resolution_business"  # the same two in the store's opening hours
FIRST_RESPONSE_BUSINESS = "first_response_business"
ALL = ""  # the histogram segment of the unfiltered view

# Summaries may be filtered by one of these; each gets pair dimensions "filter+dimension".
FILTER_DIMENSIONS = ("channel", "carrier", "inquiry_type")
INQUIRY_BREAKDOWNS = ("inquiry_type", "order_status", "channel", "carrier", "hour_of_week")
# Resolution-time bands for the rating/resolution view: upper bounds in seconds.
RESOLUTION_BANDS: tuple[tuple[str, int | None], ...] = (
    ("< 1 h", 3600),
    ("1-4 h", 4 * 3600),
    ("4-24 h", 24 * 3600),
    ("1-3 d", 3 * 86400),
    ("> 3 d", None),
)

# (table, rows, key columns, counter columns)
_Upsert = tuple[Table, list[dict[str, Any]], tuple[str, ...], tuple[str, ...]]
HISTOGRAM_KEY = ("metric", "segment", "bucket")  # after store_id and the day or month
TOUCHED_DATES_KEY = "wismo_rollup_dates"
DEFERRED_KEY = "wismo_rollup_deferred"


def seconds_between(start: datetime, end: datetime) -> int:
    """Whole seconds, never negative: a clock skew between systems is not a negative duration."""
    return max(0, round((end - start).total_seconds()))


@dataclass
class Contribution:
    daily: defaultdict[date, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    dims: defaultdict[tuple[date, str, str], Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    hist: Counter[tuple[date, str, str, int]] = field(default_factory=Counter)

    def add(self, day: date, dims: list[tuple[str, str]], **counters: int) -> None:
        _add(self.daily[day], counters)
        for dimension, key in dims:
            _add(self.dims[(day, dimension, key)], counters)

    def add_dim(self, day: date, dimension: str, key: str, **counters: int) -> None:
        _add(self.dims[(day, dimension, key)], counters)

    def add_duration(
        self, day: date, metric: str, seconds: int, segments: list[tuple[str, str]]
    ) -> None:
        bucket = bucket_of(seconds)
        hist = self.hist
        for hkey in (
            (day, metric, ALL, bucket),
            *((day, metric, segment(dimension, key), bucket) for dimension, key in segments),
        ):
            hist[hkey] = hist.get(hkey, 0) + 1

    def merge(self, other: "Contribution", sign: int = 1) -> "Contribution":
        for day, counters in other.daily.items():
            _add(self.daily[day], counters, sign)
        for key, counters in other.dims.items():
            _add(self.dims[key], counters, sign)
        hist = self.hist
        for hkey, value in other.hist.items():
            hist[hkey] = hist.get(hkey, 0) + sign * value
        return self

    def delta_to(self, after: "Contribution") -> "Contribution":
        """after - self."""
        return Contribution().merge(after).merge(self, sign=-1)


def _add(target: Counter[str], counters: dict[str, int], sign: int = 1) -> None:
    # A plain loop: Counter.update checks its argument's type and looks each key up twice.
    get = target.get
    for name, value in counters.items():
        target[name] = get(name, 0) + sign * value


def segment(dimension: str, key: str) -> str:
    return f"{dimension}={key}"


def pair_dimension(filter_dimension: str, dimension: str) -> str:
    return f"{filter_dimension}+{dimension}"


def pair_key(filter_key: str, key: str) -> str:
    return f"{filter_key}|{key}"


def resolution_band(seconds: int) -> int:
    for index, (_, upper) in enumerate(RESOLUTION_BANDS):
        if upper is None or seconds < upper:
            return index
    raise AssertionError("unreachable: the last band is open")


def order_contribution(order: Order) -> Contribution:
    c = Contribution()
    c.daily[order.local_date]["total_orders"] += 1
    return c


def shipment_contribution(
    shipment: Shipment, order: Order, into: Contribution | None = None
) -> Contribution:
    """The shipment's counters (added to `into` when given, which is returned)."""
    c = into if into is not None else Contribution()
    carrier_dim = [("carrier", shipment.carrier)]
    segments = carrier_dim
    shipped_day = shipment.shipped_local_date
    c.add(
        shipped_day,
        carrier_dim,
        shipments_shipped=1,
        shipments_with_exception=int(shipment.had_exception),
    )
    if shipment.had_exception:
        c.add_dim(
            shipped_day,
            "exception_reason",
            shipment.exception_reason or "unknown",
            shipments_with_exception=1,
        )
    if shipment.is_first_for_order:
        processing = seconds_between(order.created_at, shipment.shipped_at)
        c.add(shipped_day, carrier_dim, time_to_ship_count=1, time_to_ship_seconds_sum=processing)
        c.add_duration(shipped_day, PROCESSING, processing, segments)
    if shipment.first_scan_at is not None:
        pickup = seconds_between(shipment.shipped_at, shipment.first_scan_at)
        c.add(shipped_day, carrier_dim, pickup_count=1, pickup_seconds_sum=pickup)
        c.add_duration(shipped_day, PICKUP, pickup, segments)
    if shipment.delivered_at is not None and shipment.delivered_local_date is not None:
        day = shipment.delivered_local_date
        total = seconds_between(shipment.shipped_at, shipment.delivered_at)
        estimate = shipment.original_estimated_delivery or order.promised_delivery_date
        c.add(
            day,
            carrier_dim,
            shipments_delivered=1,
            transit_seconds_sum=total,
            delivered_with_estimate=int(estimate is not None),
            delivered_on_time=int(estimate is not None and day <= estimate),
        )
        c.add_duration(day, DELIVERY, total, segments)
        if shipment.first_scan_at is not None:
            transit = seconds_between(shipment.first_scan_at, shipment.delivered_at)
            c.add(day, carrier_dim, carrier_transit_count=1, carrier_transit_seconds_sum=transit)
            c.add_duration(day, TRANSIT, transit, segments)
    return c


def inquiry_contribution(inquiry: OrderInquiry, into: Contribution | None = None) -> Contribution:
    """The inquiry's counters (added to `into` when given, which is returned)."""
    c = into if into is not None else Contribution()
    day = inquiry.local_date
    keys = {
        "inquiry_type": inquiry.inquiry_type,
        "order_status": inquiry.order_status or "unknown",
        "channel": inquiry.channel,
        "carrier": inquiry.carrier,
        "hour_of_week": f"{inquiry.local_weekday}:{inquiry.local_hour}",
        "exception_reason": inquiry.exception_reason,
    }
    dims = [(d, k) for d, k in keys.items() if k is not None]
    for f in FILTER_DIMENSIONS:
        fkey = keys[f]
        if fkey is None:
            continue
        dims.extend(
            (pair_dimension(f, d), pair_key(fkey, k))
            for d, k in keys.items()
            if d != f and k is not None
        )
    segments = [(f, keys[f]) for f in FILTER_DIMENSIONS if keys[f] is not None]
    counters: dict[str, int] = {
        "total_inquiries": 1,
        "repeat_inquiries": int(inquiry.is_repeat),
        "escalated_inquiries": int(inquiry.escalated),
    }
    if inquiry.resolved and inquiry.resolution_seconds is not None:
        counters.update(
            resolved_inquiries=1,
            resolution_seconds_sum=inquiry.resolution_seconds,
            first_contact_resolved=int(not inquiry.escalated and not inquiry.followed_up),
        )
        c.add_duration(day, RESOLUTION, inquiry.resolution_seconds, segments)  # type: ignore[arg-type]
    if inquiry.first_response_at is not None:
        response = seconds_between(inquiry.created_at, inquiry.first_response_at)
        counters.update(first_response_count=1, first_response_seconds_sum=response)
        c.add_duration(day, FIRST_RESPONSE, response, segments)  # type: ignore[arg-type]
    business = inquiry.resolution_business_seconds
    if inquiry.resolved and business is not None:
        counters.update(resolution_business_count=1, resolution_business_seconds_sum=business)
        c.add_duration(day, RESOLUTION_BUSINESS, business, segments)  # type: ignore[arg-type]
    business = inquiry.first_response_business_seconds
    if business is not None:
        counters.update(
            first_response_business_count=1, first_response_business_seconds_sum=business
        )
        c.add_duration(day, FIRST_RESPONSE_BUSINESS, business, segments)  # type: ignore[arg-type]
    rating = inquiry.satisfaction_rating
    if rating is not None:
        counters.update(rating_count=1, rating_sum=rating, satisfied_count=int(rating >= 4))
        rated = [("rating", str(rating))]
        if inquiry.resolution_seconds is not None:
            band = resolution_band(inquiry.resolution_seconds)
            rated.append(("resolution_rating", f"{band}:{rating}"))
        for f in FILTER_DIMENSIONS:
            if keys[f] is not None:
                rated.extend(
                    (pair_dimension(f, d), pair_key(keys[f], k))  # type: ignore[arg-type]
                    for d, k in list(rated)
                    if "+" not in d
                )
        for dimension, key in rated:
            c.add_dim(day, dimension, key, rating_count=1, rating_sum=rating)
    if inquiry.effort_score is not None:
        counters.update(effort_count=1, effort_sum=inquiry.effort_score)
    c.add(day, dims, **counters)
    return c


# A row's counters over these zeros (the upserts read the columns they write, by name).
_NO_DAILY = dict.fromkeys(DAILY_COLUMNS, 0)
_NO_COUNTERS = dict.fromkeys(COUNTER_COLUMNS, 0)


def _nonzero(counters: Counter[str]) -> bool:
    return any(counters.values())


@contextmanager
def deferred(session: AsyncSession, store_id: uuid.UUID) -> Iterator[Contribution]:
    """Within it, `apply` for this store adds to the contribution yielded instead of writing;
    the caller applies it (once for many writes: the bulk importer). Nothing may read the
    rollups in between, and a write that is rolled back must have its contribution dropped."""
    delta = Contribution()
    session.info[DEFERRED_KEY] = (store_id, delta)
    try:
        yield delta
    finally:
        session.info.pop(DEFERRED_KEY, None)


async def apply(session: AsyncSession, store_id: uuid.UUID, delta: Contribution) -> None:
    """Add a contribution (usually `before.delta_to(after)`) to the rollup tables."""
    deferral: tuple[uuid.UUID, Contribution] | None = session.info.get(DEFERRED_KEY)
    if deferral is not None and deferral[0] == store_id:
        deferral[1].merge(delta)
        return
    daily_rows = [
        {"store_id": store_id, "date": day, **_NO_DAILY, **counters}
        for day, counters in sorted(delta.daily.items())
        if _nonzero(counters)
    ]
    dim_rows = [
        {
            "store_id": store_id,
            "date": day,
            "dimension": dimension,
            "key": key,
            **_NO_COUNTERS,
            **counters,
        }
        for (day, dimension, key), counters in sorted(delta.dims.items())
        if _nonzero(counters)
    ]
    hist_rows = [
        {"store_id": store_id, "date": day, "metric": m, "segment": sg, "bucket": b, "count": n}
        for (day, m, sg, b), n in sorted(delta.hist.items())
        if n
    ]
    monthly_dims = _dims_by(delta, _month_of)
    monthly_dim_rows = [
        {
            "store_id": store_id,
            "month": month,
            "dimension": dimension,
            "key": key,
            **_NO_COUNTERS,
            **counters,
        }
        for (month, dimension, key), counters in sorted(monthly_dims.items())
        if _nonzero(counters)
    ]
    monthly_hist_rows, yearly_hist_rows = (
        [
            {"store_id": store_id, column: period, "metric": m, "segment": sg, "bucket": b,
             "count": n}
            for (period, m, sg, b), n in sorted(_hist_by(delta, first_day).items())
            if n
        ]
        for column, first_day in (("month", _month_of), ("year", _year_of))
    )  # fmt: skip
    # Sorted keys keep concurrent writers from deadlocking. The daily row, which every
    # write of the day locks, goes last: it is held only until the commit.
    additive: tuple[_Upsert, ...] = (
        (HISTOGRAM_TABLE, hist_rows, ("store_id", "date", *HISTOGRAM_KEY), ("count",)),
        (MONTHLY_HISTOGRAM_TABLE, monthly_hist_rows, ("store_id", "month", *HISTOGRAM_KEY),
         ("count",)),
        (YEARLY_HISTOGRAM_TABLE, yearly_hist_rows, ("store_id", "year", *HISTOGRAM_KEY),
         ("count",)),
        (DIMENSION_TABLE, dim_rows, ("store_id", "date", "dimension", "key"), COUNTER_COLUMNS),
        (MONTHLY_DIMENSION_TABLE, monthly_dim_rows, ("store_id", "month", "dimension", "key"),
         COUNTER_COLUMNS),
    )  # fmt: skip
    for table, rows, keys, counters in additive:
        await upsert_increment(session, table, rows, keys, counters)
    await upsert_increment(
        session,
        DAILY_TABLE,
        daily_rows,
        ("store_id", "date"),
        DAILY_COLUMNS,
        derived=_derived_daily,
        touched_column="updated_at",
    )
    days: set[date] = {day for day, counters in delta.daily.items() if _nonzero(counters)}
    if days:
        touched: set[tuple[uuid.UUID, date]] = session.info.setdefault(TOUCHED_DATES_KEY, set())
        touched.update((store_id, d) for d in days)
    touched_dims = {
        day for (day, _, _), counters in delta.dims.items() if _nonzero(counters)
    } - days
    if touched_dims:
        session.info.setdefault(TOUCHED_DATES_KEY, set()).update(
            (store_id, d) for d in touched_dims
        )


async def apply_change(
    session: AsyncSession,
    store_id: uuid.UUID,
    before: Contribution | None,
    after: Contribution | None,
) -> None:
    """Move the rollups from a row's `before` contribution to its `after` (None: no row)."""
    await apply(session, store_id, (before or Contribution()).delta_to(after or Contribution()))


def _month_of(day: date) -> date:
    return day.replace(day=1)


def _year_of(day: date) -> date:
    return day.replace(month=1, day=1)


def _dims_by(
    delta: Contribution, first_day: Callable[[date], date]
) -> defaultdict[tuple[date, str, str], Counter[str]]:
    """The contribution's dimension rows summed by period, keyed by the period's first day."""
    dims: defaultdict[tuple[date, str, str], Counter[str]] = defaultdict(Counter)
    for (day, dimension, key), counters in delta.dims.items():
        _add(dims[(first_day(day), dimension, key)], counters)
    return dims


def _hist_by(
    delta: Contribution, first_day: Callable[[date], date]
) -> Counter[tuple[date, str, str, int]]:
    """The contribution's histogram rows summed by period (calendar month or year), keyed by
    the period's first day."""
    hist: Counter[tuple[date, str, str, int]] = Counter()
    for (day, metric, seg, bucket), n in delta.hist.items():
        period_key = (first_day(day), metric, seg, bucket)
        hist[period_key] = hist.get(period_key, 0) + n
    return hist


def _derived_daily(value: Callable[[str], ColumnElement[Any]]) -> dict[str, ColumnElement[Any]]:
    """The brief's derived columns of a daily row, from its counters, in the same statement
    that adds to them (the Numeric columns round on assignment: 4 and 2 decimals)."""

    def ratio(numerator: str, denominator: str) -> ColumnElement[Any]:
        return case(
            (value(denominator) > 0, value(numerator) * 1.0 / value(denominator)), else_=None
        )

    return {
        "inquiry_rate": ratio("total_inquiries", "total_orders"),
        "avg_resolution_time": ratio("resolution_seconds_sum", "resolved_inquiries"),
        "satisfaction_score": ratio("rating_sum", "rating_count"),
    }


# The columns the contribution functions read; plain rows of them stand in for ORM instances
# when a whole store is summed (no identity map, no change tracking).
ORDER_FIELDS = ("id", "local_date", "created_at", "promised_delivery_date")
SHIPMENT_FIELDS = (
    "order_id",
    "carrier",
    "shipped_at",
    "shipped_local_date",
    "had_exception",
    "exception_reason",
    "is_first_for_order",
    "first_scan_at",
    "delivered_at",
    "delivered_local_date",
    "original_estimated_delivery",
)
INQUIRY_FIELDS = (
    "local_date",
    "local_hour",
    "local_weekday",
    "created_at",
    "inquiry_type",
    "order_status",
    "channel",
    "carrier",
    "exception_reason",
    "is_repeat",
    "followed_up",
    "escalated",
    "resolved",
    "resolution_seconds",
    "first_response_at",
    "first_response_business_seconds",
    "resolution_business_seconds",
    "satisfaction_rating",
    "effort_score",
)
REBUILD_CHUNK = 20_000


async def rebuild_store(session: AsyncSession, store_id: uuid.UUID) -> None:
    """Recompute a store's rollups from its facts (a repair tool; normal writes never need it):
    the facts are read in chunks of plain rows, their contributions summed in memory and
    written with one statement per table and chunk."""
    tables: tuple[type[Any], ...] = (
        WismoDailyMetrics,
        WismoDailyDimensionMetrics,
        WismoDailyHistogram,
        WismoMonthlyDimensionMetrics,
        WismoMonthlyHistogram,
        WismoYearlyHistogram,
    )
    for table in tables:
        await session.execute(delete(table).where(table.store_id == store_id))
    total = Contribution()
    orders: dict[uuid.UUID, Any] = {}
    stream = await session.stream(
        select(*(getattr(Order, f) for f in ORDER_FIELDS)).where(Order.store_id == store_id)
    )
    async for rows in stream.partitions(REBUILD_CHUNK):
        for order in rows:
            orders[order.id] = order
            total.daily[order.local_date]["total_orders"] += 1
    stream = await session.stream(
        select(*(getattr(Shipment, f) for f in SHIPMENT_FIELDS)).where(
            Shipment.store_id == store_id
        )
    )
    async for rows in stream.partitions(REBUILD_CHUNK):
        for shipment in rows:
            shipment_contribution(
                cast(Shipment, shipment), cast(Order, orders[shipment.order_id]), into=total
            )
    stream = await session.stream(
        select(*(getattr(OrderInquiry, f) for f in INQUIRY_FIELDS)).where(
            OrderInquiry.store_id == store_id
        )
    )
    async for rows in stream.partitions(REBUILD_CHUNK):
        for inquiry in rows:
            inquiry_contribution(cast(OrderInquiry, inquiry), into=total)
    await apply(session, store_id, total)
