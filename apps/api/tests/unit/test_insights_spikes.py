"""The inquiry-spike detector on synthetic daily series.

`false_alarm_rate()` is the figure quoted in the issue note: the share of 1,000 spike-free
synthetic stores (weekly seasonality, growth, over-dispersed counts) whose last 30 days raise
at least one spike. Print it with

    uv run python -c "from tests.unit.test_insights_spikes import false_alarm_rate as f; print(f())"
"""

from datetime import date, timedelta

import numpy as np
import pytest

from app.insights import spikes

START = date(2026, 1, 5)  # a Monday
WEEKLY = (1.3, 1.2, 1.1, 1.0, 0.9, 0.5, 0.6)  # strong weekday pattern, quiet weekends


def seasonal(days: int, base: float) -> dict[date, int]:
    """Noise-free weekly pattern: every Monday the same, every Saturday the same..."""
    return {START + timedelta(days=i): round(base * WEEKLY[i % 7]) for i in range(days)}


def synthetic(rng: np.random.Generator, days: int = 120) -> dict[date, int]:
    """Spike-free: weekly seasonality, 0-15% monthly growth, negative-binomial noise."""
    base = float(np.exp(rng.uniform(np.log(3), np.log(300))))
    weekly = rng.uniform(0.6, 1.3, 7)
    growth = rng.uniform(0, 0.15)
    k = rng.uniform(5, 100)  # gamma-Poisson shape: var = mu + mu^2 / k
    out: dict[date, int] = {}
    for t in range(days):
        d = START + timedelta(days=t)
        mu = base * weekly[d.weekday()] * (1 + growth) ** ((t - days) / 30)
        out[d] = int(rng.poisson(rng.gamma(k, mu / k)))
    return out


def last(days: int, total: int = 120) -> list[date]:
    return [START + timedelta(days=total - days + i) for i in range(days)]


def false_alarm_rate(series: int = 1000, seed: int = 1) -> float:
    rng = np.random.default_rng(seed)
    alarms = 0
    for _ in range(series):
        counts = synthetic(rng)
        alarms += bool(spikes.detect_episodes(counts, last(30), START))
    return alarms / series


def test_weekly_seasonality_alone_never_alarms() -> None:
    counts = seasonal(120, base=200)
    assert spikes.detect_episodes(counts, last(60), START) == []


def test_busy_monday_is_compared_with_mondays() -> None:
    # Mondays are 1.3x, Saturdays 0.5x: a Monday at its usual level is not a spike even
    # though it is 2.6x a Saturday.
    counts = seasonal(70, base=100)
    monday = START + timedelta(days=63)
    assert monday.weekday() == 0
    score = spikes.score_day(counts, monday, START)
    assert score is not None
    assert score.expected == 130
    assert score.z == 0


def test_a_clear_spike_is_found_with_its_numbers() -> None:
    counts = seasonal(70, base=40)
    day = START + timedelta(days=68)  # a Saturday: usual 20
    assert day.weekday() == 5
    counts[day] = 80
    found = spikes.detect_episodes(counts, last(14, 70), START)
    assert len(found) == 1
    ep = found[0]
    assert (ep.start, ep.end, ep.peak.day) == (day, day, day)
    assert ep.peak.expected == 20
    # Poisson spread sqrt(21) (the noise-free history has no extra dispersion)
    assert ep.peak.z == pytest.approx(60 / 21**0.5)
    assert ep.peak.ratio == pytest.approx(4.0)


def test_a_week_long_incident_is_one_episode() -> None:
    counts = seasonal(84, base=30)
    incident = [START + timedelta(days=70 + i) for i in range(7)]
    for d in incident:
        counts[d] = round(counts[d] * 2.2)
    found = spikes.detect_episodes(counts, last(21, 84), START)
    assert len(found) == 1
    assert (found[0].start, found[0].end) == (incident[0], incident[-1])


def test_an_incident_with_a_weekend_lull_is_one_episode() -> None:
    # Friday to Thursday; fewer parcels move and fewer people write on Sunday and Monday.
    counts = seasonal(84, base=30)
    incident = [START + timedelta(days=74 + i) for i in range(7)]
    assert incident[0].weekday() == 4
    for d in incident:
        lull = d.weekday() in (6, 0)
        counts[d] = round(counts[d] * (1.0 if lull else 2.2))
    found = spikes.detect_episodes(counts, last(21, 84), START)
    assert len(found) == 1
    assert (found[0].start, found[0].end) == (incident[0], incident[-1])


def test_bursts_three_ordinary_days_apart_are_two_episodes() -> None:
    counts = seasonal(84, base=30)
    first = [START + timedelta(days=74 + i) for i in range(2)]  # Friday, Saturday
    second = [START + timedelta(days=79 + i) for i in range(2)]  # Wednesday, Thursday
    for d in first + second:
        counts[d] = round(counts[d] * 3.0)
    found = spikes.detect_episodes(counts, last(21, 84), START)
    assert [(e.start, e.end) for e in found] == [(first[0], first[-1]), (second[0], second[-1])]


def test_tiny_volumes_never_alarm() -> None:
    counts = seasonal(70, base=1)  # about one inquiry a day
    day = START + timedelta(days=65)
    counts[day] = 8  # 8x the usual, but 8 inquiries
    assert spikes.detect_episodes(counts, last(14, 70), START) == []


def test_a_new_store_has_no_baseline() -> None:
    counts = seasonal(21, base=50)  # three weeks of history
    counts[START + timedelta(days=20)] = 500
    assert spikes.detect_episodes(counts, last(7, 21), START) == []


def test_days_before_the_first_day_do_not_count_as_zero() -> None:
    counts = {d: v for d, v in seasonal(70, base=50).items() if d >= START + timedelta(days=28)}
    day = START + timedelta(days=63)
    score = spikes.score_day(counts, day, START + timedelta(days=28))
    assert score is not None
    assert score.baseline_weeks == 5
    assert score.expected == 65


def test_a_small_lift_on_a_big_store_is_not_a_spike() -> None:
    counts = seasonal(70, base=5000)
    day = START + timedelta(days=66)
    counts[day] = round(counts[day] * 1.3)  # +30%: many sigmas, but not 1.5x
    assert spikes.detect_episodes(counts, last(14, 70), START) == []


def test_false_alarm_rate_on_spike_free_series() -> None:
    # 1,000 synthetic stores, 30 days each: measured 0.7% (seed 1)
    assert false_alarm_rate() <= 0.02


def test_planted_spikes_are_found_in_noisy_series() -> None:
    rng = np.random.default_rng(3)
    found = 0
    for _ in range(200):
        counts = synthetic(rng)
        day = START + timedelta(days=110)
        counts[day] = max(counts[day] * 3, 30)
        found += any(
            e.start <= day <= e.end for e in spikes.detect_episodes(counts, last(30), START)
        )
    assert found / 200 >= 0.6
