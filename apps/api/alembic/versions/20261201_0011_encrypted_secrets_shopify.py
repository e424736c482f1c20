"""secrets encrypted at rest; Shopify app connections, install states and backfills

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30

Webhook secrets (the stores' and the helpdesks') and the alert webhook URL (a Slack URL is a credential) become Fernet tokens
(`app.core.secrets`, keys from WISMO_ENCRYPTION_KEYS or the development key file); existing
rows are encrypted in place, and decrypted again on downgrade. A store's installed Shopify
app (offline token encrypted), pending OAuth states and history backfills get their tables.
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

from app.core import secrets

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = {
    "shopify_webhook_secret": 255,
    "tracking_webhook_secret": 255,
    "alert_webhook_secret": 255,
    "alert_webhook_url": 1000,
}


def _rewrite(transform: Callable[[str], str]) -> None:
    conn = op.get_bind()
    names = list(COLUMNS)
    rows = conn.execute(sa.text(f"SELECT id, {', '.join(names)} FROM stores")).all()  # noqa: S608
    for row in rows:
        values = {n: (None if row[i + 1] is None else transform(row[i + 1])) for i, n in enumerate(names)}
        assignments = ", ".join(f"{n} = :{n}" for n in names)
        conn.execute(
            sa.text(f"UPDATE stores SET {assignments} WHERE id = :id"),  # noqa: S608
            {**values, "id": row[0]},
        )
    # helpdesk secrets (the table came one migration earlier, with the type still plain text)
    for store_id, provider, secret in conn.execute(
        sa.text("SELECT store_id, provider, secret FROM helpdesk_connections")
    ).all():
        conn.execute(
            sa.text(
                "UPDATE helpdesk_connections SET secret = :s "
                "WHERE store_id = :store AND provider = :provider"
            ),
            {"s": transform(secret), "store": store_id, "provider": provider},
        )


def upgrade() -> None:
    with op.batch_alter_table("stores") as batch:
        for name, length in COLUMNS.items():
            batch.alter_column(name, type_=sa.Text(), existing_type=sa.String(length))
    _rewrite(secrets.encrypt)
    op.create_table(
        "shopify_connections",
        sa.Column("store_id", sa.Uuid(), nullable=False),
        sa.Column("shop_domain", sa.String(length=255), nullable=False),
        sa.Column("access_token", sa.Text(), nullable=True),
        sa.Column("scopes", sa.String(length=1000), nullable=False),
        sa.Column("api_version", sa.String(length=16), nullable=False),
        sa.Column("webhook_topics", sa.JSON(), nullable=False),
        sa.Column("installed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uninstalled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("store_id"),
    )
    op.create_table(
        "shopify_oauth_states",
        sa.Column("nonce_hash", sa.String(length=64), nullable=False),
        sa.Column("store_id", sa.Uuid(), nullable=False),
        sa.Column("shop_domain", sa.String(length=255), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("store_id", "nonce_hash"),
    )
    op.create_index(
        "ix_shopify_oauth_states_store", "shopify_oauth_states", ["store_id", "expires_at"]
    )
    op.create_table(
        "shopify_backfills",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("store_id", sa.Uuid(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("bulk_operation_id", sa.String(length=200), nullable=True),
        sa.Column("object_count", sa.Integer(), nullable=True),
        sa.Column("lines_done", sa.Integer(), nullable=False),
        sa.Column("orders_done", sa.Integer(), nullable=False),
        sa.Column("orders_failed", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("store_id", "id"),
    )
    op.create_index("ix_shopify_backfills_store", "shopify_backfills", ["store_id", "created_at"])


def downgrade() -> None:
    op.drop_table("shopify_backfills")
    op.drop_table("shopify_oauth_states")
    op.drop_table("shopify_connections")
    _rewrite(secrets.decrypt)
    with op.batch_alter_table("stores") as batch:
        for name, length in COLUMNS.items():
            batch.alter_column(name, type_=sa.String(length), existing_type=sa.Text())
