"""Carriers that underperform the store's other carriers.

Each carrier is compared with the pooled rest of the store's carriers on four measures:

- on-time rate (delivered on or before the original estimate): two-proportion z-test;
- exception rate (shipments that hit an exception or failed attempt): two-proportion z-test;
- inquiries per shipment: conditional Poisson rate test;
- shipped -> delivered time: Mann-Whitney U on the log-spaced duration histograms.

A gap counts only when it is significant after Holm's correction over every test run
(family-wise alpha 1%), large enough to matter (minimum effect sizes below) and measured on
enough shipments (minimum sample sizes below).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from app.analytics import histograms
from app.analytics.metrics import evaluate
from app.insights.stats import holm, mann_whitney, poisson_rate_z, two_proportion_z

ALPHA = 0.01
MIN_SHIPPED = 50  # per carrier and for the rest
MIN_DELIVERED = 30
MIN_ON_TIME_GAP = 0.05  # 5 points
MIN_EXCEPTION_RATIO = 1.5
MIN_EXCEPTION_GAP = 0.02
MIN_INQUIRY_RATIO = 1.3
MIN_TRANSIT_EFFECT = 0.60  # P(this carrier slower than the rest) >= 60%


@dataclass(frozen=True)
class CarrierStats:
    carrier: str
    shipped: int
    delivered: int
    with_estimate: int
    on_time: int
    exceptions: int
    inquiries: int
    delivery_hist: Mapping[int, int] = field(default_factory=dict)  # bucket -> count

    def rate(self, slug: str) -> float:
        """A registry metric of this carrier's counters (callers check its denominator)."""
        value = evaluate(
            slug,
            {
                "shipments_shipped": self.shipped,
                "shipments_delivered": self.delivered,
                "delivered_with_estimate": self.with_estimate,
                "delivered_on_time": self.on_time,
                "shipments_with_exception": self.exceptions,
                "total_inquiries": self.inquiries,
            },
        )
        if value is None:
            raise ValueError(f"{self.carrier} has no {slug} denominator")
        return float(value)


@dataclass(frozen=True)
class Gap:
    measure: str  # on_time_rate | exception_rate | inquiries_per_shipment | delivery_time
    value: float
    others: float
    p_value: float  # Holm-adjusted


@dataclass
class CarrierFinding:
    carrier: str
    shipped: int
    share: float  # of the store's shipments
    gaps: list[Gap]

    @property
    def severity(self) -> float:
        """Roughly: how much worse, weighted by how much of the store it touches."""
        score = 0.0
        for g in self.gaps:
            if g.measure == "on_time_rate":
                score += (g.others - g.value) * 10
            elif g.measure == "delivery_time":
                score += max(0.0, g.value / max(g.others, 1.0) - 1)
            else:
                score += max(0.0, g.value / max(g.others, 1e-9) - 1)
        return score * (0.5 + self.share)


def _rest(stats: Sequence[CarrierStats], name: str) -> CarrierStats:
    others = [s for s in stats if s.carrier != name]
    hist: dict[int, int] = {}
    for s in others:
        for b, n in s.delivery_hist.items():
            hist[b] = hist.get(b, 0) + n
    return CarrierStats(
        carrier="(others)",
        shipped=sum(s.shipped for s in others),
        delivered=sum(s.delivered for s in others),
        with_estimate=sum(s.with_estimate for s in others),
        on_time=sum(s.on_time for s in others),
        exceptions=sum(s.exceptions for s in others),
        inquiries=sum(s.inquiries for s in others),
        delivery_hist=hist,
    )


def detect_underperformers(
    stats: Sequence[CarrierStats], alpha: float = ALPHA
) -> list[CarrierFinding]:
    """Carriers with at least one significant, large-enough gap (`alpha=1` keeps every gap
    that is merely large enough: how the service checks whether a gap persists)."""
    total_shipped = sum(s.shipped for s in stats)
    if len(stats) < 2 or total_shipped == 0:
        return []
    # (carrier, measure, value, others, p_raw, big_enough)
    tests: list[tuple[str, str, float, float, float, bool]] = []
    for c in stats:
        rest = _rest(stats, c.carrier)
        if c.shipped < MIN_SHIPPED or rest.shipped < MIN_SHIPPED:
            continue
        if c.with_estimate >= MIN_DELIVERED and rest.with_estimate >= MIN_DELIVERED:
            value, others = c.rate("on_time_delivery_rate"), rest.rate("on_time_delivery_rate")
            # H1: the rest are more often on time than this carrier
            t = two_proportion_z(rest.on_time, rest.with_estimate, c.on_time, c.with_estimate)
            tests.append(
                (
                    c.carrier,
                    "on_time_rate",
                    value,
                    others,
                    t.p_value,
                    others - value >= MIN_ON_TIME_GAP,
                )
            )
        value, others = c.rate("exception_rate"), rest.rate("exception_rate")
        t = two_proportion_z(c.exceptions, c.shipped, rest.exceptions, rest.shipped)
        tests.append(
            (
                c.carrier,
                "exception_rate",
                value,
                others,
                t.p_value,
                value >= MIN_EXCEPTION_RATIO * others and value - others >= MIN_EXCEPTION_GAP,
            )
        )
        value, others = c.rate("inquiries_per_shipment"), rest.rate("inquiries_per_shipment")
        t = poisson_rate_z(c.inquiries, c.shipped, rest.inquiries, rest.shipped)
        tests.append(
            (
                c.carrier,
                "inquiries_per_shipment",
                value,
                others,
                t.p_value,
                value >= MIN_INQUIRY_RATIO * others and c.inquiries >= 10,
            )
        )
        n_c, n_r = sum(c.delivery_hist.values()), sum(rest.delivery_hist.values())
        if n_c >= MIN_DELIVERED and n_r >= MIN_DELIVERED:
            mw = mann_whitney(
                {float(b): n for b, n in c.delivery_hist.items()},
                {float(b): n for b, n in rest.delivery_hist.items()},
            )
            med_c = histograms.quantile(c.delivery_hist, 0.5) or 0.0
            med_r = histograms.quantile(rest.delivery_hist, 0.5) or 0.0
            tests.append(
                (
                    c.carrier,
                    "delivery_time",
                    med_c,
                    med_r,
                    mw.p_value,
                    mw.effect >= MIN_TRANSIT_EFFECT and med_c > med_r,
                )
            )
    if not tests:
        return []
    adjusted = holm([t[4] for t in tests])
    by_carrier: dict[str, list[Gap]] = {}
    for (carrier, measure, value, others, _, big), p in zip(tests, adjusted, strict=True):
        if big and p < alpha:
            by_carrier.setdefault(carrier, []).append(Gap(measure, value, others, p))
    shipped = {s.carrier: s.shipped for s in stats}
    findings = [
        CarrierFinding(name, shipped[name], shipped[name] / total_shipped, gaps)
        for name, gaps in by_carrier.items()
    ]
    return sorted(findings, key=lambda f: (-f.severity, f.carrier))
