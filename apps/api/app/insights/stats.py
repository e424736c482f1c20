"""Small, dependency-free statistics for the insight detectors.

Every test here is a large-sample (normal approximation) test; callers enforce minimum sample
sizes so the approximation holds. p-values are one-sided unless the name says otherwise.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

MAD_TO_SIGMA = 1.4826  # MAD x this = standard deviation for normal data


def normal_sf(z: float) -> float:
    """P(Z > z) for a standard normal Z."""
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def median(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("median of an empty sequence")
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[mid])
    return (ordered[mid - 1] + ordered[mid]) / 2.0


def mad(values: Sequence[float], center: float | None = None) -> float:
    """Median absolute deviation (unscaled)."""
    c = median(values) if center is None else center
    return median([abs(v - c) for v in values])


@dataclass(frozen=True)
class TestResult:
    statistic: float  # z (or an equivalent standardised statistic)
    p_value: float  # one-sided, in the direction the caller asked about


def two_proportion_z(x1: int, n1: int, x2: int, n2: int) -> TestResult:
    """H1: p1 > p2. Pooled two-proportion z-test."""
    if n1 <= 0 or n2 <= 0:
        raise ValueError("both samples need at least one trial")
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return TestResult(0.0, 1.0)
    z = (x1 / n1 - x2 / n2) / se
    return TestResult(z, normal_sf(z))


def poisson_rate_z(c1: int, exposure1: float, c2: int, exposure2: float) -> TestResult:
    """H1: rate1 > rate2 for counts over exposures (e.g. inquiries per shipment).

    Conditional test: given c1 + c2 events, c1 ~ Binomial(c1 + c2, e1 / (e1 + e2)) under H0;
    normal approximation of that binomial.
    """
    n = c1 + c2
    if n == 0 or exposure1 <= 0 or exposure2 <= 0:
        return TestResult(0.0, 1.0)
    p = exposure1 / (exposure1 + exposure2)
    se = math.sqrt(n * p * (1 - p))
    z = (c1 - n * p) / se
    return TestResult(z, normal_sf(z))


def _moments(dist: Mapping[float, int]) -> tuple[int, float, float]:
    n = sum(dist.values())
    if n == 0:
        return 0, 0.0, 0.0
    mean = sum(v * c for v, c in dist.items()) / n
    var = sum(c * (v - mean) ** 2 for v, c in dist.items()) / (n - 1) if n > 1 else 0.0
    return n, mean, var


def welch_z(a: Mapping[float, int], b: Mapping[float, int]) -> TestResult:
    """H1: mean(a) > mean(b), from value -> count distributions (Welch's statistic, normal
    reference distribution: callers require >= 30 observations per side)."""
    na, ma, va = _moments(a)
    nb, mb, vb = _moments(b)
    if na < 2 or nb < 2:
        return TestResult(0.0, 1.0)
    se = math.sqrt(va / na + vb / nb)
    if se == 0:
        return TestResult(0.0, 1.0) if ma == mb else TestResult(math.copysign(99.0, ma - mb), 0.0)
    z = (ma - mb) / se
    return TestResult(z, normal_sf(z))


def mean_of(dist: Mapping[float, int]) -> float | None:
    n, m, _ = _moments(dist)
    return m if n else None


@dataclass(frozen=True)
class MannWhitney:
    statistic: float  # z
    p_value: float  # H1: a tends to be larger than b
    effect: float  # P(a > b) + 0.5 P(a = b): 0.5 = no difference


def mann_whitney(a: Mapping[float, int], b: Mapping[float, int]) -> MannWhitney:
    """Mann-Whitney U on binned data (value -> count), with the tie correction.

    Works on histogram buckets directly: equal buckets are ties.
    """
    n1, n2 = sum(a.values()), sum(b.values())
    if n1 == 0 or n2 == 0:
        return MannWhitney(0.0, 1.0, 0.5)
    values = sorted(set(a) | set(b))
    rank_sum_a = 0.0
    seen = 0
    tie_term = 0.0
    for v in values:
        ca, cb = a.get(v, 0), b.get(v, 0)
        t = ca + cb
        if t == 0:
            continue
        mid_rank = seen + (t + 1) / 2.0
        rank_sum_a += ca * mid_rank
        tie_term += t**3 - t
        seen += t
    u = rank_sum_a - n1 * (n1 + 1) / 2.0
    n = n1 + n2
    mean_u = n1 * n2 / 2.0
    var_u = n1 * n2 / 12.0 * ((n + 1) - tie_term / (n * (n - 1))) if n > 1 else 0.0
    effect = u / (n1 * n2)
    if var_u <= 0:
        return MannWhitney(0.0, 1.0, effect)
    z = (u - mean_u) / math.sqrt(var_u)
    return MannWhitney(z, normal_sf(z), effect)


@dataclass(frozen=True)
class Trend:
    s: int
    z: float
    p_value: float  # H1: increasing
    slope: float  # Theil-Sen slope per step


def mann_kendall(series: Sequence[float]) -> Trend:
    """Mann-Kendall monotonic-trend test (tie-corrected variance) with the Theil-Sen slope."""
    n = len(series)
    if n < 4:
        return Trend(0, 0.0, 1.0, 0.0)
    s = 0
    slopes: list[float] = []
    for i in range(n - 1):
        for j in range(i + 1, n):
            d = series[j] - series[i]
            s += (d > 0) - (d < 0)
            slopes.append(d / (j - i))
    counts: dict[float, int] = {}
    for v in series:
        counts[v] = counts.get(v, 0) + 1
    ties = sum(t * (t - 1) * (2 * t + 5) for t in counts.values() if t > 1)
    var = (n * (n - 1) * (2 * n + 5) - ties) / 18.0
    if var <= 0:
        return Trend(s, 0.0, 1.0, 0.0)
    z = (s - 1) / math.sqrt(var) if s > 0 else (s + 1) / math.sqrt(var) if s < 0 else 0.0
    return Trend(s, z, normal_sf(z), median(slopes))


def pearson(x: Sequence[float], y: Sequence[float]) -> float | None:
    n = len(x)
    if n != len(y) or n < 3:
        return None
    mx, my = sum(x) / n, sum(y) / n
    sxx = sum((v - mx) ** 2 for v in x)
    syy = sum((v - my) ** 2 for v in y)
    if sxx <= 0 or syy <= 0:
        return None
    return sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True)) / math.sqrt(sxx * syy)


def correlation_p(r: float, n: int) -> float:
    """One-sided p for H1: rho > 0, by the Fisher transformation."""
    if n < 4 or abs(r) >= 1:
        return 0.0 if n >= 4 and r >= 1 else 1.0
    return normal_sf(math.atanh(r) * math.sqrt(n - 3))


def detrend(values: Sequence[float]) -> list[float]:
    """Residuals of a least-squares line through (i, value)."""
    n = len(values)
    if n < 2:
        return [0.0] * n
    mx = (n - 1) / 2.0
    my = sum(values) / n
    sxx = sum((i - mx) ** 2 for i in range(n))
    slope = sum((i - mx) * (v - my) for i, v in enumerate(values)) / sxx
    return [v - (my + slope * (i - mx)) for i, v in enumerate(values)]


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm-Bonferroni adjusted p-values (same order as given)."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [1.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted
