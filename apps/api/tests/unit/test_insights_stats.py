"""The hand-rolled statistics, against values computed by hand (or from textbook tables)."""

import math

import pytest

from app.insights import stats


def test_normal_tail() -> None:
    assert stats.normal_sf(0) == pytest.approx(0.5)
    assert stats.normal_sf(1.959964) == pytest.approx(0.025, abs=1e-6)
    assert stats.normal_sf(2.326348) == pytest.approx(0.01, abs=1e-6)


def test_median_and_mad() -> None:
    assert stats.median([3, 1, 2]) == 2
    assert stats.median([4, 1, 3, 2]) == 2.5
    # deviations from 3: 2, 1, 0, 1, 7 -> median 1
    assert stats.mad([1, 2, 3, 4, 10]) == 1


def test_two_proportion_z_by_hand() -> None:
    # 30/100 vs 15/100: pooled 0.225, se = sqrt(.225 * .775 * .02) = 0.059055
    r = stats.two_proportion_z(30, 100, 15, 100)
    assert r.statistic == pytest.approx(0.15 / math.sqrt(0.225 * 0.775 * 0.02))
    assert r.statistic == pytest.approx(2.5400, abs=1e-3)
    assert r.p_value == pytest.approx(0.00554, abs=1e-4)
    assert stats.two_proportion_z(5, 10, 5, 10).p_value == pytest.approx(0.5)


def test_poisson_rate_z_by_hand() -> None:
    # 60 events over 100 vs 40 over 100: n = 100, p = 0.5, z = (60 - 50) / 5 = 2
    r = stats.poisson_rate_z(60, 100, 40, 100)
    assert r.statistic == pytest.approx(2.0)
    assert r.p_value == pytest.approx(stats.normal_sf(2.0))


def test_welch_z_by_hand() -> None:
    a = {5.0: 30, 4.0: 30}  # mean 4.5, var = 60 * 0.25 / 59
    b = {3.0: 30, 4.0: 30}  # mean 3.5, same var
    var = 60 * 0.25 / 59
    r = stats.welch_z(a, b)
    assert r.statistic == pytest.approx(1.0 / math.sqrt(2 * var / 60))


def test_mann_whitney_binned_matches_the_textbook_u() -> None:
    # a = [1, 2, 3], b = [2, 4, 5]: U_a counts pairs a > b (+ half ties): (2,2) tie = 0.5,
    # 3 > 2 = 1 -> U = 1.5; effect = 1.5 / 9
    r = stats.mann_whitney({1.0: 1, 2.0: 1, 3.0: 1}, {2.0: 1, 4.0: 1, 5.0: 1})
    assert r.effect == pytest.approx(1.5 / 9)
    assert r.statistic < 0
    # identical samples: no evidence either way
    same = stats.mann_whitney({1.0: 10, 2.0: 10}, {1.0: 10, 2.0: 10})
    assert same.effect == pytest.approx(0.5)
    assert same.p_value == pytest.approx(0.5)


def test_mann_kendall_increasing_series() -> None:
    r = stats.mann_kendall([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    assert r.s == 45
    # var = 10 * 9 * 25 / 18 = 125; z = 44 / sqrt(125)
    assert r.z == pytest.approx(44 / math.sqrt(125))
    assert r.slope == pytest.approx(1.0)
    flat = stats.mann_kendall([5, 5, 5, 5, 5])
    assert flat.p_value == 1.0


def test_pearson_detrend_holm() -> None:
    assert stats.pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert stats.pearson([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert stats.detrend([1, 3, 5, 7]) == pytest.approx([0, 0, 0, 0])
    # Holm: sorted p 0.01, 0.02, 0.04 with m = 3 -> 0.03, 0.04, 0.04
    assert stats.holm([0.04, 0.01, 0.02]) == pytest.approx([0.04, 0.03, 0.04])
    assert stats.correlation_p(0.0, 30) == pytest.approx(0.5)
