"""The multi-row writers of `app.db.upsert`: one statement per table (cut into chunks on
PostgreSQL), column defaults per row, conflicts skipped or summed, rows updated by key."""

import uuid
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import upsert
from app.ingestion import rollups
from app.models import Customer, WismoDailyHistogram, WismoDailyMetrics


@pytest.fixture(autouse=True)
def small_statements(monkeypatch: pytest.MonkeyPatch) -> None:
    # Three rows per PostgreSQL statement, so that the tests below span several statements.
    monkeypatch.setattr(upsert, "ROWS_PER_STATEMENT", 3)


async def test_insert_rows_fills_defaults_per_row_and_skips_existing_keys(
    session: AsyncSession, store: Any
) -> None:
    table = Customer.__table__
    rows = [{"store_id": store.id, "email_hash": f"h{i}", "email": f"c{i}@x.io"} for i in range(7)]
    rows[2]["name"] = "Ann"  # a column only one row gives: NULL in the others
    await upsert.insert_rows(session, table, rows)
    again = [
        {"store_id": store.id, "email_hash": "h1", "email": "other@x.io"},  # exists: skipped
        {"store_id": store.id, "email_hash": "h7", "email": "c7@x.io"},
    ]
    await upsert.insert_rows(session, table, again, ignore_conflicts_on=["store_id", "email_hash"])

    stored = (await session.scalars(select(Customer).where(Customer.store_id == store.id))).all()
    assert sorted((c.email_hash, c.email, c.name) for c in stored) == [
        ("h0", "c0@x.io", None),
        ("h1", "c1@x.io", None),
        ("h2", "c2@x.io", "Ann"),
        *((f"h{i}", f"c{i}@x.io", None) for i in range(3, 8)),
    ]
    assert len({c.id for c in stored}) == 8  # uuid4 drawn for every row
    assert all(c.created_at is not None for c in stored)


async def test_upsert_increment_sums_into_existing_rows_across_statements(
    session: AsyncSession, store: Any
) -> None:
    hist = WismoDailyHistogram.__table__
    key = ("store_id", "date", "metric", "segment", "bucket")

    def row(bucket: int, count: int) -> dict[str, Any]:
        return {"store_id": store.id, "date": date(2026, 3, 2), "metric": "m", "segment": "",
                "bucket": bucket, "count": count}  # fmt: skip

    await upsert.upsert_increment(session, hist, [row(b, 1) for b in range(5)], key, ["count"])
    await upsert.upsert_increment(
        session,
        hist,
        [row(b, 10 * b) for b in range(3, 9)],
        key,
        ["count"],
    )
    stored = await session.execute(
        select(WismoDailyHistogram.bucket, WismoDailyHistogram.count).where(
            WismoDailyHistogram.store_id == store.id
        )
    )
    assert dict(stored.all()) == {0: 1, 1: 1, 2: 1, 3: 31, 4: 41, 5: 50, 6: 60,
                                           7: 70, 8: 80}  # fmt: skip


async def test_daily_rows_derive_their_ratios_on_insert_and_on_update(
    session: AsyncSession, store: Any
) -> None:
    days = [date(2026, 3, d) for d in range(1, 6)]
    first = rollups.Contribution()
    for n, day in enumerate(days, start=1):
        first.daily[day].update(total_orders=4, total_inquiries=n)
    await rollups.apply(session, store.id, first)
    second = rollups.Contribution()
    for day in days[3:]:
        second.daily[day].update(total_orders=4, resolved_inquiries=2, resolution_seconds_sum=90)
    await rollups.apply(session, store.id, second)

    stored = {
        r.date: (r.total_orders, r.total_inquiries, float(r.inquiry_rate), r.avg_resolution_time)
        for r in await session.scalars(
            select(WismoDailyMetrics).where(WismoDailyMetrics.store_id == store.id)
        )
    }
    assert stored == {
        date(2026, 3, 1): (4, 1, 0.25, None),
        date(2026, 3, 2): (4, 2, 0.5, None),
        date(2026, 3, 3): (4, 3, 0.75, None),
        date(2026, 3, 4): (8, 4, 0.5, 45),
        date(2026, 3, 5): (8, 5, 0.625, 45),
    }


async def test_update_rows_sets_columns_of_the_rows_named_by_key(
    session: AsyncSession, store: Any
) -> None:
    table = Customer.__table__
    ids = [uuid.uuid4() for _ in range(5)]
    await upsert.insert_rows(
        session, table, [{"store_id": store.id, "id": i, "email_hash": str(i)} for i in ids]
    )
    await upsert.update_rows(
        session,
        table,
        ("store_id", "id"),
        [{"store_id": store.id, "id": i, "name": f"n{k}"} for k, i in enumerate(ids[:4])],
    )
    stored = await session.execute(
        select(Customer.id, Customer.name).where(Customer.store_id == store.id)
    )
    assert dict(stored.all()) == {**{i: f"n{k}" for k, i in enumerate(ids[:4])},
                                           ids[4]: None}  # fmt: skip
