import math
from collections import Counter
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.analytics import histograms, repository
from app.analytics.service import (
    DateRange,
    bucket_range,
    change_pct,
    pearson,
    resolve_range,
)
from app.core.errors import ValidationError


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=90 * 86400), min_size=1, max_size=200),
    st.sampled_from([0.5, 0.9]),
)
def test_histogram_quantile_is_within_the_stated_bound(values: list[int], q: float) -> None:
    exact = sorted(values)[max(1, math.ceil(q * len(values))) - 1]  # nearest rank
    counts = Counter(histograms.bucket_of(v) for v in values)
    estimate = histograms.quantile(counts, q)
    assert estimate is not None
    assert abs(estimate - exact) / exact <= histograms.RELATIVE_ERROR_BOUND + 1e-12


def test_bucket_edges() -> None:
    assert histograms.bucket_of(0.5) == 0
    assert histograms.bucket_of(1) == 1  # [1.1^0, 1.1^1)
    assert histograms.bucket_of(1.1) == 2
    assert histograms.quantile({}, 0.5) is None


def test_resolve_named_ranges_end_today() -> None:
    rng = resolve_range("7d", None, None, "Asia/Tokyo", today=date(2026, 3, 10))
    assert (rng.start, rng.end) == (date(2026, 3, 4), date(2026, 3, 10))
    assert (rng.previous.start, rng.previous.end) == (date(2026, 2, 25), date(2026, 3, 3))
    with pytest.raises(ValidationError):
        resolve_range("custom", date(2024, 1, 1), date(2026, 1, 1), "UTC")


def test_buckets_week_and_month() -> None:
    rng = DateRange(date(2026, 1, 28), date(2026, 3, 3), "UTC")
    assert repository.bucket_starts(rng.start, rng.end, "month") == [
        date(2026, 1, 28),
        date(2026, 2, 1),
        date(2026, 3, 1),
    ]
    feb = bucket_range(rng, date(2026, 2, 1), "month")
    assert (feb.start, feb.end) == (date(2026, 2, 1), date(2026, 2, 28))
    first_week = bucket_range(rng, date(2026, 1, 28), "week")  # Wed, clipped to P
    assert (first_week.start, first_week.end) == (date(2026, 1, 28), date(2026, 2, 1))
    last_week = bucket_range(rng, date(2026, 3, 2), "week")
    assert (last_week.start, last_week.end) == (date(2026, 3, 2), date(2026, 3, 3))


def test_change_pct_and_pearson() -> None:
    assert change_pct(150, 100) == 50.0
    assert change_pct(1, 0) is None and change_pct(None, 3) is None
    # Perfectly anti-correlated pairs.
    assert pearson({(0, 5): 1, (1, 4): 1, (2, 3): 1}) == pytest.approx(-1.0)
    assert pearson({(0, 5): 2}) is None
