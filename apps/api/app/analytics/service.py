"""WISMO metrics: the only home of the metric formulas of DESIGN section 5.

Summaries read only the rollup tables, so their cost grows with the number of days and
dimension keys in the range, never with the number of orders or inquiries. Drill-downs read
the fact tables, one keyset-paged page at a time.
"""

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pydantic.alias_generators import to_camel
from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.analytics import histograms, repository
from app.analytics.metrics import (
    METRICS,
    OVERVIEW,
    change_pct,
    counters_of,
    evaluate,
    evaluate_many,
    share,
)
from app.analytics.schemas import (
    CarrierRow,
    DriverRow,
    Drivers,
    DurationStats,
    FulfillmentMetrics,
    FulfillmentSeriesPoint,
    InquiryPage,
    InquiryRow,
    InquirySeriesPoint,
    InquiryTrends,
    MetricDefinition,
    MetricValue,
    Overview,
    PeakHourCell,
    RangeOut,
    RatingCount,
    ResolutionBucket,
    RollingSatisfaction,
    SatisfactionMetrics,
    SatisfactionSeriesPoint,
    ShareItem,
    ShipmentPage,
    ShipmentRow,
    Stages,
)
from app.core.errors import ValidationError
from app.core.timeutils import local_today
from app.core.vocab import CHANNELS, INQUIRY_TYPES, ORDER_STATUSES
from app.db.keyset import newest_first, page_of
from app.ingestion.rollups import (
    FIRST_RESPONSE,
    FIRST_RESPONSE_BUSINESS,
    PICKUP,
    PROCESSING,
    RESOLUTION,
    RESOLUTION_BANDS,
    RESOLUTION_BUSINESS,
    TRANSIT,
    segment,
)
from app.models import (
    Order,
    OrderInquiry,
    Shipment,
    Store,
)

MAX_RANGE_DAYS = 731
NAMED_RANGES = {"7d": 7, "30d": 30, "90d": 90}
GROUP_BYS = ("day", "week", "month")

SHIPMENT_COUNTERS = repository.SHIPMENT_COUNTERS
INQUIRY_COUNTERS = repository.INQUIRY_COUNTERS


# ---------------------------------------------------------------- ranges and filters


@dataclass(frozen=True)
class DateRange:
    """Local dates [start, end] inclusive, in the store's time zone."""

    start: date
    end: date
    timezone: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous(self) -> "DateRange":
        return DateRange(
            self.start - timedelta(days=self.days), self.start - timedelta(days=1), self.timezone
        )

    def out(self) -> RangeOut:
        prev = self.previous
        return RangeOut(
            start=self.start,
            end=self.end,
            timezone=self.timezone,
            previous_start=prev.start,
            previous_end=prev.end,
        )


def resolve_range(
    date_range: str,
    start: date | None,
    end: date | None,
    timezone: str,
    today: date | None = None,
) -> DateRange:
    today = today or local_today(timezone)
    if date_range == "custom":
        if start is None or end is None:
            raise ValidationError("a custom range needs both start and end (YYYY-MM-DD)")
        if end < start:
            raise ValidationError("end is before start")
        if start.year < 1970 or end.year > 2999:
            raise ValidationError("start and end must lie between 1970 and 2999")
        if (end - start).days + 1 > MAX_RANGE_DAYS:
            raise ValidationError(f"a range may span at most {MAX_RANGE_DAYS} days")
        return DateRange(start, end, timezone)
    if date_range not in NAMED_RANGES:
        raise ValidationError(f"date_range must be one of 7d, 30d, 90d, custom; got {date_range!r}")
    if start is not None or end is not None:
        raise ValidationError("start and end are only accepted with date_range=custom")
    days = NAMED_RANGES[date_range]
    return DateRange(today - timedelta(days=days - 1), today, timezone)


Filter = repository.Filter  # (dimension, the values it may take)


@dataclass(frozen=True)
class Filters:
    """Filter values; several values of one filter are summed (their facts are disjoint)."""

    channel: tuple[str, ...] = ()
    carrier: tuple[str, ...] = ()
    inquiry_type: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        channel: Iterable[str] | None = None,
        carrier: Iterable[str] | None = None,
        inquiry_type: Iterable[str] | None = None,
    ) -> "Filters":
        def clean(values: Iterable[str] | None) -> tuple[str, ...]:
            return tuple(sorted(set(values or ())))

        return cls(clean(channel), clean(carrier), clean(inquiry_type))

    def single(self) -> Filter | None:
        """Summaries read rollups, which hold one filter dimension at a time."""
        chosen = [(d, v) for d, v in self.items() if v]
        if len(chosen) > 1:
            raise ValidationError(
                "summaries take one of channel, carrier, inquiry_type at a time (several "
                "values of it are fine; the drill-down lists combine filters)"
            )
        return chosen[0] if chosen else None

    def items(self) -> list[tuple[str, tuple[str, ...]]]:
        return [
            ("channel", self.channel),
            ("carrier", self.carrier),
            ("inquiry_type", self.inquiry_type),
        ]

    def conditions(self, table: Any) -> list[Any]:
        """`column IN (values)` for each filter given, on a table with these columns."""
        return [getattr(table, name).in_(values) for name, values in self.items() if values]


# ---------------------------------------------------------------- arithmetic


ROLLING_WINDOWS = (7, 30)
ROLLING_SATISFACTION_METRICS = (
    "rating_count",
    "satisfaction_score",
    "csat",
    "customer_effort_score",
)
INQUIRY_BREAKDOWNS = ("inquiry_type", "order_status", "channel", "exception_reason", "hour_of_week")
DRIVER_DIMENSIONS = ("inquiry_type", "carrier", "order_status")
FULFILLMENT_METRICS = (
    "avg_time_to_ship_seconds",
    "on_time_delivery_rate",
    "avg_transit_seconds",
    "exception_rate",
    "shipments_shipped",
    "shipments_delivered",
)


def metric_definitions() -> list[MetricDefinition]:
    return [
        MetricDefinition(
            slug=m.slug,
            key=to_camel(m.slug),
            label=m.label,
            unit=m.unit,
            good=m.good,
            numerator=m.numerator,
            denominator=m.denominator,
            scale=list(m.scale) if m.scale else None,
            description=m.description,
        )
        for m in METRICS.values()
    ]


# The inquiry page's durations: (response field, registry mean, histogram).
INQUIRY_DURATIONS = (
    ("resolution_time", "avg_resolution_seconds", RESOLUTION),
    ("first_response_time", "avg_first_response_seconds", FIRST_RESPONSE),
    ("resolution_business_time", "avg_resolution_business_seconds", RESOLUTION_BUSINESS),
    (
        "first_response_business_time",
        "avg_first_response_business_seconds",
        FIRST_RESPONSE_BUSINESS,
    ),
)

# The daily rollup columns the inquiry and fulfillment pages read (a year of days is 365
# rows: the columns they do not show are not sent).
INQUIRY_COLUMNS = repository.columns_of(
    counters_of(
        ("inquiry_rate", "repeat_inquiry_rate", *(slug for _, slug, _ in INQUIRY_DURATIONS))
    )
)
FULFILLMENT_COLUMNS = repository.columns_of(
    counters_of((*FULFILLMENT_METRICS, "avg_pickup_seconds", "avg_carrier_transit_seconds"))
)


def metric(value: int | float | None, previous: int | float | None) -> MetricValue:
    return MetricValue(value=value, previous=previous, change_pct=change_pct(value, previous))


def duration_stats(
    slug: str, counters: Mapping[str, int], buckets: Mapping[int, int]
) -> DurationStats:
    """A duration metric's mean (from the registry), with its count and histogram quantiles."""
    denominator = METRICS[slug].denominator
    assert denominator is not None, f"{slug} is not a mean"
    return DurationStats(
        count=int(counters.get(denominator, 0)),
        mean=evaluate(slug, counters),
        median=histograms.quantile(buckets, 0.5),
        p90=histograms.quantile(buckets, 0.9),
    )


