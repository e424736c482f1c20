"""yearly rollups

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02

`wismo_yearly_dimension_metrics` and `wismo_yearly_histograms`: the per-dimension and
histogram rollups summed by calendar year (`year` = its first day), so a range covering most
of a year reads the year less its months outside the range. Filled here from the monthly
rows; from then on every write adds to them in the same transaction.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
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
        "wismo_yearly_dimension_metrics",
        _store(),
        sa.Column("year", sa.Date(), nullable=False),
        sa.Column("dimension", sa.String(32), nullable=False),
        sa.Column("key", sa.String(100), nullable=False),
        *(_counter(c) for c in COUNTERS),
        sa.PrimaryKeyConstraint("store_id", "dimension", "year", "key"),
    )
    op.create_table(
        "wismo_yearly_histograms",
        _store(),
        sa.Column("year", sa.Date(), nullable=False),
        sa.Column("metric", sa.String(32), nullable=False),
        sa.Column("segment", sa.String(120), nullable=False),
        sa.Column("bucket", sa.SmallInteger(), nullable=False),
        _counter("count"),
        sa.PrimaryKeyConstraint("store_id", "metric", "segment", "year", "bucket"),
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    year = "date_trunc('year', month)::date" if postgres else "date(month, 'start of year')"
    sums = ", ".join(f"sum({c})" for c in COUNTERS)
    op.execute(
        f"INSERT INTO wismo_yearly_dimension_metrics "
        f"(store_id, year, dimension, key, {', '.join(COUNTERS)}) "
        f"SELECT store_id, {year}, dimension, key, {sums} "
        f"FROM wismo_monthly_dimension_metrics GROUP BY store_id, {year}, dimension, key"
    )
    op.execute(
        f"INSERT INTO wismo_yearly_histograms (store_id, year, metric, segment, bucket, count) "
        f"SELECT store_id, {year}, metric, segment, bucket, sum(count) "
        f"FROM wismo_monthly_histograms GROUP BY store_id, {year}, metric, segment, bucket"
    )


def downgrade() -> None:
    op.drop_table("wismo_yearly_histograms")
    op.drop_table("wismo_yearly_dimension_metrics")
