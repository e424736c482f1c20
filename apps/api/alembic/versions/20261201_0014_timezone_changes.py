"""store time-zone changes

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01

`timezone_changes`: one row per change of a store's time zone, the job that re-derives the
local columns of its facts and rebuilds its rollups (status, done of total, error, lease).
At most one unfinished change per store (a partial unique index).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db.types import UTCDateTime

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "timezone_changes",
        sa.Column(
            "store_id",
            sa.Uuid(),
            sa.ForeignKey("stores.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("from_timezone", sa.String(64), nullable=False),
        sa.Column("to_timezone", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("lease_until", UTCDateTime(), nullable=True),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    unfinished = sa.text("status IN ('pending', 'running')")
    op.create_index(
        "uq_timezone_changes_one_unfinished",
        "timezone_changes",
        ["store_id"],
        unique=True,
        postgresql_where=unfinished,
        sqlite_where=unfinished,
    )


def downgrade() -> None:
    op.drop_table("timezone_changes")
