"""secrets encrypted at rest

Revision ID: 0009
Revises: 0007
Create Date: 2026-11-30

Webhook secrets and the alert webhook URL (a Slack URL is a credential) become Fernet tokens
(`app.core.secrets`, keys from WISMO_ENCRYPTION_KEYS or the development key file); existing
rows are encrypted in place, and decrypted again on downgrade.
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

from app.core import secrets

revision: str = "0009"
down_revision: str | None = "0007"
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


def upgrade() -> None:
    with op.batch_alter_table("stores") as batch:
        for name, length in COLUMNS.items():
            batch.alter_column(name, type_=sa.Text(), existing_type=sa.String(length))
    _rewrite(secrets.encrypt)


def downgrade() -> None:
    _rewrite(secrets.decrypt)
    with op.batch_alter_table("stores") as batch:
        for name, length in COLUMNS.items():
            batch.alter_column(name, type_=sa.String(length), existing_type=sa.Text())
