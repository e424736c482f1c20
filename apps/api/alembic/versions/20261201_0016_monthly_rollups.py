"""monthly rollups

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01

`wismo_monthly_dimension_metrics` and `wismo_monthly_histograms`: the per-dimension and
histogram rollups summed by calendar month (`month` = its first day), so long ranges read
twelve rows a year per key. Filled here from the daily rows; from then on every write adds to
both in one transaction.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTERS = (
    "total_inquiries", "repeat_inquiries", "resolved_inquiries", "resolution_seconds_sum",
    "first_contact_resolved", "escalated_inquiries", "first_response_count",
    "first_response_seconds_sum", "resolution_business_count", "resolution_business_seconds_sum",
    "first_response_business_count", "first_response_business_seconds_sum", "rating_count",
    "rating_sum", "satisfied_count", "effort_count", "effort_sum", "shipments_shipped",
    "time_to_ship_count", "time_to_ship_seconds_sum", "pickup_count", "pickup_seconds_sum",
    "shipments_with_exception", "shipments_delivered", "delivered_with_estimate",
    "delivered_on_time", "transit_seconds_sum", "carrier_transit_count",
    "carrier_transit_seconds_sum",
)  # fmt: skip


def _counter(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.BigInteger(), nullable=False, server_default="0")


def _store() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        "store_id", sa.Uuid(), sa.ForeignKey("stores.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "wismo_monthly_dimension_metrics",
        _store(),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("dimension", sa.String(32), nullable=False),
        sa.Column("key", sa.String(100), nullable=False),
        *(_counter(c) for c in COUNTERS),
        sa.PrimaryKeyConstraint("store_id", "dimension", "month", "key"),
    )
    op.create_table(
        "wismo_monthly_histograms",
        _store(),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("metric", sa.String(32), nullable=False),
        sa.Column("segment", sa.String(120), nullable=False),
        sa.Column("bucket", sa.SmallInteger(), nullable=False),
        _counter("count"),
        sa.PrimaryKeyConstraint("store_id", "metric", "segment", "month", "bucket"),
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    month = "date_trunc('month', date)::date" if postgres else "date(date, 'start of month')"
    sums = ", ".join(f"sum({c})" for c in COUNTERS)
    op.execute(
        f"INSERT INTO wismo_monthly_dimension_metrics "
        f"(store_id, month, dimension, key, {', '.join(COUNTERS)}) "
        f"SELECT store_id, {month}, dimension, key, {sums} "
        f"FROM wismo_daily_dimension_metrics GROUP BY store_id, {month}, dimension, key"
    )
    op.execute(
        f"INSERT INTO wismo_monthly_histograms (store_id, month, metric, segment, bucket, count) "
        f"SELECT store_id, {month}, metric, segment, bucket, sum(count) "
        f"FROM wismo_daily_histograms GROUP BY store_id, {month}, metric, segment, bucket"
    )


def downgrade() -> None:
    op.drop_table("wismo_monthly_histograms")
    op.drop_table("wismo_monthly_dimension_metrics")
