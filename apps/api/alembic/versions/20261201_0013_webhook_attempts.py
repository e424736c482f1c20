"""tracking webhook attempts that changed nothing (duplicate, rejected)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01

`webhook_attempts` keeps, for a few days and without the body, each tracking delivery that
was a repeat or was refused for its signature, so Settings > Integrations can count them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db.types import UTCDateTime

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "webhook_attempts",
        sa.Column(
            "store_id", sa.Uuid(), sa.ForeignKey("stores.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("store_id", "id"),
    )
    op.create_index(
        "ix_webhook_attempts_store_provider_at",
        "webhook_attempts",
        ["store_id", "provider", "received_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_webhook_attempts_store_provider_at", table_name="webhook_attempts")
    op.drop_table("webhook_attempts")
