"""Monthly rollups: every write adds to the monthly rows exactly what it adds to the days of
that month, ranges read whole months from them and partial months from the days, and the
migration that creates them fills them from the daily rows already stored.

The expectations are the daily rows summed in Python (by calendar month, or over the range),
read with plain queries (tests/helpers.py), never through the repository under test."""

import uuid
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.analytics import repository
from app.demo import DemoConfig, load_store_data
from app.ingestion import rollups
from app.ingestion import service as ingestion
from app.ingestion.schemas import InquiryUpdate
from app.models import (
    OrderInquiry,
    Store,
    WismoDailyDimensionMetrics,
    WismoDailyHistogram,
    WismoMonthlyDimensionMetrics,
    WismoMonthlyHistogram,
)
from tests.helpers import dims, histograms, nonzero
from tests.integration.test_migrations import rows_after_upgrade, scratch_url  # noqa: F401

NOW = datetime(2026, 5, 20, 15, tzinfo=UTC)


async def monthly_rows(session: AsyncSession, store_id: uuid.UUID) -> tuple[Any, Any]:
    m = WismoMonthlyDimensionMetrics
    columns = [
        c.name
        for c in m.__table__.columns
        if c.name not in ("store_id", "month", "dimension", "key")
    ]
    dim_rows = {
        (r.month, r.dimension, r.key): nonzero({c: getattr(r, c) for c in columns})
        for r in await session.scalars(select(m).where(m.store_id == store_id))
    }
    h = WismoMonthlyHistogram
    hist_rows = {
        (r.month, r.metric, r.segment, r.bucket): r.count
        for r in await session.scalars(select(h).where(h.store_id == store_id))
        if r.count
    }
    return {k: v for k, v in dim_rows.items() if v}, hist_rows


async def daily_by_month(session: AsyncSession, store_id: uuid.UUID) -> tuple[Any, Any]:
    dim_months: defaultdict[tuple[date, str, str], Counter[str]] = defaultdict(Counter)
    for (day, dimension, key), counters in (await dims(session, store_id)).items():
        dim_months[(day.replace(day=1), dimension, key)].update(nonzero(counters))
    hist_months: Counter[tuple[date, str, str, int]] = Counter()
    for (day, metric, seg, bucket), n in (await histograms(session, store_id)).items():
        hist_months[(day.replace(day=1), metric, seg, bucket)] += n
    return (
        {k: dict(v) for k, v in dim_months.items() if nonzero(dict(v))},
        {k: n for k, n in hist_months.items() if n},
    )


async def store_with_history(
    session: AsyncSession, make_store: Any, name: str, seed: int, now: datetime
) -> Store:
    """80 days of demo data ending `now`, then later outcomes of 25 inquiries through the
    per-row path (which moves every grain of the rollups)."""
    handle = await make_store(name, "America/New_York")
    store = await session.get(Store, handle.id)
    assert store is not None
    await load_store_data(
        session, store, DemoConfig(days=80, orders_per_day=12, seed=seed, now=now)
    )
    for inquiry in (
        await session.scalars(
            select(OrderInquiry).where(OrderInquiry.store_id == store.id).limit(25)
        )
    ).all():
        await ingestion.amend_inquiry(
            session, inquiry, InquiryUpdate(escalated=not inquiry.escalated)
        )
    await session.flush()
    return store


def test_ranges_split_into_whole_months_and_days() -> None:
    split = repository.split_months
    assert split(date(2026, 1, 15), date(2026, 4, 10)) == (
        [(date(2026, 1, 15), date(2026, 1, 31)), (date(2026, 4, 1), date(2026, 4, 10))],
        (date(2026, 2, 1), date(2026, 3, 1)),
    )
    assert split(date(2026, 2, 1), date(2026, 2, 28)) == ([], (date(2026, 2, 1), date(2026, 2, 1)))
    assert split(date(2026, 2, 2), date(2026, 2, 28)) == (
        [(date(2026, 2, 2), date(2026, 2, 28))],
        None,
    )
    assert split(date(2025, 12, 1), date(2026, 1, 30)) == (
        [(date(2026, 1, 1), date(2026, 1, 30))],
        (date(2025, 12, 1), date(2025, 12, 1)),
    )
    assert split(date(2026, 3, 5), date(2026, 3, 5)) == (
        [(date(2026, 3, 5), date(2026, 3, 5))],
        None,
    )


