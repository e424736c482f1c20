"""Fulfillment bottlenecks: time to ship rising, and whether slow shipping is followed by
more inquiries a few days later.

Both work on daily series with the weekday pattern divided out (Monday's shipments always
include the weekend's orders, so a raw Monday is not "slower"):

- trend: Mann-Kendall on the weekday-adjusted daily mean time to ship (days with at least
  `MIN_SHIPPED_PER_DAY` shipments), with the Theil-Sen slope; a bottleneck needs p < 1% and a
  rise of at least 20% between the first and the last third of the range;
- lagged correlation: Pearson r between the detrended, weekday-adjusted time to ship of day t
  and the inquiry rate (inquiries per average daily order over the trailing week) of day
  t + k, k = 1..7; the best lag is reported when r >= 0.3 and its p-value, Bonferroni-corrected
  for the seven lags, is below 1%.
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from app.analytics.metrics import evaluate
from app.insights.stats import correlation_p, detrend, mann_kendall, pearson

MIN_DAYS = 14
MIN_SHIPPED_PER_DAY = 3
MIN_RISE = 0.20
ALPHA = 0.01
MAX_LAG = 7
MIN_R = 0.3


@dataclass(frozen=True)
class DayFulfillment:
    day: date
    shipped: int  # shipments with a time to ship (first of each order)
    time_to_ship_seconds_sum: int
    inquiries: int
    orders: int

    @property
    def counters(self) -> dict[str, int]:
        return {
            "time_to_ship_count": self.shipped,
            "time_to_ship_seconds_sum": self.time_to_ship_seconds_sum,
        }


def avg_time_to_ship(points: Sequence[DayFulfillment]) -> float | None:
    """The registry's avg_time_to_ship_seconds of the days' summed counters."""
    summed: Counter[str] = Counter()
    for p in points:
        summed.update(p.counters)
    value = evaluate("avg_time_to_ship_seconds", summed)
    return None if value is None else float(value)


def _daily_time_to_ship(series: Sequence[DayFulfillment]) -> dict[date, float]:
    """Each day's mean time to ship, for days with at least `MIN_SHIPPED_PER_DAY`."""
    out: dict[date, float] = {}
    for p in series:
        value = avg_time_to_ship([p])
        if p.shipped >= MIN_SHIPPED_PER_DAY and value is not None:
            out[p.day] = value
    return out


def weekday_adjusted(values: Mapping[date, float]) -> dict[date, float]:
    """Each value divided by its weekday's mean and multiplied by the overall mean."""
    if not values:
        return {}
    overall = sum(values.values()) / len(values)
    by_weekday: dict[int, list[float]] = {}
    for d, v in values.items():
        by_weekday.setdefault(d.weekday(), []).append(v)
    means = {w: sum(vs) / len(vs) for w, vs in by_weekday.items()}
    return {
        d: (v / means[d.weekday()] * overall if means[d.weekday()] else v)
        for d, v in values.items()
    }


@dataclass(frozen=True)
class Bottleneck:
    first_third_seconds: float
    last_third_seconds: float
    rise: float  # relative
    slope_seconds_per_day: float
    p_value: float
    days: int


def detect_bottleneck(series: Sequence[DayFulfillment]) -> Bottleneck | None:
    daily = _daily_time_to_ship(series)
    if len(daily) < MIN_DAYS:
        return None
    adjusted = weekday_adjusted(daily)
    days = sorted(adjusted)
    values = [adjusted[d] for d in days]
    trend = mann_kendall(values)
    third = len(days) // 3
    first = [p for p in series if p.day in set(days[:third])]
    last = [p for p in series if p.day in set(days[-third:])]
    first_mean, last_mean = avg_time_to_ship(first), avg_time_to_ship(last)
    if first_mean is None or last_mean is None or first_mean <= 0:
        return None
    rise = last_mean / first_mean - 1
    if trend.p_value >= ALPHA or rise < MIN_RISE:
        return None
    return Bottleneck(first_mean, last_mean, rise, trend.slope, trend.p_value, len(days))


@dataclass(frozen=True)
class LaggedCorrelation:
    lag_days: int
    r: float
    p_value: float  # Bonferroni-corrected over the lags tried
    n: int


def inquiry_rate_series(series: Sequence[DayFulfillment]) -> dict[date, float]:
    """Inquiries of a day per average daily order of the seven days before it."""
    orders = {p.day: p.orders for p in series}
    out: dict[date, float] = {}
    for p in series:
        window = [orders.get(p.day - timedelta(days=k)) for k in range(1, 8)]
        known = [o for o in window if o is not None]
        if len(known) == 7 and sum(known) > 0:
            out[p.day] = p.inquiries / (sum(known) / 7)
    return out


def lagged_correlation(series: Sequence[DayFulfillment]) -> LaggedCorrelation | None:
    tts = _daily_time_to_ship(series)
    rate = inquiry_rate_series(series)
    if len(tts) < MIN_DAYS or len(rate) < MIN_DAYS:
        return None
    x_adj, y_adj = weekday_adjusted(tts), weekday_adjusted(rate)
    x_days, y_days = sorted(x_adj), sorted(y_adj)
    x_res = dict(zip(x_days, detrend([x_adj[d] for d in x_days]), strict=True))
    y_res = dict(zip(y_days, detrend([y_adj[d] for d in y_days]), strict=True))
    best: LaggedCorrelation | None = None
    for lag in range(1, MAX_LAG + 1):
        pairs = [
            (x_res[d], y_res[d + timedelta(days=lag)])
            for d in x_days
            if d + timedelta(days=lag) in y_res
        ]
        if len(pairs) < MIN_DAYS:
            continue
        r = pearson([a for a, _ in pairs], [b for _, b in pairs])
        if r is None:
            continue
        p = min(1.0, correlation_p(r, len(pairs)) * MAX_LAG)
        if best is None or r > best.r:
            best = LaggedCorrelation(lag, r, p, len(pairs))
    if best is None or best.r < MIN_R or best.p_value >= ALPHA:
        return None
    return best
