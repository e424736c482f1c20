"""inquiry exception cause

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30

`order_inquiries.exception_reason`: why the order was in `exception` when the inquiry was
made (the latest exception-type tracking event's subtag, else its status), so inquiries are
counted by exception cause in the `exception_reason` rollup dimension. Inquiries recorded
before this revision keep NULL and are not counted by cause: their rollup contributions
stay exactly what was applied when they were written.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("order_inquiries") as batch:
        batch.add_column(sa.Column("exception_reason", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("order_inquiries") as batch:
        batch.drop_column("exception_reason")