def bucket_range(rng: DateRange, label: date, group_by: str) -> DateRange:
    """The days of P in the bucket labelled `label` (a drill-down from a chart point)."""
    if (
        not rng.start <= label <= rng.end
        or repository.bucket_start(label, group_by, rng.start) != label
    ):
        raise ValidationError(f"{label} is not the first date of a {group_by} bucket of the range")
    if group_by == "week":
        last = label + timedelta(days=6 - label.weekday())
    elif group_by == "month":
        following = (label.replace(day=28) + timedelta(days=4)).replace(day=1)
        last = following - timedelta(days=1)
    else:
        last = label
    return DateRange(label, min(last, rng.end), rng.timezone)


def shares(counts: Mapping[str, int], keys: Iterable[str] = ()) -> list[ShareItem]:
    merged = {k: 0 for k in keys} | dict(counts)
    total = sum(merged.values())
    items = [ShareItem(key=k, count=n, share=share(n, total)) for k, n in merged.items()]
    return sorted(items, key=lambda i: (-i.count, i.key))


def pearson(pairs: Mapping[tuple[int, int], int]) -> float | None:
    n = sum(pairs.values())
    if n < 3:
        return None
    sx = sum(x * c for (x, _), c in pairs.items())
    sy = sum(y * c for (_, y), c in pairs.items())
    sxx = sum(x * x * c for (x, _), c in pairs.items())
    syy = sum(y * y * c for (_, y), c in pairs.items())
    sxy = sum(x * y * c for (x, y), c in pairs.items())
    vx, vy = n * sxx - sx * sx, n * syy - sy * sy
    if vx <= 0 or vy <= 0:
        return None
    return (n * sxy - sx * sy) / math.sqrt(vx * vy)


# ---------------------------------------------------------------- the service


