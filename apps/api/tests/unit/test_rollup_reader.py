"""`app/analytics/repository.py` is the only reader of the rollup tables (DESIGN 1, 3)."""

import ast
import re
from datetime import date
from pathlib import Path

import pytest

from app.analytics import repository
from app.analytics.metrics import counters_of, evaluate
from app.ingestion.rollups import DAILY_COLUMNS

APP = Path(__file__).resolve().parents[2] / "app"
READER = APP / "analytics" / "repository.py"
ROLLUP_MODELS = {
    "WismoDailyMetrics",
    "WismoDailyDimensionMetrics",
    "WismoDailyHistogram",
    "WismoMonthlyDimensionMetrics",
    "WismoMonthlyHistogram",
    "WismoYearlyHistogram",
}
RAW_SQL_READ = re.compile(r"\b(from|join)\s+wismo_(daily|monthly|yearly)_", re.IGNORECASE)


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def rollup_reads(source: str, where: str) -> list[str]:
    """`select(...)` or `session.get(...)` naming a rollup model (or a local alias of one), and
    raw SQL that reads a rollup table."""
    tree = ast.parse(source)
    names = set(ROLLUP_MODELS)
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(sub, ast.Name) and sub.id in names for sub in ast.walk(node.value)
        ):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called_name(node) in ("select", "get"):
            args = node.args if _called_name(node) == "select" else node.args[:1]
            if any(
                isinstance(sub, ast.Name) and sub.id in names
                for arg in args
                for sub in ast.walk(arg)
            ):
                found.append(f"{where}:{node.lineno}")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and RAW_SQL_READ.search(node.value)
        ):
            found.append(f"{where}:{node.lineno} (SQL text)")
    return found


def test_only_the_repository_reads_the_rollup_tables() -> None:
    reads = [
        hit
        for path in sorted(APP.rglob("*.py"))
        if path != READER
        for hit in rollup_reads(path.read_text(), str(path.relative_to(APP.parent)))
    ]
    assert reads == [], "read rollups through app.analytics.repository:\n" + "\n".join(reads)


def test_the_guard_catches_what_it_should() -> None:
    assert rollup_reads(READER.read_text(), "repository")
    aliased = "t = WismoDailyHistogram\nrows = select(t.bucket, func.sum(t.count))\n"
    assert rollup_reads(aliased, "x") == ["x:2"]
    columns = "c = WismoDailyHistogram.__table__.c\nrows = select(c.bucket, func.sum(c.count))\n"
    assert rollup_reads(columns, "x") == ["x:2"]
    assert rollup_reads("row = await db.get(WismoDailyMetrics, (s, d))\n", "x") == ["x:1"]
    assert rollup_reads('q = text("SELECT * FROM wismo_daily_metrics")\n', "x")
    # the writer's statements are not reads
    assert rollup_reads("await s.execute(delete(WismoDailyMetrics))\n", "x") == []


def test_buckets_are_local_days_iso_weeks_and_months_labelled_by_their_first_date() -> None:
    # 2026-01-28 is a Wednesday; the range runs to Tuesday 2026-03-03.
    start, end = date(2026, 1, 28), date(2026, 3, 3)
    assert repository.bucket_starts(start, end, "week")[:2] == [date(2026, 1, 28), date(2026, 2, 2)]
    assert repository.bucket_starts(start, end, "week")[-1] == date(2026, 3, 2)
    assert len(repository.bucket_starts(start, end, "week")) == 6  # 1 partial + 4 + 1 partial
    assert repository.bucket_starts(start, end, "month") == [
        date(2026, 1, 28),
        date(2026, 2, 1),
        date(2026, 3, 1),
    ]
    assert len(repository.bucket_starts(start, end, "day")) == 35

    def inquiries(n: int) -> tuple[int, ...]:
        return tuple(n if c == "total_inquiries" else 0 for c in DAILY_COLUMNS)

    days = repository.Days(
        {
            date(2026, 1, 27): inquiries(100),  # before the range: left out
            date(2026, 1, 28): inquiries(1),
            date(2026, 2, 1): inquiries(2),  # a Sunday: still the first week
            date(2026, 2, 2): inquiries(4),
            date(2026, 3, 3): inquiries(8),
        }
    )
    weeks = days.bucketed(start, end, "week")
    assert [c["total_inquiries"] for c in weeks.values()] == [3, 4, 0, 0, 0, 8]
    months = days.bucketed(start, end, "month")
    assert [c["total_inquiries"] for c in months.values()] == [1, 6, 8]
    by_day = days.bucketed(start, end, "day")
    assert len(by_day) == 35 and sum(c["total_inquiries"] for c in by_day.values()) == 15
    assert by_day[date(2026, 2, 1)]["total_inquiries"] == 2
    assert by_day[date(2026, 2, 3)].get("total_inquiries") == 0  # a day without a row
    assert by_day[date(2026, 2, 3)].get("no_such_counter") is None
    # A range starting on a Monday or on the first of a month has no partial first bucket.
    assert repository.bucket_starts(date(2026, 2, 2), date(2026, 2, 15), "week") == [
        date(2026, 2, 2),
        date(2026, 2, 9),
    ]
    assert repository.bucket_starts(date(2026, 2, 1), date(2026, 3, 1), "month") == [
        date(2026, 2, 1),
        date(2026, 3, 1),
    ]
    assert repository.bucket_starts(start, start, "week") == [start]


def test_a_page_reads_only_its_columns_and_a_column_left_out_is_refused() -> None:
    assert counters_of(["inquiry_rate", "total_orders"]) == {"total_inquiries", "total_orders"}
    columns = repository.columns_of(frozenset({"total_orders", "total_inquiries"}))
    assert columns.names == ("total_orders", "total_inquiries")  # DAILY_COLUMNS order
    days = repository.Days(
        {date(2026, 3, 2): (10, 3), date(2026, 3, 4): (20, 5)},  # (orders, inquiries)
        columns,
    )
    week = days.bucketed(date(2026, 3, 2), date(2026, 3, 8), "week")[date(2026, 3, 2)]
    assert dict(week) == {"total_orders": 30, "total_inquiries": 8}
    assert evaluate("inquiry_rate", week) == 8 / 30
    empty = days.bucketed(date(2026, 3, 3), date(2026, 3, 3), "day")[date(2026, 3, 3)]
    assert dict(empty) == {"total_orders": 0, "total_inquiries": 0}
    # A rollup column the read left out would be a silent 0 in a figure: it raises instead.
    with pytest.raises(KeyError, match="resolved_inquiries was not read"):
        week.get("resolved_inquiries", 0)
    with pytest.raises(KeyError):
        week["resolved_inquiries"]
    with pytest.raises(KeyError):
        evaluate("avg_resolution_seconds", week)
    assert week.get("no_such_counter", 0) == 0
    with pytest.raises(AssertionError, match="not daily rollup columns"):
        repository.columns_of(frozenset({"total_orders", "rating_total"}))
