"""Inquiry facts, satisfaction, insights, alerts and the daily rollups the dashboard reads."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    Numeric,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base
from app.db.types import UTCDateTime
from app.models.common import StoreScoped, utcnow


class OrderInquiry(StoreScoped, Base):
    __tablename__ = "order_inquiries"

    conversation_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    order_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    order_number: Mapped[str | None] = mapped_column(String(100))
    customer_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    external_id: Mapped[str | None] = mapped_column(String(200))  # helpdesk id: idempotent backfill
    inquiry_type: Mapped[str] = mapped_column(String(16))
    order_status: Mapped[str | None] = mapped_column(String(32))  # at the time of the inquiry
    channel: Mapped[str] = mapped_column(String(16), default="chat")
    carrier: Mapped[str | None] = mapped_column(String(64))  # order's latest shipment at that time
    # Why the order was in `exception` at that time (None for any other status).
    exception_reason: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    local_date: Mapped[date] = mapped_column(Date)
    local_hour: Mapped[int] = mapped_column(SmallInteger)
    local_weekday: Mapped[int] = mapped_column(SmallInteger)  # 0 = Monday
    is_repeat: Mapped[bool] = mapped_column(Boolean, default=False)
    # A later inquiry on the same order/customer followed within 7 days (spoils first contact).
    followed_up: Mapped[bool] = mapped_column(Boolean, default=False)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution_seconds: Mapped[int | None] = mapped_column(BigInteger)
    # The same two durations counted in the store's opening hours (None: no schedule yet).
    first_response_business_seconds: Mapped[int | None] = mapped_column(BigInteger)
    resolution_business_seconds: Mapped[int | None] = mapped_column(BigInteger)
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    customer_satisfied: Mapped[bool | None] = mapped_column(Boolean)
    satisfaction_rating: Mapped[int | None] = mapped_column(SmallInteger)
    effort_score: Mapped[int | None] = mapped_column(SmallInteger)
    feedback_text: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("store_id", "external_id"),
        ForeignKeyConstraint(
            ["store_id", "order_id"], ["orders.store_id", "orders.id"], ondelete="SET NULL"
        ),
        ForeignKeyConstraint(
            ["store_id", "conversation_id"],
            ["conversations.store_id", "conversations.id"],
            ondelete="SET NULL",
        ),
        Index("ix_order_inquiries_store_date", "store_id", "local_date"),
        Index("ix_order_inquiries_store_created", "store_id", "created_at", "id"),
        Index("ix_order_inquiries_store_order", "store_id", "order_id", "created_at"),
        Index("ix_order_inquiries_store_customer", "store_id", "customer_id", "created_at"),
        Index("ix_order_inquiries_store_conversation", "store_id", "conversation_id"),
    )


class SatisfactionFeedback(StoreScoped, Base):
    __tablename__ = "satisfaction_feedback"

    inquiry_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    rating: Mapped[int] = mapped_column(SmallInteger)
    effort_score: Mapped[int | None] = mapped_column(SmallInteger)
    feedback: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("store_id", "inquiry_id"),
        ForeignKeyConstraint(
            ["store_id", "inquiry_id"],
            ["order_inquiries.store_id", "order_inquiries.id"],
            ondelete="CASCADE",
        ),
    )


class Insight(StoreScoped, Base):
    __tablename__ = "insights"

    generated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    range_start: Mapped[date] = mapped_column(Date)
    range_end: Mapped[date] = mapped_column(Date)
    type: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    recommendation: Mapped[str] = mapped_column(Text)
    impact: Mapped[str] = mapped_column(String(8))
    data_points: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    kind: Mapped[str] = mapped_column(String(32), default="", server_default="")  # detector
    rank: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")

    __table_args__ = (Index("ix_insights_store_generated", "store_id", "generated_at"),)


class Alert(StoreScoped, Base):
    __tablename__ = "alerts"

    kind: Mapped[str] = mapped_column(String(32))  # inquiry_spike | low_satisfaction | ...
    cause_key: Mapped[str] = mapped_column(String(200))
    severity: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivery_attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Webhook delivery: when the next attempt is due (NULL = now) and the last failure.
    next_delivery_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivery_error: Mapped[str | None] = mapped_column(String(500))
    # False when the store chose not to send this kind of alert to its webhook.
    webhook_wanted: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    __table_args__ = (
        Index("ix_alerts_store_created", "store_id", "created_at"),
        # One open alert per cause.
        Index(
            "uq_alerts_open_cause",
            "store_id",
            "kind",
            "cause_key",
            unique=True,
            postgresql_where=text("acknowledged_at IS NULL"),
            sqlite_where=text("acknowledged_at IS NULL"),
        ),
    )


def _counter() -> Mapped[int]:
    return mapped_column(BigInteger, default=0, server_default="0", nullable=False)


class RollupCounters:
    """Additive counters only: sums and counts, never averages, so any range aggregates exactly.

    Durations are whole seconds. Inquiry counters are filed under the inquiry's local date;
    shipment counters under the shipped local date, delivery counters under the delivered one.
    """

    total_inquiries: Mapped[int] = _counter()
    repeat_inquiries: Mapped[int] = _counter()
    resolved_inquiries: Mapped[int] = _counter()
    resolution_seconds_sum: Mapped[int] = _counter()
    first_contact_resolved: Mapped[int] = _counter()
    escalated_inquiries: Mapped[int] = _counter()
    first_response_count: Mapped[int] = _counter()
    first_response_seconds_sum: Mapped[int] = _counter()
    # In the store's opening hours, over the inquiries measured with a schedule.
    resolution_business_count: Mapped[int] = _counter()
    resolution_business_seconds_sum: Mapped[int] = _counter()
    first_response_business_count: Mapped[int] = _counter()
    first_response_business_seconds_sum: Mapped[int] = _counter()
    rating_count: Mapped[int] = _counter()
    rating_sum: Mapped[int] = _counter()
    satisfied_count: Mapped[int] = _counter()
    effort_count: Mapped[int] = _counter()
    effort_sum: Mapped[int] = _counter()
    shipments_shipped: Mapped[int] = _counter()
    time_to_ship_count: Mapped[int] = _counter()
    time_to_ship_seconds_sum: Mapped[int] = _counter()
    pickup_count: Mapped[int] = _counter()
    pickup_seconds_sum: Mapped[int] = _counter()
    shipments_with_exception: Mapped[int] = _counter()
    shipments_delivered: Mapped[int] = _counter()
    delivered_with_estimate: Mapped[int] = _counter()
    delivered_on_time: Mapped[int] = _counter()
    transit_seconds_sum: Mapped[int] = _counter()
    carrier_transit_count: Mapped[int] = _counter()
    carrier_transit_seconds_sum: Mapped[int] = _counter()


class WismoDailyMetrics(RollupCounters, Base):
    __tablename__ = "wismo_daily_metrics"

    store_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("stores.id", ondelete="CASCADE"), primary_key=True
    )
    date: Mapped[date] = mapped_column(Date, primary_key=True)
    total_orders: Mapped[int] = _counter()
    # Derived columns kept for the brief's readers; the API computes from the counters.
    inquiry_rate: Mapped[Decimal | None] = mapped_column(Numeric(10, 4))
    avg_resolution_time: Mapped[float | None] = mapped_column(Float)  # seconds
    satisfaction_score: Mapped[Decimal | None] = mapped_column(Numeric(3, 2))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class WismoDailyDimensionMetrics(RollupCounters, Base):
    """The same counters split by a dimension: inquiry_type, order_status, channel, carrier,
    exception_reason, hour_of_week (key "weekday:hour", weekday 0 = Monday), rating ("1".."5"),
    resolution_rating ("band:rating"), and pairs "filter+dimension" (key "fkey|key") so a
    summary filtered by channel, carrier or inquiry type still reads only rollups."""

    __tablename__ = "wismo_daily_dimension_metrics"

    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stores.id", ondelete="CASCADE"))
    date: Mapped[date] = mapped_column(Date)
    dimension: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(100))

    # Reads take one dimension over a date range (breakdowns), or one key over a date range
    # (a filtered series): both are contiguous index ranges.
    __table_args__ = (
        PrimaryKeyConstraint("store_id", "dimension", "date", "key"),
        Index("ix_wismo_daily_dimension_metrics_key", "store_id", "dimension", "key", "date"),
    )


class WismoDailyHistogram(Base):
    """Log-spaced duration histograms per day and segment: "" for all, or "dimension=key"
    (carrier=UPS, channel=email, inquiry_type=status) for the filtered views."""

    __tablename__ = "wismo_daily_histograms"

    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stores.id", ondelete="CASCADE"))
    date: Mapped[date] = mapped_column(Date)
    metric: Mapped[str] = mapped_column(String(32))
    segment: Mapped[str] = mapped_column(String(120))
    bucket: Mapped[int] = mapped_column(SmallInteger)
    count: Mapped[int] = _counter()

    # A read takes one metric of one segment (or a segment prefix) over a date range.
    __table_args__ = (PrimaryKeyConstraint("store_id", "metric", "segment", "date", "bucket"),)


class WismoMonthlyDimensionMetrics(RollupCounters, Base):
    """The per-dimension rows summed by calendar month (`month` is its first day), written in
    the same transaction as the daily rows: a long range reads its whole months here and only
    its partial months from the daily rows (12 rows a year per key instead of 365)."""

    __tablename__ = "wismo_monthly_dimension_metrics"

    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stores.id", ondelete="CASCADE"))
    month: Mapped[date] = mapped_column(Date)
    dimension: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(100))

    __table_args__ = (PrimaryKeyConstraint("store_id", "dimension", "month", "key"),)


class WismoMonthlyHistogram(Base):
    """The duration histograms summed by calendar month, as the dimension rows above."""

    __tablename__ = "wismo_monthly_histograms"

    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stores.id", ondelete="CASCADE"))
    month: Mapped[date] = mapped_column(Date)
    metric: Mapped[str] = mapped_column(String(32))
    segment: Mapped[str] = mapped_column(String(120))
    bucket: Mapped[int] = mapped_column(SmallInteger)
    count: Mapped[int] = _counter()

    __table_args__ = (PrimaryKeyConstraint("store_id", "metric", "segment", "month", "bucket"),)


class WismoYearlyHistogram(Base):
    """The duration histograms summed by calendar year (`year` is its first day), written in
    the same transaction as the monthly rows: a range covering most of a year reads the year
    less its months outside the range (a year's rows instead of twelve months'). Only the
    histograms have them: a year of histogram rows is the most a dashboard page reads, while
    a year of dimension rows costs little to sum and would add a statement to every write."""

    __tablename__ = "wismo_yearly_histograms"

    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stores.id", ondelete="CASCADE"))
    year: Mapped[date] = mapped_column(Date)
    metric: Mapped[str] = mapped_column(String(32))
    segment: Mapped[str] = mapped_column(String(120))
    bucket: Mapped[int] = mapped_column(SmallInteger)
    count: Mapped[int] = _counter()

    __table_args__ = (PrimaryKeyConstraint("store_id", "metric", "segment", "year", "bucket"),)