def test_histograms_read_a_partial_month_as_its_row_less_the_days_outside_when_fewer() -> None:
    read = repository.read_months
    # Jan 15-31 is 17 days, the month less Jan 1-14 only 14; Apr 1-10 is fewer than Apr 11-30.
    assert read(date(2026, 1, 15), date(2026, 4, 10)) == (
        [(date(2026, 4, 1), date(2026, 4, 10))],
        (date(2026, 1, 1), date(2026, 3, 1)),
        [(date(2026, 1, 1), date(2026, 1, 14))],
    )
    # Inside one month: April less its first two and last three days.
    assert read(date(2026, 4, 3), date(2026, 4, 27)) == (
        [],
        (date(2026, 4, 1), date(2026, 4, 1)),
        [(date(2026, 4, 1), date(2026, 4, 2)), (date(2026, 4, 28), date(2026, 4, 30))],
    )
    assert read(date(2025, 12, 20), date(2026, 1, 30)) == (
        [(date(2025, 12, 20), date(2025, 12, 31))],
        (date(2026, 1, 1), date(2026, 1, 1)),
        [(date(2026, 1, 31), date(2026, 1, 31))],
    )
    assert read(date(2026, 3, 5), date(2026, 3, 5)) == (
        [(date(2026, 3, 5), date(2026, 3, 5))],
        None,
        [],
    )
    assert read(date(2026, 2, 1), date(2026, 2, 28)) == (
        [],
        (date(2026, 2, 1), date(2026, 2, 1)),
        [],
    )


async def test_writes_keep_the_months_equal_to_their_days_and_reads_agree(
    session: AsyncSession, make_store: Any
) -> None:
    store = await store_with_history(session, make_store, "Monthly", seed=5, now=NOW)
    assert await monthly_rows(session, store.id) == await daily_by_month(session, store.id)

    day_dims = await dims(session, store.id)
    day_hist = await histograms(session, store.id)
    ranges = [
        (date(2026, 3, 1), date(2026, 5, 20)),  # whole March and April, then days
        (date(2026, 3, 15), date(2026, 4, 30)),  # days, then whole April
        (date(2026, 4, 1), date(2026, 4, 30)),  # one whole month
        (date(2026, 4, 3), date(2026, 4, 27)),  # days only
        (date(2026, 1, 1), date(2026, 12, 31)),  # past both ends of the data
        # Histograms: March and May less the days outside; then days at both ends.
        (date(2026, 3, 10), date(2026, 5, 25)),
        (date(2026, 3, 20), date(2026, 5, 5)),
    ]
    for start, end in ranges:
        expected_types: Counter[str] = Counter()
        expected_channels: Counter[str] = Counter()
        for (day, dimension, key), counters in day_dims.items():
            if dimension == "inquiry_type" and start <= day <= end:
                expected_types[key] += counters["total_inquiries"]
            if dimension == "channel" and start <= day <= end:
                expected_channels[key] += counters["total_inquiries"]
        got = await repository.breakdown(session, store.id, start, end, "inquiry_type")
        assert {k: c["total_inquiries"] for k, c in got.items() if c["total_inquiries"]} == {
            k: n for k, n in expected_types.items() if n
        }, (start, end)
        # Two dimensions in one statement: each as when read alone.
        both = await repository.breakdowns(
            session, store.id, start, end, [("inquiry_type", None), ("channel", None)]
        )
        for dimension, expected in (
            ("inquiry_type", expected_types),
            ("channel", expected_channels),
        ):
            assert {
                k: c["total_inquiries"] for k, c in both[dimension].items() if c["total_inquiries"]
            } == {k: n for k, n in expected.items() if n}, (start, end, dimension)
        expected_hist: Counter[int] = Counter()
        expected_carriers: defaultdict[tuple[str, str], Counter[int]] = defaultdict(Counter)
        for (day, metric, seg, bucket), n in day_hist.items():
            if not start <= day <= end:
                continue
            if metric == rollups.RESOLUTION and seg == rollups.ALL:
                expected_hist[bucket] += n
            if metric in repository.STAGES and seg.startswith("carrier="):
                expected_carriers[(seg.removeprefix("carrier="), metric)][bucket] += n
        got_hist = await repository.histogram(session, store.id, start, end, rollups.RESOLUTION)
        assert got_hist == dict(expected_hist), (start, end)
        carriers = {c for c, _ in expected_carriers} | {"nobody"}
        got_carriers = await repository.histograms(
            session,
            store.id,
            start,
            end,
            repository.STAGES,
            [rollups.segment("carrier", c) for c in carriers],
        )
        assert got_carriers == {
            (metric, rollups.segment("carrier", c)): dict(v)
            for (c, metric), v in expected_carriers.items()
        }, (start, end)
    assert sum(expected_types.values()) > 100  # the data really spans the ranges


