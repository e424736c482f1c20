"""Yearly histograms: every write adds to the yearly rows exactly what it adds to the days of
that year, a range covering most of a year reads the year less its months outside the range,
and the migration that creates them fills them from the monthly rows already stored.

The expectations are the daily rows summed in Python (by calendar year, or over the range),
read with plain queries (tests/helpers.py), never through the repository under test."""

import uuid
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.analytics import repository
from app.ingestion import rollups
from app.models import (
    Store,
    WismoMonthlyHistogram,
    WismoYearlyHistogram,
)
from tests.helpers import dims, histograms
from tests.integration.test_migrations import rows_after_upgrade, scratch_url  # noqa: F401
from tests.integration.test_monthly_rollups import store_with_history

# 80 days of data ending here cross the turn of the year.
NOW = datetime(2026, 2, 15, 15, tzinfo=UTC)

Periods = repository.Periods
D = date


def test_a_range_covering_most_of_a_year_reads_the_year_less_its_months_outside() -> None:
    read = repository.read_periods
    # The last 366 days on 2026-12-02: December 2025 less its first day, 2026 less December,
    # and December 1-2 as days.
    assert read(D(2025, 12, 2), D(2026, 12, 2)) == Periods(
        days=[(D(2026, 12, 1), D(2026, 12, 2))],
        minus_days=[(D(2025, 12, 1), D(2025, 12, 1))],
        months=[(D(2025, 12, 1), D(2025, 12, 1))],
        minus_months=[(D(2026, 12, 1), D(2026, 12, 1))],
        years=[D(2026, 1, 1)],
    )
    # Two years: 2024 less January and February, 2025 whole, January and February 2026.
    assert read(D(2024, 3, 1), D(2026, 2, 28)) == Periods(
        months=[(D(2026, 1, 1), D(2026, 2, 1))],
        minus_months=[(D(2024, 1, 1), D(2024, 2, 1))],
        years=[D(2024, 1, 1), D(2025, 1, 1)],
    )
    # Six months of a year are not fewer than the six outside: months, no year.
    assert read(D(2026, 1, 1), D(2026, 6, 30)) == Periods(months=[(D(2026, 1, 1), D(2026, 6, 1))])
    # Seven outnumber the five outside: the year less January and September to December.
    assert read(D(2026, 2, 1), D(2026, 8, 31)) == Periods(
        minus_months=[(D(2026, 1, 1), D(2026, 1, 1)), (D(2026, 9, 1), D(2026, 12, 1))],
        years=[D(2026, 1, 1)],
    )
    # Days and months after the present hold no rows yet, so reading them costs nothing: on
    # 2026-12-02 the last 366 days are 2026 less the days after tomorrow, and December 2025
    # less its first day.
    assert read(D(2025, 12, 2), D(2026, 12, 2), present=D(2026, 12, 3)) == Periods(
        minus_days=[(D(2025, 12, 1), D(2025, 12, 1)), (D(2026, 12, 3), D(2026, 12, 31))],
        months=[(D(2025, 12, 1), D(2025, 12, 1))],
        years=[D(2026, 1, 1)],
    )
    # The first half of the year, read on July 1: the year less July to December.
    assert read(D(2026, 1, 1), D(2026, 6, 30), present=D(2026, 7, 1)) == Periods(
        minus_months=[(D(2026, 7, 1), D(2026, 12, 1))],
        years=[D(2026, 1, 1)],
    )
    # Dimension rows have no years: their months, one span across the turn of the year.
    assert read(D(2025, 12, 2), D(2026, 12, 2), present=D(2026, 12, 3), years=False) == Periods(
        minus_days=[(D(2025, 12, 1), D(2025, 12, 1)), (D(2026, 12, 3), D(2026, 12, 31))],
        months=[(D(2025, 12, 1), D(2026, 12, 1))],
    )
    # The last 90 days on 2026-12-02: four months less the days outside, no year.
    assert read(D(2026, 9, 4), D(2026, 12, 2), present=D(2026, 12, 3)) == Periods(
        minus_days=[(D(2026, 9, 1), D(2026, 9, 3)), (D(2026, 12, 3), D(2026, 12, 31))],
        months=[(D(2026, 9, 1), D(2026, 12, 1))],
    )
    # 90 days: no year.
    assert read(D(2026, 9, 4), D(2026, 12, 2)) == Periods(
        days=[(D(2026, 12, 1), D(2026, 12, 2))],
        minus_days=[(D(2026, 9, 1), D(2026, 9, 3))],
        months=[(D(2026, 9, 1), D(2026, 11, 1))],
    )


async def yearly_rows(session: AsyncSession, store_id: uuid.UUID) -> dict[Any, int]:
    h = WismoYearlyHistogram
    return {
        (r.year, r.metric, r.segment, r.bucket): r.count
        for r in await session.scalars(select(h).where(h.store_id == store_id))
        if r.count
    }