class WISMOAnalyticsService:
    def __init__(self, db: AsyncSession) -> None:
        self.db = db

    # -- overview

    async def get_overview(self, store: Store, rng: DateRange, filters: Filters) -> Overview:
        prev = rng.previous
        days = await repository.by_date(self.db, store.id, prev.start, rng.end, filters.single())
        current = evaluate_many(OVERVIEW, days.total(rng.start, rng.end))
        previous = evaluate_many(OVERVIEW, days.total(prev.start, prev.end))
        return Overview(
            range=rng.out(),
            **{name: metric(current[name], previous[name]) for name in OVERVIEW},
        )

    # -- inquiries

    async def get_inquiry_metrics(
        self, store: Store, rng: DateRange, group_by: str, filters: Filters
    ) -> InquiryTrends:
        filt = filters.single()
        days = await repository.by_date(
            self.db, store.id, rng.start, rng.end, filt, INQUIRY_COLUMNS
        )
        series = [
            InquirySeriesPoint(
                date=label,
                inquiries=c["total_inquiries"],
                orders=c["total_orders"],
                inquiry_rate=evaluate("inquiry_rate", c),
                repeat_inquiries=c["repeat_inquiries"],
                resolved=c["resolved_inquiries"],
            )
            for label, c in days.bucketed(rng.start, rng.end, group_by).items()
        ]
        found = await repository.breakdowns(
            self.db,
            store.id,
            rng.start,
            rng.end,
            [(d, filt) for d in INQUIRY_BREAKDOWNS],
            nonzero=True,
        )
        by_type, by_status, by_channel, by_cause, hours = (
            {k: v["total_inquiries"] for k, v in found[d].items() if v["total_inquiries"]}
            for d in INQUIRY_BREAKDOWNS
        )
        peak = [
            PeakHourCell(weekday=w, hour=h, count=hours.get(f"{w}:{h}", 0))
            for w in range(7)
            for h in range(24)
        ]
        total = days.total(rng.start, rng.end)
        inquiry_seg, _ = repository.segments_of(filt)
        hists = await repository.histograms(
            self.db,
            store.id,
            rng.start,
            rng.end,
            (histogram for _, _, histogram in INQUIRY_DURATIONS),
            inquiry_seg,
        )
        return InquiryTrends(
            range=rng.out(),
            group_by=group_by,
            series=series,
            by_type=shares(by_type, INQUIRY_TYPES),
            by_order_status=shares(by_status, ORDER_STATUSES),
            by_channel=shares(by_channel, CHANNELS),
            by_exception_reason=shares(by_cause),
            peak_hours=peak,
            **{
                field: duration_stats(
                    slug,
                    total,
                    repository.merged(hists.get((histogram, s), {}) for s in inquiry_seg),
                )
                for field, slug, histogram in INQUIRY_DURATIONS
            },
        )

    # -- fulfillment

    async def get_fulfillment_insights(
        self, store: Store, rng: DateRange, group_by: str, filters: Filters
    ) -> FulfillmentMetrics:
        filt = filters.single()
        prev = rng.previous
        days = await repository.by_date(
            self.db, store.id, prev.start, rng.end, filt, FULFILLMENT_COLUMNS
        )
        total = days.total(rng.start, rng.end)
        before = days.total(prev.start, prev.end)
        _, ship_seg = repository.segments_of(filt)

        found = await repository.breakdowns(
            self.db,
            store.id,
            rng.start,
            rng.end,
            [
                ("carrier", filt if filt and filt[0] == "carrier" else None),
                ("exception_reason", None),
            ],
            columns=(*sorted(SHIPMENT_COUNTERS), "total_inquiries"),
            nonzero=True,
        )
        carrier_rows, reasons = found["carrier"], found["exception_reason"]
        carrier_seg = {name: segment("carrier", name) for name in carrier_rows}
        hists = await repository.histograms(
            self.db,
            store.id,
            rng.start,
            rng.end,
            repository.STAGES,
            [*ship_seg, *carrier_seg.values()],
        )
        carriers = [
            CarrierRow(
                carrier=name,
                shipped=c["shipments_shipped"],
                delivered=c["shipments_delivered"],
                on_time_rate=evaluate("on_time_delivery_rate", c),
                avg_transit_seconds=evaluate("avg_transit_seconds", c),
                exception_rate=evaluate("exception_rate", c),
                inquiries=c["total_inquiries"],
                inquiries_per_shipment=evaluate("inquiries_per_shipment", c),
                stages=self._stages(c, lambda m, s=carrier_seg[name]: hists.get((m, s), {})),
            )
            for name, c in carrier_rows.items()
        ]
        carriers.sort(key=lambda r: (-r.shipped, r.carrier))
        return FulfillmentMetrics(
            range=rng.out(),
            group_by=group_by,
            avg_time_to_ship_seconds=evaluate("avg_time_to_ship_seconds", total),
            on_time_delivery_rate=evaluate("on_time_delivery_rate", total),
            avg_transit_seconds=evaluate("avg_transit_seconds", total),
            exception_rate=evaluate("exception_rate", total),
            shipped=total["shipments_shipped"],
            delivered=total["shipments_delivered"],
            previous={
                to_camel(slug): metric(evaluate(slug, total), evaluate(slug, before))
                for slug in FULFILLMENT_METRICS
            },
            stages=self._stages(
                total, lambda m: repository.merged(hists.get((m, s), {}) for s in ship_seg)
            ),
            carriers=carriers,
            exceptions=shares(
                {
                    k: v["shipments_with_exception"]
                    for k, v in reasons.items()
                    if v["shipments_with_exception"]
                }
            ),
            series=[
                FulfillmentSeriesPoint(
                    date=label,
                    shipped=c["shipments_shipped"],
                    delivered=c["shipments_delivered"],
                    avg_time_to_ship_seconds=evaluate("avg_time_to_ship_seconds", c),
                    on_time_rate=evaluate("on_time_delivery_rate", c),
                    exception_rate=evaluate("exception_rate", c),
                )
                for label, c in days.bucketed(rng.start, rng.end, group_by).items()
            ],
        )

    @staticmethod
    def _stages(c: Mapping[str, int], hist: Any) -> Stages:
        return Stages(
            processing=duration_stats("avg_time_to_ship_seconds", c, hist(PROCESSING)),
            pickup=duration_stats("avg_pickup_seconds", c, hist(PICKUP)),
            transit=duration_stats("avg_carrier_transit_seconds", c, hist(TRANSIT)),
        )

    # -- satisfaction

    async def get_satisfaction_trends(
        self, store: Store, rng: DateRange, group_by: str, filters: Filters
    ) -> SatisfactionMetrics:
        filt = filters.single()
        # One read of the range and of the rolling windows ending on its last day.
        rolling_start = rng.end - timedelta(days=2 * max(ROLLING_WINDOWS) - 1)
        days = await repository.by_date(
            self.db, store.id, min(rng.start, rolling_start), rng.end, filt
        )
        total = days.total(rng.start, rng.end)
        found = await repository.breakdowns(
            self.db,
            store.id,
            rng.start,
            rng.end,
            [(d, filt) for d in ("rating", "resolution_rating", *DRIVER_DIMENSIONS)],
            columns=("rating_count", "rating_sum", "satisfied_count"),
            nonzero=True,
        )
        ratings = found["rating"]
        pairs: dict[tuple[int, int], int] = {}
        band_counts: Counter[int] = Counter()
        band_sums: Counter[int] = Counter()
        for key, c in found["resolution_rating"].items():
            band, rating = (int(p) for p in key.split(":"))
            n = c["rating_count"]
            if n:
                pairs[(band, rating)] = n
                band_counts[band] += n
                band_sums[band] += rating * n

        def drivers(dimension: str) -> list[DriverRow]:
            out = [
                DriverRow(
                    key=k,
                    rating_count=c["rating_count"],
                    satisfaction_score=evaluate("satisfaction_score", c),
                    csat=evaluate("csat", c),
                )
                for k, c in found[dimension].items()
                if c["rating_count"]
            ]
            return sorted(out, key=lambda d: (d.satisfaction_score or 0, -d.rating_count, d.key))

        return SatisfactionMetrics(
            range=rng.out(),
            group_by=group_by,
            satisfaction_score=evaluate("satisfaction_score", total),
            csat=evaluate("csat", total),
            customer_effort_score=evaluate("customer_effort_score", total),
            rating_count=total["rating_count"],
            series=[
                SatisfactionSeriesPoint(
                    date=label,
                    rating_count=c["rating_count"],
                    satisfaction_score=evaluate("satisfaction_score", c),
                    csat=evaluate("csat", c),
                )
                for label, c in days.bucketed(rng.start, rng.end, group_by).items()
            ],
            distribution=[
                RatingCount(rating=r, count=ratings.get(str(r), Counter())["rating_count"])
                for r in range(1, 6)
            ],
            resolution_buckets=[
                ResolutionBucket(
                    label=label,
                    count=band_counts[i],
                    satisfaction_score=evaluate(
                        "satisfaction_score",
                        {"rating_sum": band_sums[i], "rating_count": band_counts[i]},
                    ),
                )
                for i, (label, _) in enumerate(RESOLUTION_BANDS)
            ],
            resolution_correlation=pearson(pairs),
            drivers=Drivers(
                inquiry_type=drivers("inquiry_type"),
                carrier=drivers("carrier"),
                order_status=drivers("order_status"),
            ),
            **self._rolling_satisfaction(days, rng.end),
        )

    @staticmethod
    def _rolling_satisfaction(days: repository.Days, end: date) -> dict[str, RollingSatisfaction]:
        """The 7 and 30 local days ending on `end`, each against the same number of days
        before them (`days` covers the longest window twice)."""
        out: dict[str, RollingSatisfaction] = {}
        for n in ROLLING_WINDOWS:
            start = end - timedelta(days=n - 1)
            current = days.total(start, end)
            before = days.total(start - timedelta(days=n), start - timedelta(days=1))
            out[f"rolling{n}"] = RollingSatisfaction(
                days=n,
                **{
                    slug: metric(evaluate(slug, current), evaluate(slug, before))
                    for slug in ROLLING_SATISFACTION_METRICS
                },
            )
        return out

    # -- drill-down (fact tables, keyset pages)

    async def list_inquiries(
        self,
        store: Store,
        rng: DateRange,
        *,
        filters: Filters,
        order_status: str | None = None,
        exception_reason: str | None = None,
        weekday: int | None = None,
        hour: int | None = None,
        repeat: bool | None = None,
        resolved: bool | None = None,
        rating: int | None = None,
        cursor: str | None = None,
        limit: int = 50,
    ) -> InquiryPage:
        t = OrderInquiry
        stmt = select(t).where(t.store_id == store.id, t.local_date.between(rng.start, rng.end))
        stmt = stmt.where(*filters.conditions(t))
        for column, value in (
            (t.order_status, order_status),
            (t.exception_reason, exception_reason),
            (t.local_weekday, weekday),
            (t.local_hour, hour),
            (t.is_repeat, repeat),
            (t.resolved, resolved),
            (t.satisfaction_rating, rating),
        ):
            if value is not None:
                stmt = stmt.where(column == value)
        rows = list(await self.db.scalars(newest_first(stmt, t.created_at, t.id, cursor, limit)))
        page, next_cursor = page_of(rows, limit, lambda r: (r.created_at, r.id))
        return InquiryPage(
            items=[
                InquiryRow(
                    id=r.id,
                    created_at=r.created_at,
                    local_date=r.local_date,
                    order_number=r.order_number,
                    inquiry_type=r.inquiry_type,
                    order_status=r.order_status,
                    exception_reason=r.exception_reason,
                    channel=r.channel,
                    carrier=r.carrier,
                    is_repeat=r.is_repeat,
                    resolved=r.resolved,
                    resolution_seconds=r.resolution_seconds,
                    first_response_seconds=(
                        round((r.first_response_at - r.created_at).total_seconds())
                        if r.first_response_at
                        else None
                    ),
                    resolution_business_seconds=r.resolution_business_seconds,
                    first_response_business_seconds=r.first_response_business_seconds,
                    escalated=r.escalated,
                    rating=r.satisfaction_rating,
                )
                for r in page
            ],
            next_cursor=next_cursor,
        )

    async def list_shipments(
        self,
        store: Store,
        rng: DateRange,
        *,
        carrier: str | None = None,
        status: str | None = None,
        exception_reason: str | None = None,
        had_exception: bool | None = None,
        basis: str = "shipped",
        cursor: str | None = None,
        limit: int = 50,
    ) -> ShipmentPage:
        s, o = Shipment, Order
        day_column = s.delivered_local_date if basis == "delivered" else s.shipped_local_date
        stmt = (
            select(s, o.order_number)
            .join(o, and_(o.store_id == s.store_id, o.id == s.order_id))
            .where(s.store_id == store.id, day_column.between(rng.start, rng.end))
        )
        for column, value in (
            (s.carrier, carrier),
            (s.status, status),
            (s.exception_reason, exception_reason),
            (s.had_exception, had_exception),
        ):
            if value is not None:
                stmt = stmt.where(column == value)
        rows = (await self.db.execute(newest_first(stmt, s.shipped_at, s.id, cursor, limit))).all()
        page, next_cursor = page_of(rows, limit, lambda r: (r[0].shipped_at, r[0].id))
        return ShipmentPage(
            items=[
                ShipmentRow(
                    id=sh.id,
                    order_number=number,
                    carrier=sh.carrier,
                    tracking_number=sh.tracking_number,
                    status=sh.status,
                    shipped_at=sh.shipped_at,
                    shipped_local_date=sh.shipped_local_date,
                    delivered_at=sh.delivered_at,
                    estimated_delivery=sh.estimated_delivery,
                    original_estimated_delivery=sh.original_estimated_delivery,
                    exception_reason=sh.exception_reason,
                    had_exception=sh.had_exception,
                )
                for sh, number in page
            ],
            next_cursor=next_cursor,
        )


__all__ = ["DateRange", "Filters", "WISMOAnalyticsService", "resolve_range"]
