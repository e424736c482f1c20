"""business hours

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01

`business_hours_versions`: a store's weekly opening hours and holidays from a local date on.
`order_inquiries.{first_response,resolution}_business_seconds`: the two durations counted in
opening hours. The rollups gain their sums and counts. Inquiries recorded before a store has
business hours keep NULL and add nothing to the new counters.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db.types import UTCDateTime

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTERS = (
    "resolution_business_count",
    "resolution_business_seconds_sum",
    "first_response_business_count",
    "first_response_business_seconds_sum",
)
ROLLUPS = ("wismo_daily_metrics", "wismo_daily_dimension_metrics")


def upgrade() -> None:
    op.create_table(
        "business_hours_versions",
        sa.Column(
            "store_id",
            sa.Uuid(),
            sa.ForeignKey("stores.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("weekly", sa.JSON(), nullable=False),
        sa.Column("holidays", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("store_id", "effective_from"),
    )
    with op.batch_alter_table("order_inquiries") as batch:
        batch.add_column(sa.Column("first_response_business_seconds", sa.BigInteger()))
        batch.add_column(sa.Column("resolution_business_seconds", sa.BigInteger()))
    for table in ROLLUPS:
        with op.batch_alter_table(table) as batch:
            for name in COUNTERS:
                batch.add_column(
                    sa.Column(name, sa.BigInteger(), nullable=False, server_default="0")
                )


def downgrade() -> None:
    for table in ROLLUPS:
        with op.batch_alter_table(table) as batch:
            for name in COUNTERS:
                batch.drop_column(name)
    with op.batch_alter_table("order_inquiries") as batch:
        batch.drop_column("resolution_business_seconds")
        batch.drop_column("first_response_business_seconds")
    op.drop_table("business_hours_versions")
