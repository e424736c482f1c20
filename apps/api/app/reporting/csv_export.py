"""CSV exports (DESIGN 6: `GET /analytics/wismo/export.csv?dataset=daily|inquiries|carriers`).

- `daily`: one row per local date of the range, every figure computed from the rollups by the
  metric registry (`app.analytics.metrics`), under the same
  single filter (channel, carrier or inquiry type) as the summaries.
- `inquiries`: every inquiry of the range with the drill-down filters, oldest first, read in
  keyset pages of `PAGE_SIZE` rows (no OFFSET, no ORM objects, no long-lived cursor or
  transaction), each page on a short session of its own that gives its connection back to the
  pool before the page is sent, so memory and connections stay constant however many rows
  there are and however slowly the client reads. No customer PII and no feedback text.
- `carriers`: the per-carrier table of the fulfillment summary (stage medians and p90 are the
  histogram estimates the API returns, within 4.9%, in whole seconds).

Format: UTF-8, a header row, RFC 4180 (the csv module's `excel` dialect: CRLF line ends,
quotes doubled). Rates are fractions in [0, 1], durations seconds, scores on their own scale,
timestamps UTC ISO 8601 with `Z`, booleans `true`/`false`, missing values empty.

Formula injection (CWE-1236): a text cell that begins with `=`, `+`, `-`, `@`, a tab or a
carriage return is prefixed with a single quote, so a spreadsheet shows it as text instead of
evaluating it (`=HYPERLINK(...)` -> `'=HYPERLINK(...)`, order number `-2+3` -> `'-2+3`).
Numbers are written as numbers and never prefixed: no exported metric can be negative, and
every number comes from our own arithmetic, not from user input. Every value that is text in
the database (order numbers, carriers, even vocabulary columns) counts as text.
"""

import csv
import io
import uuid
from collections import Counter
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.analytics import repository
from app.analytics.metrics import OVERVIEW, evaluate_many
from app.analytics.service import DateRange, Filters, WISMOAnalyticsService
from app.core.errors import ValidationError
from app.models import OrderInquiry, Store

Dataset = Literal["daily", "inquiries", "carriers"]
DATASETS: tuple[Dataset, ...] = ("daily", "inquiries", "carriers")
PAGE_SIZE = 1000
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# local_date is authoritative; these UTC bounds only let the (store_id, created_at, id) index
# start and stop near the range. Any UTC offset is within +-14 h, so 2 days is always enough.
UTC_MARGIN = timedelta(days=2)

Cell = str | int | float | bool | date | datetime | uuid.UUID | None

DAILY_COLUMNS = (
    "date",
    "orders",
    "inquiries",
    "inquiry_rate",
    "repeat_inquiries",
    "resolved_inquiries",
    "avg_resolution_seconds",
    "first_contact_resolution_rate",
    "avg_first_response_seconds",
    "satisfaction_score",
    "csat",
    "customer_effort_score",
    "shipments_shipped",
    "avg_time_to_ship_seconds",
    "shipments_delivered",
    "on_time_delivery_rate",
    "exception_rate",
)
INQUIRY_COLUMNS = (
    "id",
    "created_at",
    "local_date",
    "order_number",
    "inquiry_type",
    "order_status",
    "channel",
    "carrier",
    "is_repeat",
    "resolved",
    "resolution_seconds",
    "first_response_seconds",
    "escalated",
    "rating",
    "effort",
)
CARRIER_COLUMNS = (
    "carrier",
    "shipped",
    "delivered",
    "on_time_rate",
    "avg_transit_seconds",
    "exception_rate",
    "inquiries",
    "inquiries_per_shipment",
    "processing_mean_seconds",
    "processing_median_seconds",
    "pickup_mean_seconds",
    "pickup_median_seconds",
    "carrier_transit_mean_seconds",
    "carrier_transit_median_seconds",
    "carrier_transit_p90_seconds",
)


