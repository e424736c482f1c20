"""helpdesk connections

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30

The secret each store's Zendesk or Gorgias webhooks are verified with.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db.types

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "helpdesk_connections",
        sa.Column("store_id", sa.Uuid(), nullable=False),
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("secret", sa.Text(), nullable=False),  # SecretText: encrypted text
        sa.Column("updated_at", app.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", app.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("store_id", "provider"),
    )


def downgrade() -> None:
    op.drop_table("helpdesk_connections")
