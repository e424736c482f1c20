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

import functools
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import BigInteger, Select, and_, bindparam, cast, func, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from app.core import clock
from app.ingestion.rollups import (
    ALL,
    COUNTER_COLUMNS,
    DAILY_COLUMNS,
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
    WismoYearlyHistogram,
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


class Sums(Mapping[str, int]):
    """Counters summed over some days, by rollup column name: a read-only view over one tuple
    in the order of the columns read (`Columns`), so a bucket costs no dict of its own. A rollup
    column the read left out raises KeyError, also from `get`: a figure computed from it would
    silently be 0."""

    __slots__ = ("columns", "row")

    def __init__(self, row: tuple[int, ...], columns: "Columns") -> None:
        self.row = row
        self.columns = columns

    def __getitem__(self, name: str) -> int:
        return self.row[self.columns.index[name]]

    def get(self, name: str, default: Any = None) -> Any:  # one call, not Mapping's two
        index = self.columns.index.get(name)
        if index is None:
            if name in _DAILY_SET:
                raise KeyError(f"{name} was not read")
            return default
        return self.row[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self.columns.names)

    def __len__(self) -> int:
        return len(self.columns.names)


@dataclass(frozen=True)
class Columns:
    """Daily rollup columns to read, in `DAILY_COLUMNS` order, with each one's position."""

    names: tuple[str, ...]
    index: dict[str, int] = field(compare=False, hash=False)
    zeros: tuple[int, ...] = field(compare=False, hash=False)


@functools.cache
def columns_of(names: frozenset[str] | None = None) -> Columns:
    """The daily columns to read: `names` (unknown ones refused), or every one."""
    unknown = (names or frozenset()) - _DAILY_SET
    assert not unknown, f"not daily rollup columns: {sorted(unknown)}"
    chosen = tuple(n for n in DAILY_COLUMNS if names is None or n in names)
    return Columns(chosen, {n: i for i, n in enumerate(chosen)}, (0,) * len(chosen))


_DAILY_SET = frozenset(DAILY_COLUMNS)
ALL_COLUMNS = columns_of()


def _sums(rows: Sequence[tuple[int, ...]], columns: Columns) -> Sums:
    if len(rows) == 1:
        return Sums(rows[0], columns)
    return Sums(tuple(map(sum, zip(*rows, strict=True))) if rows else columns.zeros, columns)


class Days:
    """Per-day counters of a range: each day with a rollup row holds its values in the
    order of `columns`. Sums over days are column sums of those tuples (no per-key work)."""

    __slots__ = ("columns", "rows")

    def __init__(self, rows: dict[date, tuple[int, ...]], columns: Columns = ALL_COLUMNS) -> None:
        self.rows = rows
        self.columns = columns

    def total(self, start: date, end: date) -> Sums:
        """The counters of the days in [start, end], summed."""
        return _sums([v for day, v in self.rows.items() if start <= day <= end], self.columns)

    def bucketed(self, start: date, end: date, group_by: GroupBy) -> dict[date, Sums]:
        """The days summed into the buckets of [start, end]: every bucket present
        (zero-filled), in order; days outside the range are left out."""
        columns = self.columns
        if group_by == "day":
            rows, zeros = self.rows, columns.zeros
            return {day: Sums(rows.get(day, zeros), columns) for day in _days(start, end)}
        groups: dict[date, list[tuple[int, ...]]] = {
            label: [] for label in bucket_starts(start, end, group_by)
        }
        for day, values in self.rows.items():
            if start <= day <= end:
                groups[bucket_start(day, group_by, start)].append(values)
        return {label: _sums(rows, columns) for label, rows in groups.items()}

    def counters(self) -> dict[date, Counter[str]]:
        """Each day's counters (days without a row are absent)."""
        names = self.columns.names
        return {day: Counter(dict(zip(names, v, strict=True))) for day, v in self.rows.items()}


def _summed_column(column: Any) -> Any:
    # BIGINT sums are NUMERIC in PostgreSQL; cast back so they arrive as ints.
    return cast(func.sum(column), BigInteger)


@functools.cache
def _daily_statement(columns: Columns) -> Select[Any]:
    c = WismoDailyMetrics.__table__.c  # Core columns: no ORM result processing
    return select(c.date, *(c[n] for n in columns.names)).where(
        c.store_id == bindparam("store_id"), c.date.between(bindparam("start"), bindparam("end"))
    )


async def _daily_rows(
    session: AsyncSession, store_id: uuid.UUID, start: date, end: date, columns: Columns
) -> dict[date, tuple[int, ...]]:
    rows = await session.execute(
        _daily_statement(columns), {"store_id": store_id, "start": start, "end": end}
    )
    return {r[0]: tuple(r[1:]) for r in rows.all()}


@functools.cache
def _dimension_statement() -> Select[Any]:
    c = WismoDailyDimensionMetrics.__table__.c
    return (
        select(c.date, *(_summed_column(c[n]) for n in COUNTER_COLUMNS))
        .where(
            c.store_id == bindparam("store_id"),
            c.dimension == bindparam("dimension"),
            c.key.in_(bindparam("keys", expanding=True)),
            c.date.between(bindparam("start"), bindparam("end")),
        )
        .group_by(c.date)
    )


async def _dimension_rows(
    session: AsyncSession,
    store_id: uuid.UUID,
    start: date,
    end: date,
    dimension: str,
    keys: Sequence[str],
) -> dict[date, tuple[int, ...]]:
    """Per-day counters (in `COUNTER_COLUMNS` order) of the rows of `dimension` whose key is
    one of `keys`, summed."""
    params = {"store_id": store_id, "dimension": dimension, "keys": list(keys)}
    rows = await session.execute(_dimension_statement(), {**params, "start": start, "end": end})
    return {r[0]: tuple(r[1:]) for r in rows.all()}


async def daily(
    session: AsyncSession, store_id: uuid.UUID, start: date, end: date
) -> dict[date, Counter[str]]:
    """Per-day counters of the store, unfiltered (days without a row are absent)."""
    return Days(await _daily_rows(session, store_id, start, end, ALL_COLUMNS)).counters()


async def dimension_by_date(
    session: AsyncSession,
    store_id: uuid.UUID,
    start: date,
    end: date,
    dimension: str,
    keys: Sequence[str],
) -> dict[date, Counter[str]]:
    """Per-day counters of the rows of `dimension` whose key is one of `keys`, summed."""
    rows = await _dimension_rows(session, store_id, start, end, dimension, keys)
    return {d: Counter(dict(zip(COUNTER_COLUMNS, v, strict=True))) for d, v in rows.items()}


_COUNTER_INDEX = {name: i for i, name in enumerate(COUNTER_COLUMNS)}


async def by_date(
    session: AsyncSession,
    store_id: uuid.UUID,
    start: date,
    end: date,
    filt: Filter | None,
    columns: Columns = ALL_COLUMNS,
) -> Days:
    """Per-day counters (`columns` of them, see `columns_of`): orders always unfiltered;
    inquiry counters under the filter; shipment counters under the filter only when it is a
    carrier."""
    days = await _daily_rows(session, store_id, start, end, columns)
    if filt is None:
        return Days(days, columns)
    filtered = await _dimension_rows(session, store_id, start, end, filt[0], filt[1])
    # Where each column's value comes from: an index into the filtered row, or None (the day's).
    taken = COUNTER_COLUMNS if filt[0] == "carrier" else INQUIRY_COUNTERS
    source = tuple(_COUNTER_INDEX[n] if n in taken else None for n in columns.names)
    zeros_f = (0,) * len(COUNTER_COLUMNS)
    merged: dict[date, tuple[int, ...]] = {}
    for day in days.keys() | filtered.keys():
        base, f = days.get(day, columns.zeros), filtered.get(day, zeros_f)
        merged[day] = tuple(base[i] if j is None else f[j] for i, j in enumerate(source))
    return Days(merged, columns)


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
    return max(_bucket_first(day, group_by), range_start)


def _bucket_first(day: date, group_by: GroupBy) -> date:
    """The first day of the day, ISO week or calendar month holding `day`."""
    if group_by == "week":
        return day - timedelta(days=day.weekday())
    if group_by == "month":
        return day.replace(day=1)
    return day


def bucket_starts(start: date, end: date, group_by: GroupBy) -> list[date]:
    if group_by == "day":
        return _days(start, end)
    labels = [start]
    step = _bucket_first(start, group_by)
    while True:
        step = step + timedelta(days=7) if group_by == "week" else _next_month(step)
        if step > end:
            return labels
        labels.append(step)


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


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


# Statements are built once per shape, with bound parameters, so each is compiled once and
# PostgreSQL prepares it once per connection. A shape names the tables' criteria:
# "histogram" (metric IN, segment IN) or a dimension shape (see `_dimension_criteria`).
Shape = tuple[Any, ...]


def read_months(
    start: date, end: date, present: date | None = None
) -> tuple[list[tuple[date, date]], tuple[date, date] | None, list[tuple[date, date]]]:
    """[start, end] as (spans of days to add, (first, last) month starts of the monthly rows to
    add, spans of days to subtract). A month the range covers in part is read as its days, or
    as its monthly row less its days outside the range, whichever reads fewer days. Days after
    `present` hold no rows yet, so reading them costs nothing (the sums are exact either way:
    only the cost of the choice assumes it)."""
    spans, months = split_months(start, end)
    added: list[tuple[date, date]] = []
    subtracted: list[tuple[date, date]] = []
    whole = list(months) if months is not None else []
    # A span may cross into the next month (a range with no whole month): one piece a month.
    pieces = []
    for first_day, last_day in spans:
        while _next_month(first_day) <= last_day:
            pieces.append((first_day, _next_month(first_day) - timedelta(days=1)))
            first_day = _next_month(first_day)
        pieces.append((first_day, last_day))
    for first_day, last_day in pieces:
        month = first_day.replace(day=1)
        outside = [
            span
            for span in (
                (month, first_day - timedelta(days=1)),
                (last_day + timedelta(days=1), _next_month(month) - timedelta(days=1)),
            )
            if span[0] <= span[1]
        ]
        if sum(_days_read(s, present) for s in outside) < _days_read(
            (first_day, last_day), present
        ):
            subtracted.extend(outside)
            whole.append(month)
        else:
            added.append((first_day, last_day))
    return added, ((min(whole), max(whole)) if whole else None), subtracted


def _days_read(span: tuple[date, date], present: date | None) -> int:
    """The days of a span that may hold rows (none after `present`)."""
    last = span[1] if present is None else min(span[1], present)
    return max(0, (last - span[0]).days + 1)


@dataclass
class Periods:
    """Spans of rows to add and subtract, each (first, last) inclusive: days of the daily
    rows, month starts of the monthly rows; `years` are the year starts of yearly rows."""

    days: list[tuple[date, date]] = field(default_factory=list)
    minus_days: list[tuple[date, date]] = field(default_factory=list)
    months: list[tuple[date, date]] = field(default_factory=list)
    minus_months: list[tuple[date, date]] = field(default_factory=list)
    years: list[date] = field(default_factory=list)

    def shape(self) -> tuple[int, ...]:
        """How many of each part: the statement for them is built once per shape."""
        return (
            len(self.days),
            len(self.minus_days),
            len(self.months),
            len(self.minus_months),
            len(self.years),
        )

    def params(self) -> dict[str, date]:
        """The bound values of the statement's parts."""
        out = {f"year{i}": year for i, year in enumerate(self.years)}
        for name in ("days", "minus_days", "months", "minus_months"):
            for i, (first, last) in enumerate(getattr(self, name)):
                out[f"{name}{i}_start"], out[f"{name}{i}_end"] = first, last
        return out


def read_periods(
    start: date, end: date, present: date | None = None, years: bool = True
) -> Periods:
    """[start, end] as signed calendar periods: `read_months`, then each calendar year whose
    whole months in the range outnumber those outside it (not counting months after
    `present`, which hold no rows yet) read as its yearly row less its months outside the
    range (a year's row per key instead of up to twelve). Without `years`, months only."""
    days, months, minus_days = read_months(start, end, present)
    plan = Periods(days=days, minus_days=minus_days)
    if months is None:
        return plan
    first, last = months
    for year in range(first.year, last.year + 1):
        inside = (max(first, date(year, 1, 1)), min(last, date(year, 12, 1)))
        before = (date(year, 1, 1), _previous_month(inside[0])) if inside[0].month > 1 else None
        after = (_next_month(inside[1]), date(year, 12, 1)) if inside[1].month < 12 else None
        outside = [span for span in (before, after) if span is not None]
        if years and sum(_months_read(s, present) for s in outside) < _months_read(inside, present):
            plan.years.append(date(year, 1, 1))
            plan.minus_months.extend(outside)
        elif plan.months and plan.months[-1][1] == _previous_month(inside[0]):
            plan.months[-1] = (plan.months[-1][0], inside[1])
        else:
            plan.months.append(inside)
    return plan


def _months_read(span: tuple[date, date], present: date | None) -> int:
    """The month starts of a span whose months may hold rows (none after `present`)."""
    last = span[1] if present is None else min(span[1], present.replace(day=1))
    return max(0, (last.year - span[0].year) * 12 + last.month - span[0].month + 1)


def _previous_month(month: date) -> date:
    return (month - timedelta(days=1)).replace(day=1)


def _range_plan(start: date, end: date, subtracting: bool, years: bool) -> Periods:
    """The periods that sum to [start, end] (yearly rows only where `years`: histograms).
    Only readers that drop groups summing to zero may subtract (a key seen only on the
    subtracted rows would appear with zeros)."""
    if subtracting:
        # No store's local day is later than tomorrow in UTC (the widest offset is 14 h).
        return read_periods(start, end, clock.today_utc() + timedelta(days=1), years)
    spans, months = split_months(start, end)
    return Periods(days=spans, months=[months] if months is not None else [])


def _dimension_criteria(c: Any, shape: Shape) -> list[Any]:
    """Each part of a dimension shape: ("plain",) reads `:plain` dimensions whole;
    ("self", i) reads dimension `:dim_i` keys `:keys_i`; ("pair", i, n) reads pair dimension
    `:dim_i` keys starting with one of n prefixes `:prefix_i_j`."""
    alternatives = []
    for part in shape:
        if part[0] == "plain":
            alternatives.append(c.dimension.in_(bindparam("plain", expanding=True)))
        elif part[0] == "self":
            alternatives.append(
                and_(
                    c.dimension == bindparam(f"dim_{part[1]}"),
                    c.key.in_(bindparam(f"keys_{part[1]}", expanding=True)),
                )
            )
        else:
            _, i, n = part
            alternatives.append(
                and_(
                    c.dimension == bindparam(f"dim_{i}"),
                    or_(*(c.key.like(bindparam(f"prefix_{i}_{j}"), escape="/") for j in range(n))),
                )
            )
    return [c.store_id == bindparam("store_id"), or_(*alternatives)]


@functools.lru_cache(maxsize=256)
def _summed(
    shape: Shape,
    periods: tuple[int, ...],
    group: tuple[str, ...],
    columns: tuple[str, ...],
) -> Select[Any]:
    """SELECT group..., sum(columns...) over a range: the rows of the daily, monthly and
    yearly tables that `Periods` of this `periods` shape names, the subtracted ones negated."""
    if shape == ("histogram",):
        tables: tuple[Any, Any, Any] = (
            WismoDailyHistogram.__table__.c,
            WismoMonthlyHistogram.__table__.c,
            WismoYearlyHistogram.__table__.c,
        )

        def where(c: Any) -> list[Any]:
            return [
                c.store_id == bindparam("store_id"),
                c.metric.in_(bindparam("metrics", expanding=True)),
                c.segment.in_(bindparam("segments", expanding=True)),
            ]
    else:
        tables = (
            WismoDailyDimensionMetrics.__table__.c,
            WismoMonthlyDimensionMetrics.__table__.c,
            None,  # no yearly dimension rows: `_range_plan(..., years=False)`
        )

        def where(c: Any) -> list[Any]:
            return _dimension_criteria(c, shape)

    # One SELECT per span: a range scan each, whose generic plan (after five executions of
    # the prepared statement) stays a range scan; spans OR-ed in one SELECT got a bitmap plan
    # twice as slow.
    def part(c: Any, period: str, name: str, sign: int) -> Select[Any]:
        values = (c[n] if sign > 0 else (-c[n]).label(n) for n in columns)
        return select(*(c[g] for g in group), *values).where(
            *where(c), c[period].between(bindparam(f"{name}_start"), bindparam(f"{name}_end"))
        )

    daily, monthly, yearly = tables
    days, minus_days, months, minus_months, years = periods
    parts = [
        part(c, period, f"{name}{i}", sign)
        for c, period, name, count, sign in (
            (daily, "date", "days", days, 1),
            (daily, "date", "minus_days", minus_days, -1),
            (monthly, "month", "months", months, 1),
            (monthly, "month", "minus_months", minus_months, -1),
        )
        for i in range(count)
    ]
    if years:
        assert yearly is not None, "only histograms have yearly rows"
        parts.append(
            select(*(yearly[n] for n in (*group, *columns))).where(
                *where(yearly), yearly.year.in_([bindparam(f"year{i}") for i in range(years)])
            )
        )
    rows = (parts[0] if len(parts) == 1 else union_all(*parts)).subquery()
    return select(
        *(rows.c[g] for g in group), *(_summed_column(rows.c[c]) for c in columns)
    ).group_by(*(rows.c[g] for g in group))


def _like_prefix(prefix: str) -> str:
    """A LIKE pattern (escape character /) matching values that start with `prefix`."""
    return prefix.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"


# ---------------------------------------------------------------- breakdowns


async def breakdowns(
    session: AsyncSession,
    store_id: uuid.UUID,
    start: date,
    end: date,
    wanted: Sequence[tuple[str, Filter | None]],
    columns: Sequence[str] = ("total_inquiries",),
    *,
    nonzero: bool = False,
) -> dict[str, dict[str, Counter[str]]]:
    """Counters summed over [start, end] for each key of several dimensions, each under its
    own filter (or none), in one statement: {dimension: {key: counters}}. With `nonzero`, keys
    whose counters all sum to zero are left out, which lets a partial month be read as its
    monthly rows less the days outside the range (as histograms are) when that reads fewer
    rows: the dashboard's pages, which show no such key anyway, read far fewer rows."""
    # The stored dimension each wanted one is read from, and the key prefixes to strip: a
    # dimension filtered by another is read from their pair dimension.
    stored: dict[str, tuple[str, tuple[str, ...]]] = {}
    shape: list[Any] = []
    params: dict[str, Any] = {"store_id": store_id}
    for i, (dimension, filt) in enumerate(wanted):
        if filt is not None and filt[0] != dimension:
            prefixes = tuple(pair_key(value, "") for value in filt[1])
            stored[pair_dimension(filt[0], dimension)] = (dimension, prefixes)
            shape.append(("pair", i, len(prefixes)))
            params[f"dim_{i}"] = pair_dimension(filt[0], dimension)
            for j, prefix in enumerate(prefixes):
                params[f"prefix_{i}_{j}"] = _like_prefix(prefix)
        else:
            stored[dimension] = (dimension, ())
            if filt is not None:  # filtering a dimension by itself keeps its keys
                shape.append(("self", i))
                params[f"dim_{i}"] = dimension
                params[f"keys_{i}"] = list(filt[1])
    assert len(stored) == len(wanted), "each dimension is wanted once"
    plain = [d for d, f in wanted if f is None]
    if plain:
        shape.append(("plain",))
        params["plain"] = plain
    plan = _range_plan(start, end, subtracting=nonzero, years=False)
    rows = await session.execute(
        _summed(tuple(shape), plan.shape(), ("dimension", "key"), tuple(columns)),
        params | plan.params(),
    )
    out: dict[str, defaultdict[str, Counter[str]]] = {d: defaultdict(Counter) for d, _ in wanted}
    for r in rows.all():
        if nonzero and not any(r[2:]):
            continue
        dimension, prefixes = stored[r[0]]
        key = r[1]
        prefix = next((p for p in prefixes if key.startswith(p)), "")
        counters = dict(zip(columns, r[2:], strict=True))
        keyed = out[dimension]
        if prefix:  # several filter values: their keys add up
            keyed[key[len(prefix) :]].update(counters)
        else:
            keyed[key] = Counter(counters)
    return {d: dict(keyed) for d, keyed in out.items()}


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
    found = await breakdowns(session, store_id, start, end, [(dimension, filt)], columns)
    return found[dimension]


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
    days = await _dimension_rows(session, store_id, start, end, dimension, [key])
    index = [COUNTER_COLUMNS.index(c) for c in columns]
    out: Counter[str] = Counter({c: 0 for c in columns})
    for values in days.values():
        for c, i in zip(columns, index, strict=True):
            out[c] += values[i]
    return out


# ---------------------------------------------------------------- histograms


def segments_of(filt: Filter | None) -> tuple[list[str], list[str]]:
    """(histogram segments for inquiry durations, segments for shipment durations)."""
    if filt is None:
        return [ALL], [ALL]
    segs = [segment(filt[0], value) for value in filt[1]]
    return segs, segs if filt[0] == "carrier" else [ALL]


async def histograms(
    session: AsyncSession,
    store_id: uuid.UUID,
    start: date,
    end: date,
    metrics: Iterable[str],
    segments: Iterable[str],
) -> dict[tuple[str, str], dict[int, int]]:
    """The duration histograms of each metric and segment summed over [start, end], keyed
    (metric, segment), in one statement (empty buckets and histograms are absent). Segments
    are named exactly (not `LIKE 'carrier=%'`, which no index serves under a non-C
    collation)."""
    plan = _range_plan(start, end, subtracting=True, years=True)
    rows = await session.execute(
        _summed(("histogram",), plan.shape(), ("metric", "segment", "bucket"), ("count",)),
        {
            "store_id": store_id,
            "metrics": sorted(set(metrics)),
            "segments": sorted(set(segments)),
            **plan.params(),
        },
    )
    out: defaultdict[tuple[str, str], dict[int, int]] = defaultdict(dict)
    for m, seg, b, n in rows.all():
        if n:
            out[(m, seg)][b] = n
    return dict(out)


def merged(hists: Iterable[Mapping[int, int]]) -> dict[int, int]:
    """Histograms added up bucket by bucket."""
    out: Counter[int] = Counter()
    for h in hists:
        out.update(h)
    return dict(out)


async def histogram(
    session: AsyncSession,
    store_id: uuid.UUID,
    start: date,
    end: date,
    metric: str,
    segments: Sequence[str] = (ALL,),
) -> dict[int, int]:
    """A duration histogram summed over [start, end] and over `segments`."""
    found = await histograms(session, store_id, start, end, [metric], segments)
    return merged(found.values())


__all__ = [
    "ALL_COLUMNS",
    "INQUIRY_COUNTERS",
    "SHIPMENT_COUNTERS",
    "Columns",
    "Days",
    "Filter",
    "Periods",
    "Sums",
    "breakdown",
    "breakdown_key",
    "breakdowns",
    "bucket_start",
    "bucket_starts",
    "by_date",
    "columns_of",
    "daily",
    "dimension_by_date",
    "histogram",
    "histograms",
    "merged",
    "read_months",
    "read_periods",
    "segments_of",
    "split_months",
    "total",
]