def csv_cell(value: Cell) -> str | int | float:
    """One value as the csv module should write it (see the module docstring for the rule)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


async def encode_csv(
    header: Sequence[str], pages: AsyncIterable[Iterable[Sequence[Cell]]]
) -> AsyncIterator[bytes]:
    """The header, then one UTF-8 chunk per page of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # excel dialect: CRLF, minimal quoting (RFC 4180)
    writer.writerow(header)
    yield buffer.getvalue().encode("utf-8")
    async for page in pages:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([csv_cell(v) for v in row] for row in page)
        chunk = buffer.getvalue()
        if chunk:
            yield chunk.encode("utf-8")


def _estimate(seconds: float | None) -> int | None:
    """Medians and p90 come from log-spaced histograms (within 4.9%): whole seconds."""
    return None if seconds is None else round(seconds)


async def _one_page(rows: list[list[Cell]]) -> AsyncIterator[list[list[Cell]]]:
    yield rows


@dataclass(frozen=True)
class InquiryFilters:
    """The drill-down filters that only the inquiries dataset takes (besides `Filters`)."""

    order_status: str | None = None
    weekday: int | None = None
    hour: int | None = None
    repeat: bool | None = None
    resolved: bool | None = None
    rating: int | None = None

    def given(self) -> list[str]:
        return [f.name for f in fields(self) if getattr(self, f.name) is not None]


@dataclass(frozen=True)
class CsvExport:
    filename: str
    header: tuple[str, ...]
    chunks: AsyncIterator[bytes]


def export_filename(dataset: str, rng: DateRange, extension: str = "csv") -> str:
    return f"wismo-{dataset}-{rng.start.isoformat()}-{rng.end.isoformat()}.{extension}"


