"""Fulfillment bottlenecks: a rising time to ship, and its lagged link to inquiries."""

from datetime import date, timedelta

import numpy as np
import pytest

from app.insights.fulfillment import (
    DayFulfillment,
    detect_bottleneck,
    lagged_correlation,
    weekday_adjusted,
)

START = date(2026, 3, 2)  # a Monday
HOUR = 3600
MONDAY_FACTOR = 2.0  # the weekend's orders ship on Monday


def series(
    days: int, tts_hours: list[float], inquiries: list[int], orders: int = 40
) -> list[DayFulfillment]:
    out = []
    for i in range(days):
        d = START + timedelta(days=i)
        shipped = 30
        factor = MONDAY_FACTOR if d.weekday() == 0 else 1.0
        seconds = round(shipped * tts_hours[i] * factor * HOUR)
        out.append(DayFulfillment(d, shipped, seconds, inquiries[i], orders))
    return out


def test_weekday_adjustment_removes_a_pure_weekly_pattern() -> None:
    values = {START + timedelta(days=i): (2.0 if i % 7 == 0 else 1.0) for i in range(28)}
    adjusted = weekday_adjusted(values)
    assert len(set(round(v, 9) for v in adjusted.values())) == 1


def test_rising_time_to_ship_is_a_bottleneck() -> None:
    days = 30
    tts = [20 + i * 0.8 for i in range(days)]  # 20 h -> 43 h
    found = detect_bottleneck(series(days, tts, [10] * days))
    assert found is not None
    assert found.rise > 0.5
    assert found.p_value < 0.001
    # the Theil-Sen slope of the weekday-adjusted series: 0.8 h a day, rescaled to the overall
    # mean, which the Monday doubling lifts by 8/7
    assert found.slope_seconds_per_day == pytest.approx(0.8 * HOUR * 8 / 7, rel=0.1)


def test_a_flat_time_to_ship_with_a_monday_bump_is_not() -> None:
    rng = np.random.default_rng(5)
    days = 42
    tts = [24 + float(rng.normal(0, 2)) for _ in range(days)]
    assert detect_bottleneck(series(days, tts, [10] * days)) is None


def test_slow_shipping_followed_by_inquiries_three_days_later() -> None:
    rng = np.random.default_rng(7)
    days = 60
    tts = [24 + float(rng.normal(0, 6)) for _ in range(days)]
    inquiries = [10] * days
    for i in range(days - 3):
        inquiries[i + 3] = max(0, round(10 + (tts[i] - 24) * 0.8 + float(rng.normal(0, 1))))
    found = lagged_correlation(series(days, tts, inquiries))
    assert found is not None
    assert found.lag_days == 3
    assert found.r > 0.6


def test_no_link_no_correlation() -> None:
    rng = np.random.default_rng(8)
    days = 60
    tts = [24 + float(rng.normal(0, 6)) for _ in range(days)]
    inquiries = [int(rng.poisson(10)) for _ in range(days)]
    assert lagged_correlation(series(days, tts, inquiries)) is None


def test_too_few_days_say_nothing() -> None:
    assert detect_bottleneck(series(7, [10.0 * i for i in range(7)], [1] * 7)) is None
