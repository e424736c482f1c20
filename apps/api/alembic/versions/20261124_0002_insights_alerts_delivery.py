"""insights rank and detector, alert webhook secret and delivery schedule

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db.types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("stores", schema=None) as batch_op:
        batch_op.add_column(sa.Column("alert_webhook_secret", sa.String(length=255), nullable=True))
    with op.batch_alter_table("insights", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=32), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("rank", sa.SmallInteger(), server_default="0", nullable=False)
        )
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("next_delivery_at", app.db.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("delivery_error", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_column("delivery_error")
        batch_op.drop_column("next_delivery_at")
    with op.batch_alter_table("insights", schema=None) as batch_op:
        batch_op.drop_column("rank")
        batch_op.drop_column("kind")
    with op.batch_alter_table("stores", schema=None) as batch_op:
        batch_op.drop_column("alert_webhook_secret")