class CsvExportService:
    def __init__(self, db: AsyncSession, *, page_size: int | None = None) -> None:
        self.db = db
        self.analytics = WISMOAnalyticsService(db)
        self.page_size = page_size or PAGE_SIZE

    async def export(
        self,
        store: Store,
        rng: DateRange,
        dataset: str,
        filters: Filters,
        drill: InquiryFilters | None = None,
    ) -> CsvExport:
        """Validate and prepare an export. Summary datasets (a few hundred rows at most) are
        computed now, on the request's session, so an error is still a problem+json answer;
        the inquiries are read page by page while the response is being sent."""
        drill = drill or InquiryFilters()
        if dataset not in DATASETS:
            raise ValidationError(f"dataset must be one of {', '.join(DATASETS)}")
        filename = export_filename(dataset, rng)
        if dataset == "inquiries":
            pages = self.inquiry_pages(store.id, rng, filters, drill)
            return CsvExport(filename, INQUIRY_COLUMNS, encode_csv(INQUIRY_COLUMNS, pages))
        if drill.given():
            raise ValidationError(
                f"{', '.join(drill.given())} only apply to dataset=inquiries"
                " (the summaries take one of channel, carrier, inquiry_type)"
            )
        header: tuple[str, ...]
        if dataset == "daily":
            rows = await self.daily_rows(store, rng, filters)
            header = DAILY_COLUMNS
        else:
            rows = await self.carrier_rows(store, rng, filters)
            header = CARRIER_COLUMNS
        return CsvExport(filename, header, encode_csv(header, _one_page(rows)))

    # -- summaries, from the rollups

    async def daily_rows(self, store: Store, rng: DateRange, filters: Filters) -> list[list[Cell]]:
        filt = filters.single()
        days = (await repository.by_date(self.db, store.id, rng.start, rng.end, filt)).counters()
        rows: list[list[Cell]] = []
        for i in range(rng.days):
            day = rng.start + timedelta(days=i)
            c = days.get(day) or Counter()
            v = evaluate_many(OVERVIEW, c)
            rows.append(
                [
                    day,
                    c["total_orders"],
                    c["total_inquiries"],
                    v["inquiry_rate"],
                    c["repeat_inquiries"],
                    c["resolved_inquiries"],
                    v["avg_resolution_seconds"],
                    v["first_contact_resolution_rate"],
                    v["avg_first_response_seconds"],
                    v["satisfaction_score"],
                    v["csat"],
                    v["customer_effort_score"],
                    c["shipments_shipped"],
                    v["avg_time_to_ship_seconds"],
                    c["shipments_delivered"],
                    v["on_time_delivery_rate"],
                    v["exception_rate"],
                ]
            )
        return rows

    async def carrier_rows(
        self, store: Store, rng: DateRange, filters: Filters
    ) -> list[list[Cell]]:
        table = await self.analytics.get_fulfillment_insights(store, rng, "day", filters)
        return [
            [
                r.carrier,
                r.shipped,
                r.delivered,
                r.on_time_rate,
                r.avg_transit_seconds,
                r.exception_rate,
                r.inquiries,
                r.inquiries_per_shipment,
                r.stages.processing.mean,
                _estimate(r.stages.processing.median),
                r.stages.pickup.mean,
                _estimate(r.stages.pickup.median),
                r.stages.transit.mean,
                _estimate(r.stages.transit.median),
                _estimate(r.stages.transit.p90),
            ]
            for r in table.carriers
        ]

    # -- inquiries, from the fact table in keyset pages

    def _page_session(self) -> AsyncSession:
        """A short session on the request session's bind (the engine in production; the
        test's connection under test), used for one page and closed before it is sent."""
        bind = self.db.bind
        if bind is None:
            raise RuntimeError("the export needs a session bound to an engine or connection")
        return AsyncSession(
            bind=bind, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )

    async def inquiry_pages(
        self, store_id: uuid.UUID, rng: DateRange, filters: Filters, drill: InquiryFilters
    ) -> AsyncIterator[list[list[Cell]]]:
        t = OrderInquiry
        criteria: list[Any] = [
            t.store_id == store_id,
            t.local_date.between(rng.start, rng.end),
            t.created_at >= datetime.combine(rng.start, time.min, UTC) - UTC_MARGIN,
            t.created_at < datetime.combine(rng.end, time.min, UTC) + UTC_MARGIN + timedelta(1),
        ]
        criteria += filters.conditions(t)
        for column, value in (
            (t.order_status, drill.order_status),
            (t.local_weekday, drill.weekday),
            (t.local_hour, drill.hour),
            (t.is_repeat, drill.repeat),
            (t.resolved, drill.resolved),
            (t.satisfaction_rating, drill.rating),
        ):
            if value is not None:
                criteria.append(column == value)
        base = select(
            t.id,
            t.created_at,
            t.local_date,
            t.order_number,
            t.inquiry_type,
            t.order_status,
            t.channel,
            t.carrier,
            t.is_repeat,
            t.resolved,
            t.resolution_seconds,
            t.first_response_at,
            t.escalated,
            t.satisfaction_rating,
            t.effort_score,
        ).where(*criteria)
        after: tuple[datetime, uuid.UUID] | None = None
        while True:
            stmt = base
            if after is not None:
                at, last_id = after
                # `created_at >= at` bounds the index scan; the OR picks up where we stopped.
                stmt = stmt.where(t.created_at >= at, or_(t.created_at > at, t.id > last_id))
            stmt = stmt.order_by(t.created_at, t.id).limit(self.page_size)
            async with self._page_session() as page_session:
                rows = (await page_session.execute(stmt)).all()
            if not rows:
                return
            page: list[list[Cell]] = []
            for r in rows:
                first_response = (
                    round((r.first_response_at - r.created_at).total_seconds())
                    if r.first_response_at is not None
                    else None
                )
                page.append(
                    [
                        r.id,
                        r.created_at,
                        r.local_date,
                        r.order_number,
                        r.inquiry_type,
                        r.order_status,
                        r.channel,
                        r.carrier,
                        r.is_repeat,
                        r.resolved,
                        r.resolution_seconds,
                        first_response,
                        r.escalated,
                        r.satisfaction_rating,
                        r.effort_score,
                    ]
                )
            yield page
            if len(rows) < self.page_size:
                return
            after = (rows[-1].created_at, rows[-1].id)


__all__ = [
    "DATASETS",
    "CsvExport",
    "CsvExportService",
    "Dataset",
    "InquiryFilters",
    "csv_cell",
    "export_filename",
]
