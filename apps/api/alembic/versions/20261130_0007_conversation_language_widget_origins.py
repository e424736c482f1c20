"""conversation language, widget allowed origins

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30

Each conversation keeps the language its replies are written in (and whether the widget
chose it); each store lists the origins whose pages may embed its chat widget.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(
            sa.Column("language", sa.String(length=8), nullable=False, server_default="en")
        )
        batch.add_column(
            sa.Column("language_pinned", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("stores") as batch:
        batch.add_column(
            sa.Column("widget_allowed_origins", sa.JSON(), nullable=False, server_default="[]")
        )


def downgrade() -> None:
    with op.batch_alter_table("stores") as batch:
        batch.drop_column("widget_allowed_origins")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("language_pinned")
        batch.drop_column("language")
