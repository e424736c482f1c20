"""Fulfillment findings: a rising time to ship, and inquiries that follow slow days."""

from collections import Counter
from datetime import date, timedelta

from app.analytics.service import DateRange
from app.insights import fulfillment
from app.insights.base import Finding, hours, pct


def fulfillment_findings(rng: DateRange, days: dict[date, Counter[str]]) -> list[Finding]:
    def point(d: date) -> fulfillment.DayFulfillment:
        c = days.get(d, Counter())
        return fulfillment.DayFulfillment(
            d,
            c["time_to_ship_count"],
            c["time_to_ship_seconds_sum"],
            c["total_inquiries"],
            c["total_orders"],
        )

    in_range = [point(rng.start + timedelta(days=i)) for i in range(rng.days)]
    with_lead = [point(rng.start - timedelta(days=7 - i)) for i in range(7)] + in_range
    trend = fulfillment.detect_bottleneck(in_range)
    corr = fulfillment.lagged_correlation(with_lead)
    out: list[Finding] = []
    corr_text = ""
    corr_data: dict[str, object] = {}
    if corr is not None:
        corr_text = (
            f" Days with slower shipping are followed by more inquiries {corr.lag_days} "
            f"day{'s' if corr.lag_days > 1 else ''} later (r = {corr.r:.2f} over {corr.n} days)."
        )
        corr_data = {
            "lagDays": corr.lag_days,
            "r": round(corr.r, 3),
            "pValue": corr.p_value,
            "days": corr.n,
        }
    if trend is not None:
        out.append(
            Finding(
                kind="fulfillment_bottleneck",
                type="warning",
                title="Orders are taking longer to ship",
                description=(
                    f"Average time to ship rose from {hours(trend.first_third_seconds)} in the "
                    f"first third of the period to {hours(trend.last_third_seconds)} in the last "
                    f"(+{pct(trend.rise)}; Mann-Kendall trend p = {trend.p_value:.3g}, weekday "
                    f"pattern removed)." + corr_text
                ),
                recommendation=(
                    "Check pick-and-pack capacity, stock-outs and carrier pickup times; until "
                    "it recovers, state a ship-by date in the order confirmation so customers "
                    "do not need to ask."
                ),
                impact="high" if trend.rise >= 0.4 or corr is not None else "medium",
                data_points={
                    "firstThirdSeconds": round(trend.first_third_seconds),
                    "lastThirdSeconds": round(trend.last_third_seconds),
                    "rise": round(trend.rise, 3),
                    "slopeSecondsPerDay": round(trend.slope_seconds_per_day),
                    "pValue": trend.p_value,
                    "days": trend.days,
                    **({"laggedCorrelation": corr_data} if corr_data else {}),
                },
                subject="time_to_ship",
                direction="bad",
                strength=trend.rise,
            )
        )
    elif corr is not None:
        out.append(
            Finding(
                kind="fulfillment_inquiry_lag",
                type="opportunity",
                title="Slow shipping days bring inquiries a few days later",
                description=corr_text.strip()
                + " (time to ship and inquiry rate detrended, weekday pattern removed).",
                recommendation=(
                    "When the warehouse falls behind, email the affected customers a revised "
                    "ship date the same day: it heads off the questions that follow."
                ),
                impact="medium",
                data_points=corr_data,
                subject="time_to_ship_lag",
                direction="neutral",
                strength=corr.r,
            )
        )
    return out