async def test_dashboard_breakdowns_read_partial_months_less_the_days_outside(
    session: AsyncSession, make_store: Any
) -> None:
    handle = await make_store("Monthly less days", "America/New_York")
    store = await session.get(Store, handle.id)
    assert store is not None
    await load_store_data(session, store, DemoConfig(days=80, orders_per_day=12, seed=9, now=NOW))
    # A key seen on March 2 only, in both grains (as a write leaves it): read as March's row
    # less March 1-9, it sums to zero over March 10 - May 25 and must not be shown.
    ghost = {"store_id": store.id, "dimension": "inquiry_type", "key": "ghost"}
    await session.execute(
        insert(WismoDailyDimensionMetrics).values(**ghost, date=date(2026, 3, 2), total_inquiries=3)
    )
    await session.execute(
        insert(WismoMonthlyDimensionMetrics).values(
            **ghost, month=date(2026, 3, 1), total_inquiries=3
        )
    )
    await session.flush()
    day_dims = await dims(session, store.id)
    columns = ("total_inquiries", "resolved_inquiries")
    for start, end in [
        (date(2026, 3, 10), date(2026, 5, 25)),  # March and May less their days outside
        (date(2026, 3, 1), date(2026, 5, 25)),  # the ghost's day is inside
        (date(2026, 4, 3), date(2026, 4, 27)),  # April less five days
    ]:
        expected: dict[str, dict[str, Counter[str]]] = {"inquiry_type": {}, "channel": {}}
        for (day, dimension, key), counters in day_dims.items():
            if dimension in expected and start <= day <= end:
                sums = expected[dimension].setdefault(key, Counter({c: 0 for c in columns}))
                sums.update({c: counters[c] for c in columns})
        expected = {
            d: {k: c for k, c in keyed.items() if any(c.values())} for d, keyed in expected.items()
        }
        got = await repository.breakdowns(
            session,
            store.id,
            start,
            end,
            [("inquiry_type", None), ("channel", None)],
            columns,
            nonzero=True,
        )
        assert got == expected, (start, end)
        assert ("ghost" in got["inquiry_type"]) == (start.day == 1), (start, end)
        assert sum(c["total_inquiries"] for c in got["channel"].values()) > 20  # real data


def test_the_migration_fills_the_months_from_the_stored_days(scratch_url: str) -> None:  # noqa: F811
    store_id = uuid.uuid4()

    async def fill(conn: AsyncConnection) -> None:
        await conn.execute(
            insert(Store.__table__).values(id=store_id, name="M", widget_key=uuid.uuid4().hex)
        )
        for day, key, total in (
            (date(2026, 1, 31), "status", 2),
            (date(2026, 2, 1), "status", 3),
            (date(2026, 2, 28), "status", 5),
            (date(2026, 2, 28), "refund", 7),
        ):
            await conn.execute(
                insert(WismoDailyDimensionMetrics.__table__).values(
                    store_id=store_id,
                    date=day,
                    dimension="inquiry_type",
                    key=key,
                    total_inquiries=total,
                )
            )
            await conn.execute(
                insert(WismoDailyHistogram.__table__).values(
                    store_id=store_id,
                    date=day,
                    metric="resolution",
                    segment="",
                    bucket={"status": 6, "refund": 3}[key],
                    count=total,
                )
            )

    dims_rows, hist_rows = rows_after_upgrade(
        scratch_url,
        "0015",
        fill,
        [
            "SELECT month, key, total_inquiries FROM wismo_monthly_dimension_metrics "
            "ORDER BY month, key",
            "SELECT month, bucket, count FROM wismo_monthly_histograms ORDER BY month, bucket",
        ],
    )
    as_dates = [(date.fromisoformat(str(m)[:10]), k, n) for m, k, n in dims_rows]
    assert as_dates == [
        (date(2026, 1, 1), "status", 2),
        (date(2026, 2, 1), "refund", 7),
        (date(2026, 2, 1), "status", 8),
    ]
    assert [(date.fromisoformat(str(m)[:10]), b, n) for m, b, n in hist_rows] == [
        (date(2026, 1, 1), 6, 2),
        (date(2026, 2, 1), 3, 7),
        (date(2026, 2, 1), 6, 8),
    ]
