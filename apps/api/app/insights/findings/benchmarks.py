"""Benchmark findings: the store against the published figures of services/benchmarks.py."""

from collections import Counter

from app.analytics.metrics import evaluate
from app.analytics.service import DateRange
from app.ingestion.rollups import FIRST_RESPONSE, RESOLUTION
from app.insights import benchmarks
from app.insights.base import Finding, hours, pct
from app.insights.reader import RollupReader
from app.models import Store


async def benchmark_findings(
    reader: RollupReader, store: Store, rng: DateRange, c: Counter[str]
) -> list[Finding]:
    values = reader.values(c)
    out: list[Finding] = []

    def cite(b: benchmarks.Benchmark) -> dict[str, object]:
        return {
            "benchmark": b.label,
            "value": b.value,
            "source": b.source,
            "reportedBy": b.reported_by,
        }

    rate = values["inquiry_rate"]
    refs = benchmarks.for_metric("inquiry_rate")
    if rate is not None and c["total_orders"] >= 200 and refs:
        main = refs[0]
        assert main.value is not None
        cost = benchmarks.cost_per_contact(store.currency)
        cost_text = ""
        cost_data: dict[str, object] = {}
        if cost is not None and cost.low is not None and cost.high is not None:
            lo, hi = c["total_inquiries"] * cost.low, c["total_inquiries"] * cost.high
            money = f"{cost.currency} {lo:,.0f}" + (f"-{hi:,.0f}" if hi != lo else "")
            cost_text = (
                f" At {cost.label} ({cost.citation}), this period's {c['total_inquiries']} "
                f"inquiries cost about {money}."
            )
            cost_data = {
                "costLow": lo,
                "costHigh": hi,
                "costCurrency": cost.currency,
                "costBenchmark": cite(cost),
            }
        others = "; ".join(f"{b.label}, {b.citation}" for b in refs[1:])
        if rate >= 1.25 * main.value:
            out.append(
                Finding(
                    kind="benchmark_inquiry_rate",
                    type="warning",
                    title=f"{rate * 100:.1f} inquiries per 100 orders - above published benchmarks",
                    description=(
                        f"This store received {c['total_inquiries']} inquiries for "
                        f"{c['total_orders']} orders ({rate * 100:.1f} per 100). For comparison: "
                        f"{main.label}, {main.citation}"
                        + (f"; {others}" if others else "")
                        + (f" ({main.caveat})." if main.caveat else ".")
                        + cost_text
                    ),
                    recommendation=(
                        "Cut the avoidable ones: proactive shipping and delay notifications, a "
                        "tracking page linked from every email, and assistant answers for "
                        "status and tracking questions."
                    ),
                    impact="high" if rate >= 2 * main.value else "medium",
                    data_points={"inquiryRate": round(rate, 4), **cite(main), **cost_data},
                    subject="inquiry_rate",
                    direction="bad",
                    strength=rate / main.value,
                )
            )
        elif rate <= 0.75 * main.value:
            out.append(
                Finding(
                    kind="benchmark_inquiry_rate",
                    type="success",
                    title=f"{rate * 100:.1f} inquiries per 100 orders - below published benchmarks",
                    description=(
                        f"{c['total_inquiries']} inquiries for {c['total_orders']} orders. For "
                        f"comparison: {main.label}, {main.citation}." + cost_text
                    ),
                    recommendation=(
                        "Keep the proactive communication that keeps customers from asking."
                    ),
                    impact="low",
                    data_points={"inquiryRate": round(rate, 4), **cite(main), **cost_data},
                    subject="inquiry_rate",
                    direction="good",
                    strength=main.value / max(rate, 1e-9),
                )
            )
    exc = values["exception_rate"]
    for b in benchmarks.for_metric("exception_rate"):
        assert b.value is not None
        n = c["shipments_shipped"]
        if exc is None or n < 100:
            continue
        z = (exc - b.value) / (b.value * (1 - b.value) / n) ** 0.5
        if exc >= 1.25 * b.value and z >= 2.58:
            out.append(
                Finding(
                    kind="benchmark_exception_rate",
                    type="warning",
                    title=f"{pct(exc, 1)} of shipments hit an exception",
                    description=(
                        f"{c['shipments_with_exception']} of {n} shipments in this period hit an "
                        f"exception or failed delivery attempt; {b.label}, {b.citation}."
                    ),
                    recommendation=(
                        "Validate addresses at checkout (the most common avoidable exception), "
                        "and review the exception reasons by carrier in the fulfillment view."
                    ),
                    impact="medium",
                    data_points={"exceptionRate": round(exc, 4), "shipments": n, **cite(b)},
                    subject="exception_rate",
                    direction="bad",
                    strength=exc / b.value,
                )
            )
    score = values["satisfaction_score"]
    for b in benchmarks.for_metric("satisfaction_score"):
        assert b.value is not None
        if score is None or c["rating_count"] < 50:
            continue
        if score <= b.value - 0.3:
            out.append(
                Finding(
                    kind="benchmark_satisfaction",
                    type="warning",
                    title=f"Satisfaction {score:.2f} / 5 trails the published median",
                    description=(
                        f"Customers rated support {score:.2f} on average ({c['rating_count']} "
                        f"ratings); {b.label}, {b.citation}."
                    ),
                    recommendation=(
                        "Start with the satisfaction drivers: the segments and resolution times "
                        "where ratings drop."
                    ),
                    impact="medium",
                    data_points={
                        "satisfactionScore": round(score, 2),
                        "ratings": c["rating_count"],
                        **cite(b),
                    },
                    subject="satisfaction",
                    direction="bad",
                    strength=b.value - score,
                )
            )
        elif score >= b.value + 0.15:
            out.append(
                Finding(
                    kind="benchmark_satisfaction",
                    type="success",
                    title=f"Satisfaction {score:.2f} / 5 beats the published median",
                    description=(
                        f"Customers rated support {score:.2f} on average ({c['rating_count']} "
                        f"ratings); {b.label}, {b.citation}."
                    ),
                    recommendation="Keep it: watch the drivers below for early signs of slipping.",
                    impact="low",
                    data_points={
                        "satisfactionScore": round(score, 2),
                        "ratings": c["rating_count"],
                        **cite(b),
                    },
                    subject="satisfaction",
                    direction="good",
                    strength=score - b.value,
                )
            )
    for metric, hist_metric, noun in (
        ("median_first_response_seconds", FIRST_RESPONSE, "first response"),
        ("median_resolution_seconds", RESOLUTION, "resolution"),
    ):
        med, n = await reader.median(store.id, rng, hist_metric)
        for b in benchmarks.for_metric(metric):
            assert b.value is not None
            if med is None or n < 30:
                continue
            if med >= 1.5 * b.value:
                out.append(
                    Finding(
                        kind=f"benchmark_{noun.replace(' ', '_')}",
                        type="warning",
                        title=f"Median {noun} time {hours(med)} is slower than benchmarks",
                        description=(
                            f"Half of this period's inquiries waited over {hours(med)} for "
                            f"their {noun}; {b.label}, {b.citation}."
                        ),
                        recommendation=(
                            "Let the assistant answer order-status questions instantly and "
                            "set up helpdesk rules that surface inquiries nearing the target."
                        ),
                        impact="medium",
                        data_points={"medianSeconds": round(med), "count": n, **cite(b)},
                        subject=f"{noun.replace(' ', '_')}_time",
                        direction="bad",
                        strength=med / b.value,
                    )
                )
            elif med <= 0.5 * b.value:
                out.append(
                    Finding(
                        kind=f"benchmark_{noun.replace(' ', '_')}",
                        type="success",
                        title=f"Median {noun} time {hours(med)} - faster than benchmarks",
                        description=(
                            f"Half of this period's inquiries got their {noun} within "
                            f"{hours(med)}; {b.label}, {b.citation}."
                        ),
                        recommendation="Keep the response targets that got you here.",
                        impact="low",
                        data_points={"medianSeconds": round(med), "count": n, **cite(b)},
                        subject=f"{noun.replace(' ', '_')}_time",
                        direction="good",
                        strength=b.value / max(med, 1.0),
                    )
                )
    rows = await reader.breakdown(
        store.id, rng, "carrier", ("delivered_with_estimate", "delivered_on_time")
    )
    for name, cc in rows.items():
        for b in benchmarks.for_metric(f"carrier_on_time:{name}"):
            assert b.value is not None
            n = cc["delivered_with_estimate"]
            if n < 50:
                continue
            rate_c = evaluate("on_time_delivery_rate", cc)
            if rate_c is not None and rate_c <= b.value - 0.10:
                out.append(
                    Finding(
                        kind="benchmark_carrier_on_time",
                        type="warning",
                        title=f"{name} delivers {pct(rate_c)} on time for this store",
                        description=(
                            f"{cc['delivered_on_time']} of {n} {name} deliveries arrived by the "
                            f"original estimate; {b.label}, {b.citation} ({b.caveat})."
                        ),
                        recommendation=(
                            f"Check whether the estimates shown for {name} are too optimistic "
                            "(add a buffer day) before blaming the carrier."
                        ),
                        impact="low",
                        data_points={
                            "carrier": name,
                            "onTimeRate": round(rate_c, 4),
                            "delivered": n,
                            **cite(b),
                        },
                        subject=f"carrier:{name}",
                        direction="bad",
                        strength=b.value - rate_c,
                    )
                )
    return out
