"""order refund time, webhook delivery outcomes, parked webhook payloads

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30

- `orders.refunded_at`: when the order became fully refunded, so the order's state at an
  inquiry's moment is known (DESIGN 4: refunded and cancelled come first).
- `webhook_deliveries.outcome`: processed, ignored or parked: a delivery with nothing to
  store is recorded as ignored (and answered 200), never left for the provider to retry.
- `parked_webhooks`: verified payloads that wait for their order or shipment, applied when
  it appears and dropped after `expires_at`.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db.types import UTCDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("refunded_at", UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table("webhook_deliveries") as batch:
        batch.add_column(sa.Column("outcome", sa.String(32), nullable=True))
    op.create_table(
        "parked_webhooks",
        sa.Column("store_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("provider", sa.String(32), nullable=False),
        sa.Column("topic", sa.String(64), nullable=True),
        sa.Column("delivery_id", sa.String(200), nullable=False),
        sa.Column("waits_for", sa.String(16), nullable=False),
        sa.Column("wait_key", sa.String(100), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("received_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name="fk_parked_webhooks_store_id_stores", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("store_id", "id", name="pk_parked_webhooks"),
        sa.UniqueConstraint(
            "store_id", "provider", "delivery_id", "wait_key", name="uq_parked_webhooks_delivery"
        ),
    )
    op.create_index(
        "ix_parked_webhooks_store_wait", "parked_webhooks", ["store_id", "waits_for", "wait_key"]
    )


def downgrade() -> None:
    op.drop_index("ix_parked_webhooks_store_wait", table_name="parked_webhooks")
    op.drop_table("parked_webhooks")
    with op.batch_alter_table("webhook_deliveries") as batch:
        batch.drop_column("outcome")
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("refunded_at")
