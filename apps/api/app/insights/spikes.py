"""Inquiry spikes: days far above a robust, weekday-aware baseline.

For a day d, the baseline is the previous `weeks` weeks (8 by default):

- level: the median of the same weekday in those weeks, so a busy Monday is compared with
  Mondays, never with Sundays;
- spread: quasi-Poisson. Every day of the window gets a Pearson residual against its own
  weekday median, (x - m) / sqrt(m + 1); the dispersion factor is the root mean square of
  those residuals with the largest 10% left out (past spikes), rescaled to a normal sigma and
  at least 1 (never less noisy than Poisson); the day's spread is sqrt(m + 1) x dispersion.
  Pooling all 7 x `weeks` residuals keeps it stable where 8 same-weekday values would not.

A day is elevated when its robust z = (count - m) / spread >= 2 and count >= 1.2 x m. An
episode is a run of elevated days (at most two ordinary days in between, which it includes:
an incident that spans a weekend, when fewer parcels move and fewer people write, is one).
It is a spike when its combined z (excess over the summed baseline, in units of the combined
spread) is >= 6, or a single day of it has z >= 6.5; and its peak day has >= 10 inquiries (tiny
volumes never alarm), its total is >= 1.5 x the baseline (a large store's +5 sigma that is
only +10% is no spike), and the store has >= 4 weeks of history. Demanding a stronger signal
from one day than from a run keeps one-day bursts (a handful of customers asking three times)
from alarming, while a week-long incident is one insight and one alert, not three.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.insights.stats import median

WEEKS = 8
MIN_WEEKS = 4
EPISODE_Z = 6.0
DAY_Z = 6.5
MIN_COUNT = 10
MIN_RATIO = 1.5
Z_ELEVATED = 2.0
RATIO_ELEVATED = 1.2
MAX_GAP_DAYS = 2  # ordinary days an episode bridges: a weekend lull inside an incident


@dataclass(frozen=True)
class DayScore:
    day: date
    count: int
    expected: float  # the weekday median
    spread: float
    z: float
    baseline_weeks: int
    dispersion: float

    @property
    def ratio(self) -> float:
        return self.count / max(self.expected, 1.0)


@dataclass
class Episode:
    """A run of elevated days (and the ordinary days between them)."""

    days: list[DayScore] = field(default_factory=list)

    @property
    def start(self) -> date:
        return self.days[0].day

    @property
    def end(self) -> date:
        return self.days[-1].day

    @property
    def peak(self) -> DayScore:
        return max(self.days, key=lambda d: (d.z, d.count))

    @property
    def total(self) -> int:
        return sum(d.count for d in self.days)

    @property
    def expected(self) -> float:
        return sum(d.expected for d in self.days)

    @property
    def z(self) -> float:
        """The episode's excess over its baseline in units of its combined spread."""
        spread = sum(d.spread**2 for d in self.days) ** 0.5
        return (self.total - self.expected) / spread if spread else 0.0

    @property
    def ratio(self) -> float:
        return self.total / max(self.expected, 1.0)


def _weekday_medians(
    counts: Mapping[date, int], window: list[date]
) -> dict[int, tuple[float, int]]:
    values: dict[int, list[int]] = {}
    for d in window:
        values.setdefault(d.weekday(), []).append(counts.get(d, 0))
    return {w: (median(v), len(v)) for w, v in values.items()}


# E[Z^2 | |Z| below its 90% quantile] for a standard normal Z: (0.9 - 2 c phi(c)) / 0.9, c = 1.645
_TRIMMED_SECOND_MOMENT = 0.6232
TRIM = 0.10


def _dispersion(residuals: list[float]) -> float:
    """Robust quasi-Poisson dispersion: the root mean square of the Pearson residuals with the
    largest 10% left out (past spikes), rescaled so that normal residuals give their sigma."""
    if not residuals:
        return 1.0
    squares = sorted(r * r for r in residuals)
    kept = squares[: max(1, round(len(squares) * (1 - TRIM)))]
    return math.sqrt(sum(kept) / len(kept) / _TRIMMED_SECOND_MOMENT)


def score_day(
    counts: Mapping[date, int],
    day: date,
    first_day: date,
    *,
    weeks: int = WEEKS,
    min_weeks: int = MIN_WEEKS,
) -> DayScore | None:
    """The day against its baseline; None without `min_weeks` weeks of history."""
    start = max(first_day, day - timedelta(days=7 * weeks))
    window = [start + timedelta(days=i) for i in range((day - start).days)]
    medians = _weekday_medians(counts, window)
    level, n_weeks = medians.get(day.weekday(), (0.0, 0))
    if n_weeks < min_weeks:
        return None
    residuals = [
        (counts.get(d, 0) - medians[d.weekday()][0]) / (medians[d.weekday()][0] + 1.0) ** 0.5
        for d in window
    ]
    dispersion = max(1.0, _dispersion(residuals))
    spread = (level + 1.0) ** 0.5 * dispersion
    count = counts.get(day, 0)
    return DayScore(day, count, level, spread, (count - level) / spread, n_weeks, dispersion)


def is_elevated(s: DayScore) -> bool:
    return s.z >= Z_ELEVATED and s.count >= RATIO_ELEVATED * s.expected


def is_spike(
    e: Episode,
    *,
    episode_z: float = EPISODE_Z,
    day_z: float = DAY_Z,
    min_count: int = MIN_COUNT,
    min_ratio: float = MIN_RATIO,
) -> bool:
    return (
        ((len(e.days) > 1 and e.z >= episode_z) or e.peak.z >= day_z)
        and e.peak.count >= min_count
        and e.ratio >= min_ratio
    )


def detect_episodes(
    counts: Mapping[date, int],
    days: Iterable[date],
    first_day: date,
    *,
    weeks: int = WEEKS,
    min_weeks: int = MIN_WEEKS,
    episode_z: float = EPISODE_Z,
    day_z: float = DAY_Z,
    min_count: int = MIN_COUNT,
    min_ratio: float = MIN_RATIO,
) -> list[Episode]:
    """Spike episodes among `days`. `counts` must cover `weeks` weeks before them; a day
    without a value counts as 0 from `first_day` (the store's first day of data) on."""
    scored = {
        s.day: s
        for s in (
            score_day(counts, d, first_day, weeks=weeks, min_weeks=min_weeks)
            for d in sorted(set(days))
        )
        if s is not None
    }
    runs: list[list[DayScore]] = []
    for s in sorted(scored.values(), key=lambda s: s.day):
        if not is_elevated(s):
            continue
        if runs and (s.day - runs[-1][-1].day).days <= MAX_GAP_DAYS + 1:
            last = runs[-1][-1].day
            gap = [last + timedelta(days=i) for i in range(1, (s.day - last).days)]
            runs[-1].extend(scored[d] for d in gap if d in scored)
            runs[-1].append(s)
        else:
            runs.append([s])
    episodes = [Episode(run) for run in runs]
    return [
        e
        for e in episodes
        if is_spike(e, episode_z=episode_z, day_z=day_z, min_count=min_count, min_ratio=min_ratio)
    ]
