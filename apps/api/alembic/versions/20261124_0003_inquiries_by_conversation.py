"""index order inquiries by conversation (the chat assistant resolves and escalates them)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 23:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_order_inquiries_store_conversation",
        "order_inquiries",
        ["store_id", "conversation_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_order_inquiries_store_conversation", table_name="order_inquiries")