async def daily_by_year(session: AsyncSession, store_id: uuid.UUID) -> dict[Any, int]:
    hist_years: Counter[tuple[date, str, str, int]] = Counter()
    for (day, metric, seg, bucket), n in (await histograms(session, store_id)).items():
        hist_years[(D(day.year, 1, 1), metric, seg, bucket)] += n
    return {k: n for k, n in hist_years.items() if n}


async def test_writes_keep_the_years_equal_to_their_days_and_reads_agree(
    session: AsyncSession, make_store: Any
) -> None:
    store = await store_with_history(session, make_store, "Yearly", seed=7, now=NOW)
    years, by_year = await yearly_rows(session, store.id), await daily_by_year(session, store.id)
    assert years == by_year
    assert {year for year, _, _, _ in years} == {D(2025, 1, 1), D(2026, 1, 1)}

    day_dims = await dims(session, store.id)
    day_hist = await histograms(session, store.id)
    for start, end in [
        (D(2025, 1, 1), D(2025, 12, 31)),  # one whole year
        (D(2025, 2, 10), D(2026, 2, 10)),  # 2025 less January, then months and days of 2026
        (D(2025, 11, 29), D(2026, 11, 30)),  # days, December, then 2026 less December
        (D(2025, 12, 20), D(2026, 12, 31)),  # days, then 2026 whole
        (D(2025, 1, 1), D(2025, 11, 30)),  # 2025 less December, which holds data
        (D(2026, 2, 1), D(2026, 12, 31)),  # 2026 less January, which holds data
    ]:
        assert repository.read_periods(start, end).years, (start, end)
        expected: dict[str, Counter[str]] = {"inquiry_type": Counter(), "carrier": Counter()}
        for (day, dimension, key), counters in day_dims.items():
            if dimension in expected and start <= day <= end:
                expected[dimension][key] += counters["total_inquiries"]
        got = await repository.breakdowns(
            session,
            store.id,
            start,
            end,
            [("inquiry_type", None), ("carrier", None)],
            nonzero=True,
        )
        for dimension, sums in expected.items():
            assert {k: c["total_inquiries"] for k, c in got[dimension].items()} == {
                k: n for k, n in sums.items() if n
            }, (start, end, dimension)
        expected_hist: defaultdict[tuple[str, str], Counter[int]] = defaultdict(Counter)
        for (day, metric, seg, bucket), n in day_hist.items():
            if start <= day <= end and metric in repository.STAGES:
                expected_hist[(metric, seg)][bucket] += n
        segments = {seg for _, seg in expected_hist}
        got_hist = await repository.histograms(
            session, store.id, start, end, repository.STAGES, segments
        )
        assert got_hist == {k: {b: n for b, n in v.items() if n} for k, v in expected_hist.items()}
        assert sum(expected["inquiry_type"].values()) > 0, (start, end)
    # The months the last two ranges subtract from their years hold real data.
    for month in (D(2025, 12, 1), D(2026, 1, 1)):
        in_month = [
            c["total_inquiries"]
            for (day, dimension, _), c in day_dims.items()
            if dimension == "inquiry_type" and day.replace(day=1) == month
        ]
        assert sum(in_month) > 50, month
        assert {seg for (day, _, seg, _) in day_hist if day.replace(day=1) == month} > {rollups.ALL}


def test_the_migration_fills_the_yearly_histograms_from_the_stored_months(scratch_url: str) -> None:  # noqa: F811
    store_id = uuid.uuid4()

    async def fill(conn: AsyncConnection) -> None:
        await conn.execute(
            insert(Store.__table__).values(id=store_id, name="Y", widget_key=uuid.uuid4().hex)
        )
        for month, bucket, total in (
            (D(2025, 12, 1), 6, 2),
            (D(2026, 1, 1), 6, 3),
            (D(2026, 11, 1), 6, 5),
            (D(2026, 11, 1), 3, 7),
        ):
            await conn.execute(
                insert(WismoMonthlyHistogram.__table__).values(
                    store_id=store_id,
                    month=month,
                    metric="resolution",
                    segment="",
                    bucket=bucket,
                    count=total,
                )
            )

    [rows] = rows_after_upgrade(
        scratch_url,
        "0017",
        fill,
        ["SELECT year, bucket, count FROM wismo_yearly_histograms ORDER BY year, bucket"],
    )
    assert [(date.fromisoformat(str(y)[:10]), b, n) for y, b, n in rows] == [
        (D(2025, 1, 1), 6, 2),
        (D(2026, 1, 1), 3, 7),
        (D(2026, 1, 1), 6, 8),
    ]
