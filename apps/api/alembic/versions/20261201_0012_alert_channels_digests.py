"""alert channels (email, Slack) and scheduled digests

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01

`alert_channel_settings` holds a store's Slack URL and the channels each alert kind goes to;
`alert_channel_deliveries` records each alert's email and Slack delivery (sent, failed, why);
`alerts.webhook_wanted` is false when the kind's channels leave out the webhook.
`digest_subscriptions` are each member's own digest; `digest_sends` the claim on one
(user, store, period) taken before it is mailed.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db.types import UTCDateTime

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _store_fk() -> sa.Column[sa.Uuid]:
    return sa.Column(
        "store_id", sa.Uuid(), sa.ForeignKey("stores.id", ondelete="CASCADE"), nullable=False
    )


def _user_fk() -> sa.Column[sa.Uuid]:
    return sa.Column(
        "user_id", sa.Uuid(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    with op.batch_alter_table("alerts") as batch:
        batch.add_column(
            sa.Column("webhook_wanted", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    op.create_table(
        "alert_channel_settings",
        _store_fk(),
        sa.Column("slack_webhook_url", sa.Text(), nullable=True),
        sa.Column("routes", sa.JSON(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("store_id"),
    )
    op.create_table(
        "alert_channel_deliveries",
        _store_fk(),
        sa.Column("alert_id", sa.Uuid(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("store_id", "alert_id", "channel"),
    )
    op.create_index(
        "ix_alert_channel_deliveries_due", "alert_channel_deliveries", ["store_id", "status"]
    )
    op.create_table(
        "digest_subscriptions",
        _store_fk(),
        _user_fk(),
        sa.Column("frequency", sa.String(length=8), nullable=False),
        sa.Column("hour", sa.SmallInteger(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("store_id", "user_id"),
    )
    op.create_table(
        "digest_sends",
        _store_fk(),
        _user_fk(),
        sa.Column("frequency", sa.String(length=8), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("error", sa.String(length=300), nullable=True),
        sa.PrimaryKeyConstraint("store_id", "user_id", "frequency", "period_start"),
    )


def downgrade() -> None:
    op.drop_table("digest_sends")
    op.drop_table("digest_subscriptions")
    op.drop_index("ix_alert_channel_deliveries_due", table_name="alert_channel_deliveries")
    op.drop_table("alert_channel_deliveries")
    op.drop_table("alert_channel_settings")
    with op.batch_alter_table("alerts") as batch:
        batch.drop_column("webhook_wanted")
