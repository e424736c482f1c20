"""Analytics responses (DESIGN 6). Rates are fractions in [0, 1], durations seconds."""

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from app.analytics.metrics import Good, Unit
from app.core.schemas import CamelResponse

GroupBy = Literal["day", "week", "month"]
NamedRange = Literal["7d", "30d", "90d", "custom"]


class RangeOut(CamelResponse):
    start: date
    end: date
    timezone: str
    previous_start: date
    previous_end: date


class MetricValue(CamelResponse):
    value: int | float | None = Field(description="counts are integers; ratios are fractions")
    previous: int | float | None
    change_pct: float | None = Field(description="(value - previous) / previous x 100")


class Overview(CamelResponse):
    range: RangeOut
    total_inquiries: MetricValue
    total_orders: MetricValue
    inquiry_rate: MetricValue
    repeat_inquiry_rate: MetricValue
    avg_resolution_seconds: MetricValue
    first_contact_resolution_rate: MetricValue
    avg_first_response_seconds: MetricValue
    avg_resolution_business_seconds: MetricValue = Field(
        description="in the store's opening hours; null until it has business hours"
    )
    avg_first_response_business_seconds: MetricValue
    satisfaction_score: MetricValue
    csat: MetricValue
    customer_effort_score: MetricValue
    avg_time_to_ship_seconds: MetricValue
    on_time_delivery_rate: MetricValue
    exception_rate: MetricValue


class ShareItem(CamelResponse):
    key: str
    count: int
    share: float | None


class PeakHourCell(CamelResponse):
    weekday: int = Field(ge=0, le=6, description="0 = Monday")
    hour: int = Field(ge=0, le=23)
    count: int


class DurationStats(CamelResponse):
    """Mean is exact; median and p90 come from log-spaced histograms and are within 4.9%
    of the exact nearest-rank value."""

    count: int
    mean: float | None
    median: float | None
    p90: float | None


class InquirySeriesPoint(CamelResponse):
    date: date
    inquiries: int
    orders: int
    inquiry_rate: float | None
    repeat_inquiries: int
    resolved: int


class InquiryTrends(CamelResponse):
    range: RangeOut
    group_by: GroupBy
    series: list[InquirySeriesPoint]
    by_type: list[ShareItem]
    by_order_status: list[ShareItem]
    by_channel: list[ShareItem]
    by_exception_reason: list[ShareItem] = Field(
        description="inquiries about an order in exception, by the exception's cause (share of "
        "those inquiries)"
    )
    peak_hours: list[PeakHourCell]
    resolution_time: DurationStats
    first_response_time: DurationStats
    resolution_business_time: DurationStats = Field(
        description="the same in the store's opening hours (inquiries since it set them)"
    )
    first_response_business_time: DurationStats


class Stages(CamelResponse):
    processing: DurationStats = Field(description="order created -> shipped")
    pickup: DurationStats = Field(description="shipped -> first carrier scan")
    transit: DurationStats = Field(description="first carrier scan -> delivered")


class CarrierRow(CamelResponse):
    carrier: str
    shipped: int
    delivered: int
    on_time_rate: float | None
    avg_transit_seconds: float | None
    exception_rate: float | None
    inquiries: int
    inquiries_per_shipment: float | None
    stages: Stages


class FulfillmentSeriesPoint(CamelResponse):
    date: date
    shipped: int
    delivered: int
    avg_time_to_ship_seconds: float | None
    on_time_rate: float | None
    exception_rate: float | None


class FulfillmentMetrics(CamelResponse):
    range: RangeOut
    group_by: GroupBy
    avg_time_to_ship_seconds: float | None
    on_time_delivery_rate: float | None
    avg_transit_seconds: float | None
    exception_rate: float | None
    shipped: int
    delivered: int
    previous: dict[str, MetricValue] = Field(
        description="each headline figure (camelCase registry slug) against the previous period"
    )
    stages: Stages
    carriers: list[CarrierRow]
    exceptions: list[ShareItem]
    series: list[FulfillmentSeriesPoint]


class SatisfactionSeriesPoint(CamelResponse):
    date: date
    rating_count: int
    satisfaction_score: float | None
    csat: float | None


class RatingCount(CamelResponse):
    rating: int
    count: int


class ResolutionBucket(CamelResponse):
    label: str
    count: int
    satisfaction_score: float | None


class DriverRow(CamelResponse):
    key: str
    rating_count: int
    satisfaction_score: float | None
    csat: float | None


class Drivers(CamelResponse):
    inquiry_type: list[DriverRow]
    carrier: list[DriverRow]
    order_status: list[DriverRow]


class RollingSatisfaction(CamelResponse):
    """The satisfaction figures of the `days` local days ending on the range's last day,
    each against the `days` days before them."""

    days: int
    rating_count: MetricValue
    satisfaction_score: MetricValue
    csat: MetricValue
    customer_effort_score: MetricValue


class SatisfactionMetrics(CamelResponse):
    range: RangeOut
    group_by: GroupBy
    satisfaction_score: float | None
    csat: float | None
    customer_effort_score: float | None
    rating_count: int
    series: list[SatisfactionSeriesPoint]
    distribution: list[RatingCount]
    resolution_buckets: list[ResolutionBucket]
    resolution_correlation: float | None = Field(
        description="Pearson correlation of rating with the resolution-time band (ordinal)"
    )
    drivers: Drivers
    rolling7: RollingSatisfaction
    rolling30: RollingSatisfaction


class InquiryRow(CamelResponse):
    id: uuid.UUID
    created_at: datetime
    local_date: date
    order_number: str | None
    inquiry_type: str
    order_status: str | None
    exception_reason: str | None
    channel: str
    carrier: str | None
    is_repeat: bool
    resolved: bool
    resolution_seconds: int | None
    first_response_seconds: int | None
    resolution_business_seconds: int | None
    first_response_business_seconds: int | None
    escalated: bool
    rating: int | None


class InquiryPage(CamelResponse):
    items: list[InquiryRow]
    next_cursor: str | None


class ShipmentRow(CamelResponse):
    id: uuid.UUID
    order_number: str
    carrier: str
    tracking_number: str
    status: str
    shipped_at: datetime
    shipped_local_date: date
    delivered_at: datetime | None
    estimated_delivery: date | None
    original_estimated_delivery: date | None
    exception_reason: str | None
    had_exception: bool


class ShipmentPage(CamelResponse):
    items: list[ShipmentRow]
    next_cursor: str | None


class TimelineEvent(CamelResponse):
    id: str
    timestamp: datetime
    type: Literal["order", "fulfillment", "tracking", "inquiry", "delivery"]
    title: str
    description: str
    location: str | None = None
    status: Literal["completed", "in_progress", "pending", "exception"]
    data: dict[str, Any] = Field(default_factory=dict)


class OrderTimeline(CamelResponse):
    order_number: str
    status: str
    created_at: datetime
    customer_name: str | None
    estimated_delivery: date | None
    original_estimated_delivery: date | None
    promised_delivery_date: date | None
    delivered_at: datetime | None
    delivered_on_time: bool | None
    events: list[TimelineEvent]


class MetricDefinition(CamelResponse):
    slug: str = Field(description="the snake_case key; the API's field is its camelCase form")
    key: str = Field(description="the field name in API responses (camelCase)")
    label: str
    unit: Unit
    good: Good = Field(description="which way is an improvement")
    numerator: str = Field(description="the rollup counter summed over the period")
    denominator: str | None = Field(description="the rollup counter it is divided by, if any")
    scale: list[int] | None = Field(description="a score's range, e.g. [1, 5]")
    description: str
