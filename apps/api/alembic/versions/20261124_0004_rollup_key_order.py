"""rollup key order for range reads

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24

Dimension rollups keyed (store, dimension, date, key) with a (store, dimension, key, date)
index; histograms keyed (store, metric, segment, date, bucket). A dashboard read is then one
contiguous index range instead of a scan of every dimension or segment of each day.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DIM = "wismo_daily_dimension_metrics"
HIST = "wismo_daily_histograms"


def _rekey(table: str, columns: list[str]) -> None:
    with op.batch_alter_table(table, recreate="auto") as batch:
        batch.drop_constraint(f"pk_{table}", type_="primary")
        batch.create_primary_key(f"pk_{table}", columns)


def upgrade() -> None:
    _rekey(DIM, ["store_id", "dimension", "date", "key"])
    op.create_index(
        "ix_wismo_daily_dimension_metrics_key", DIM, ["store_id", "dimension", "key", "date"]
    )
    _rekey(HIST, ["store_id", "metric", "segment", "date", "bucket"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ANALYZE {DIM}")
        op.execute(f"ANALYZE {HIST}")


def downgrade() -> None:
    _rekey(HIST, ["store_id", "date", "metric", "segment", "bucket"])
    op.drop_index("ix_wismo_daily_dimension_metrics_key", table_name=DIM)
    _rekey(DIM, ["store_id", "date", "dimension", "key"])
