"""business hours token

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01

`stores.business_hours_token` changes whenever a business-hours version is written, so each
process keeps a store's calendar until it changes instead of reading the versions on every
write that measures an inquiry. Stores that already have versions get a first token here.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("stores") as batch:
        batch.add_column(sa.Column("business_hours_token", sa.String(32), nullable=True))
    op.execute(
        "UPDATE stores SET business_hours_token = 'initial' "
        "WHERE id IN (SELECT store_id FROM business_hours_versions)"
    )


def downgrade() -> None:
    with op.batch_alter_table("stores") as batch:
        batch.drop_column("business_hours_token")
