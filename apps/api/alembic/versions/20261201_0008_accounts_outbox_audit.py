"""accounts: sign-up marker, invites, audit log, email outbox, user names

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

The first sign-up writes the one `installation` row; invites are the pending invitations
(their links are signed, expire and work once); `audit_events` records role, invite, key,
settings and erasure changes; `outbox_emails` holds mail no SMTP server took.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db.types import UTCDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("name", sa.String(length=200), nullable=True))
    op.create_table(
        "installation",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("signed_up_at", UTCDateTime(), nullable=False),
    )
    # An install that already has users (made with the CLI) is past its sign-up.
    op.execute(
        "INSERT INTO installation (id, signed_up_at) "
        "SELECT 1, MIN(created_at) FROM users HAVING COUNT(*) > 0"
    )
    op.create_table(
        "invites",
        sa.Column(
            "store_id", sa.Uuid(), sa.ForeignKey("stores.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column(
            "invited_by", sa.Uuid(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("accepted_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("store_id", "id"),
    )
    op.create_index("ix_invites_store_email", "invites", ["store_id", "email"])
    op.create_table(
        "audit_events",
        sa.Column(
            "store_id", sa.Uuid(), sa.ForeignKey("stores.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("actor", sa.String(length=320), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target", sa.String(length=500), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("store_id", "id"),
    )
    op.create_index("ix_audit_events_store_at", "audit_events", ["store_id", "at", "id"])
    op.create_table(
        "outbox_emails",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "store_id", sa.Uuid(), sa.ForeignKey("stores.id", ondelete="CASCADE"), nullable=True
        ),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=True),
        sa.Column("owner_only", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("error", sa.String(length=300), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_outbox_emails_store", "outbox_emails", ["store_id", "created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_emails_store", table_name="outbox_emails")
    op.drop_table("outbox_emails")
    op.drop_index("ix_audit_events_store_at", table_name="audit_events")
    op.drop_table("audit_events")
    op.drop_index("ix_invites_store_email", table_name="invites")
    op.drop_table("invites")
    op.drop_table("installation")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("name")
