"""Satisfaction drivers: which segments and which resolution times pull the score down.

- Segments (inquiry type, carrier, order status at the time of asking): each segment's CSAT
  (share of 4-5 ratings) against the rest of the store's, two-proportion z-test, Holm over
  all segments, at least 30 ratings on each side and a gap of at least 10 points.
- Resolution time: the ratings of inquiries resolved faster than a cut (1 h, 4 h, 24 h, 3 days)
  against those resolved slower, Welch statistic on the rating distributions, Holm over the
  cuts; among the cuts with a significant drop of at least 0.3 points, the one with the
  strongest evidence (largest statistic) is reported.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.analytics.metrics import evaluate
from app.insights.stats import holm, mean_of, two_proportion_z, welch_z

MIN_RATINGS = 30
MIN_CSAT_GAP = 0.10
MIN_SCORE_DROP = 0.3
ALPHA = 0.01


@dataclass(frozen=True)
class SegmentRatings:
    dimension: str
    key: str
    rating_count: int
    rating_sum: int
    satisfied: int

    @property
    def counters(self) -> dict[str, int]:
        return {
            "rating_count": self.rating_count,
            "rating_sum": self.rating_sum,
            "satisfied_count": self.satisfied,
        }

    def _rated(self, slug: str) -> float:
        value = evaluate(slug, self.counters)
        if value is None:
            raise ValueError(f"segment {self.dimension}={self.key} has no ratings")
        return float(value)

    @property
    def csat(self) -> float:
        return self._rated("csat")

    @property
    def score(self) -> float:
        return self._rated("satisfaction_score")


@dataclass(frozen=True)
class Driver:
    segment: SegmentRatings
    rest_csat: float
    rest_score: float
    p_value: float


def segment_drivers(segments: Sequence[SegmentRatings]) -> list[Driver]:
    """Segments significantly less satisfied than the rest (within their own dimension)."""
    totals: dict[str, tuple[int, int, int]] = {}
    for s in segments:
        n, total, sat = totals.get(s.dimension, (0, 0, 0))
        totals[s.dimension] = (n + s.rating_count, total + s.rating_sum, sat + s.satisfied)
    tests: list[tuple[SegmentRatings, float, float, float]] = []
    for s in segments:
        n, rating_sum, sat = totals[s.dimension]
        rest_n, rest_sum, rest_sat = (
            n - s.rating_count,
            rating_sum - s.rating_sum,
            sat - s.satisfied,
        )
        if s.rating_count < MIN_RATINGS or rest_n < MIN_RATINGS:
            continue
        t = two_proportion_z(rest_sat, rest_n, s.satisfied, s.rating_count)
        rest = SegmentRatings(s.dimension, "rest", rest_n, rest_sum, rest_sat)
        tests.append((s, rest.csat, rest.score, t.p_value))
    if not tests:
        return []
    adjusted = holm([t[3] for t in tests])
    drivers = [
        Driver(s, rest_csat, rest_score, p)
        for (s, rest_csat, rest_score, _), p in zip(tests, adjusted, strict=True)
        if p < ALPHA and rest_csat - s.csat >= MIN_CSAT_GAP
    ]
    return sorted(
        drivers,
        key=lambda d: (-(d.rest_csat - d.segment.csat) * d.segment.rating_count, d.segment.key),
    )


@dataclass(frozen=True)
class ResolutionEffect:
    cut_label: str  # e.g. "4 h"
    fast_score: float
    slow_score: float
    fast_count: int
    slow_count: int
    p_value: float
    band_scores: list[tuple[str, int, float | None]]  # (band label, ratings, mean score)


def resolution_effect(
    bands: Sequence[str],
    ratings_by_band: Mapping[int, Mapping[int, int]],
    cut_labels: Sequence[str],
) -> ResolutionEffect | None:
    """`ratings_by_band[band][rating] = count`; cut i separates bands < i from bands >= i
    (`cut_labels[i - 1]` names it)."""
    band_scores = [
        (
            label,
            sum(ratings_by_band.get(i, {}).values()),
            mean_of({float(r): n for r, n in ratings_by_band.get(i, {}).items()}),
        )
        for i, label in enumerate(bands)
    ]
    tests: list[tuple[int, dict[float, int], dict[float, int], float, float]] = []
    for cut in range(1, len(bands)):
        fast: dict[float, int] = {}
        slow: dict[float, int] = {}
        for band, dist in ratings_by_band.items():
            target = fast if band < cut else slow
            for r, n in dist.items():
                target[float(r)] = target.get(float(r), 0) + n
        if sum(fast.values()) < MIN_RATINGS or sum(slow.values()) < MIN_RATINGS:
            continue
        result = welch_z(fast, slow)
        tests.append((cut, fast, slow, result.p_value, result.statistic))
    if not tests:
        return None
    adjusted = holm([t[3] for t in tests])
    best: ResolutionEffect | None = None
    best_z = 0.0
    for (cut, fast, slow, _, z), p in zip(tests, adjusted, strict=True):
        fast_mean, slow_mean = mean_of(fast), mean_of(slow)
        if fast_mean is None or slow_mean is None:
            continue
        drop = fast_mean - slow_mean
        if p >= ALPHA or drop < MIN_SCORE_DROP:
            continue
        if best is None or z > best_z:
            best_z = z
            best = ResolutionEffect(
                cut_labels[cut - 1],
                fast_mean,
                slow_mean,
                sum(fast.values()),
                sum(slow.values()),
                p,
                band_scores,
            )
    return best
