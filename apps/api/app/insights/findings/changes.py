"""Period-change findings: significant improvements (successes) and deteriorations."""

from collections import Counter
from collections.abc import Callable

from app.analytics.metrics import METRICS, evaluate
from app.analytics.service import DateRange
from app.ingestion.rollups import FIRST_RESPONSE, PROCESSING, RESOLUTION
from app.insights import changes
from app.insights.base import Finding, hours, pct, span_label
from app.insights.reader import RollupReader
from app.models import Store


async def change_findings(
    reader: RollupReader, store: Store, rng: DateRange, cur: Counter[str], prev: Counter[str]
) -> list[Finding]:
    prev_rng = rng.previous

    def counts(slug: str, c: Counter[str]) -> tuple[int, int]:
        m = METRICS[slug]
        assert m.denominator is not None
        return c[m.numerator], c[m.denominator]

    rates = [
        changes.RateInput(
            name,
            label,
            "higher" if METRICS[slug].good == "up" else "lower",
            counts(slug, cur),
            counts(slug, prev),
            poisson=slug == "inquiry_rate",
        )
        for name, slug, label in (
            ("inquiry_rate", "inquiry_rate", "Inquiries per order"),
            ("repeat_inquiry_rate", "repeat_inquiry_rate", "Repeat inquiry rate"),
            (
                "first_contact_resolution",
                "first_contact_resolution_rate",
                "First-contact resolution",
            ),
            ("on_time_rate", "on_time_delivery_rate", "On-time delivery rate"),
            ("exception_rate", "exception_rate", "Exception rate"),
        )
    ]
    dists: list[changes.DistributionInput] = []
    for name, hist_metric, label, slug in (
        ("resolution_time", RESOLUTION, "Average resolution time", "avg_resolution_seconds"),
        (
            "first_response_time",
            FIRST_RESPONSE,
            "Average first response time",
            "avg_first_response_seconds",
        ),
        ("time_to_ship", PROCESSING, "Average time to ship", "avg_time_to_ship_seconds"),
    ):
        a = await reader.histogram(store.id, rng, hist_metric)
        b = await reader.histogram(store.id, prev_rng, hist_metric)
        dists.append(
            changes.DistributionInput(
                name,
                label,
                "lower",
                {float(k): v for k, v in a.items()},
                {float(k): v for k, v in b.items()},
                evaluate(slug, cur),
                evaluate(slug, prev),
            )
        )
    ra = await reader.breakdown(store.id, rng, "rating", ("rating_count",))
    rb = await reader.breakdown(store.id, prev_rng, "rating", ("rating_count",))
    dists.append(
        changes.DistributionInput(
            "satisfaction",
            "Satisfaction score",
            "higher",
            {float(k): c["rating_count"] for k, c in ra.items()},
            {float(k): c["rating_count"] for k, c in rb.items()},
            evaluate("satisfaction_score", cur),
            evaluate("satisfaction_score", prev),
            test="welch",
        )
    )
    out: list[Finding] = []
    for ch in changes.significant_changes(rates, dists):
        fmt = _format_metric(ch.metric)
        verb = "improved" if ch.improved else "worsened"
        direction = "down" if ch.current < ch.previous else "up"
        big = abs(ch.relative) >= 0.25
        out.append(
            Finding(
                kind=f"change_{ch.metric}",
                type="success" if ch.improved else "warning",
                title=f"{ch.label} {verb}: {fmt(ch.previous)} -> {fmt(ch.current)}",
                description=(
                    f"{ch.label} went {direction} {pct(abs(ch.relative))} against the previous "
                    f"{rng.days} days ({span_label(prev_rng.start, prev_rng.end)}): "
                    f"{fmt(ch.previous)} then, {fmt(ch.current)} now "
                    f"(p = {ch.p_value:.2g}, Holm-adjusted)."
                ),
                recommendation=(
                    "Note what changed in this period (a carrier, a message, a process) and "
                    "make it permanent."
                    if ch.improved
                    else "Compare the two periods in the dashboard to find where it changed "
                    "(by carrier, inquiry type or day)."
                ),
                impact="high"
                if big and ch.metric in ("inquiry_rate", "satisfaction", "on_time_rate")
                else "medium"
                if big
                else "low",
                data_points={
                    "metric": ch.metric,
                    "current": ch.current,
                    "previous": ch.previous,
                    "relativeChange": round(ch.relative, 4),
                    "pValue": ch.p_value,
                    "previousStart": prev_rng.start.isoformat(),
                    "previousEnd": prev_rng.end.isoformat(),
                },
                subject=ch.metric,
                direction="good" if ch.improved else "bad",
                strength=abs(ch.relative),
            )
        )
    return out


def _format_metric(metric: str) -> Callable[[float], str]:
    if metric in ("resolution_time", "first_response_time", "time_to_ship"):
        return hours
    if metric == "satisfaction":
        return lambda v: f"{v:.2f}"
    if metric == "inquiry_rate":
        return lambda v: f"{v * 100:.1f} per 100 orders"
    return lambda v: pct(v, 1)
