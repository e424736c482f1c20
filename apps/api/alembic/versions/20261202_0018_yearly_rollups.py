"""yearly rollups

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02

`wismo_yearly_histograms`: the duration histograms summed by calendar year (`year` = its
first day), so a range covering most of a year reads the year less its months outside the
range. Filled here from the monthly rows; from then on every write adds to them in the same
transaction.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "wismo_yearly_histograms",
        sa.Column(
            "store_id", sa.Uuid(), sa.ForeignKey("stores.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("year", sa.Date(), nullable=False),
        sa.Column("metric", sa.String(32), nullable=False),
        sa.Column("segment", sa.String(120), nullable=False),
        sa.Column("bucket", sa.SmallInteger(), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("store_id", "metric", "segment", "year", "bucket"),
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    year = "date_trunc('year', month)::date" if postgres else "date(month, 'start of year')"
    op.execute(
        f"INSERT INTO wismo_yearly_histograms (store_id, year, metric, segment, bucket, count) "
        f"SELECT store_id, {year}, metric, segment, bucket, sum(count) "
        f"FROM wismo_monthly_histograms GROUP BY store_id, {year}, metric, segment, bucket"
    )


def downgrade() -> None:
    op.drop_table("wismo_yearly_histograms")
