"""Significant changes against the previous period: successes when a metric improved,
warnings when it worsened.

Rates use a two-proportion z-test (inquiries per order: the conditional Poisson rate test),
durations a Mann-Whitney U on the duration histograms, the satisfaction score Welch's
statistic on the rating distributions. A change is reported when its two-sided p-value,
Holm-corrected over every metric tested, is below 1% and it moved at least 10% (relative).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from app.insights.stats import (
    holm,
    mann_whitney,
    mean_of,
    poisson_rate_z,
    two_proportion_z,
    welch_z,
)

ALPHA = 0.01
MIN_RELATIVE = 0.10
MIN_TRIALS = 50  # denominators of rates
MIN_DURATIONS = 30
MIN_RATINGS = 30

Better = Literal["higher", "lower"]


@dataclass(frozen=True)
class RateInput:
    metric: str
    label: str
    better: Better
    current: tuple[int, int]  # (events, trials)
    previous: tuple[int, int]
    poisson: bool = False  # events per exposure rather than a share of trials


@dataclass(frozen=True)
class DistributionInput:
    metric: str
    label: str
    better: Better
    current: Mapping[float, int]  # value (or histogram bucket) -> count
    previous: Mapping[float, int]
    current_value: float | None  # the metric as the dashboard shows it (exact mean)
    previous_value: float | None
    test: Literal["mann_whitney", "welch"] = "mann_whitney"


@dataclass(frozen=True)
class Change:
    metric: str
    label: str
    better: Better
    current: float
    previous: float
    p_value: float  # Holm-adjusted, two-sided

    @property
    def relative(self) -> float:
        return self.current / self.previous - 1 if self.previous else 0.0

    @property
    def improved(self) -> bool:
        return (self.current < self.previous) == (self.better == "lower")


def _two_sided(p_one_sided: float) -> float:
    return min(1.0, 2 * min(p_one_sided, 1 - p_one_sided))


def significant_changes(
    rates: list[RateInput], distributions: list[DistributionInput]
) -> list[Change]:
    tests: list[tuple[str, str, Better, float, float, float]] = []
    for r in rates:
        (x1, n1), (x2, n2) = r.current, r.previous
        if n1 < MIN_TRIALS or n2 < MIN_TRIALS:
            continue
        test = poisson_rate_z if r.poisson else two_proportion_z
        t = test(x1, n1, x2, n2)
        tests.append((r.metric, r.label, r.better, x1 / n1, x2 / n2, _two_sided(t.p_value)))
    for d in distributions:
        if d.current_value is None or d.previous_value is None:
            continue
        if d.test == "welch":
            if sum(d.current.values()) < MIN_RATINGS or sum(d.previous.values()) < MIN_RATINGS:
                continue
            p = _two_sided(welch_z(d.current, d.previous).p_value)
        else:
            if sum(d.current.values()) < MIN_DURATIONS or sum(d.previous.values()) < MIN_DURATIONS:
                continue
            p = _two_sided(mann_whitney(d.current, d.previous).p_value)
        tests.append((d.metric, d.label, d.better, d.current_value, d.previous_value, p))
    if not tests:
        return []
    adjusted = holm([t[5] for t in tests])
    out: list[Change] = []
    for (metric, label, better, cur, prev, _), p in zip(tests, adjusted, strict=True):
        change = Change(metric, label, better, cur, prev, p)
        if p < ALPHA and prev and abs(change.relative) >= MIN_RELATIVE:
            out.append(change)
    return sorted(out, key=lambda c: (-abs(c.relative), c.metric))


def mean_value(dist: Mapping[float, int]) -> float | None:
    return mean_of(dist)
