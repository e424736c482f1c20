"""The metric registry: every figure of DESIGN 5, defined once.

A metric is a rollup counter, or a ratio of two rollup counters, summed over whatever days,
buckets or segments the caller read (sums and counts aggregate exactly; averages are taken
only here, at read time). `evaluate` is the one function that turns counters into a figure:
counts come back as integers, ratios as floats, and a ratio over nothing is None, never 0.
`GET /api/v1/analytics/wismo/metrics` serves the definitions.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

Unit = Literal["count", "fraction", "seconds", "score"]
Good = Literal["up", "down"]


@dataclass(frozen=True, slots=True)
class Metric:
    slug: str
    label: str
    unit: Unit
    good: Good
    numerator: str
    denominator: str | None = None
    scale: tuple[int, int] | None = None  # a score's range
    description: str = ""


def _metrics(*defs: Metric) -> dict[str, Metric]:
    return {m.slug: m for m in defs}


METRICS: dict[str, Metric] = _metrics(
    Metric(
        "total_inquiries", "Total inquiries", "count", "down", "total_inquiries",
        description="Order-status questions received in the period (by the store's local day).",
    ),
    Metric(
        "total_orders", "Total orders", "count", "up", "total_orders",
        description="Orders placed in the period.",
    ),
    Metric(
        "inquiry_rate", "Inquiry rate", "fraction", "down", "total_inquiries", "total_orders",
        description="Inquiries per order placed in the period.",
    ),
    Metric(
        "repeat_inquiry_rate", "Repeat inquiry rate", "fraction", "down",
        "repeat_inquiries", "total_inquiries",
        description="Share of inquiries about an order (or customer) already asked about in "
        "the 7 days before.",
    ),
    Metric(
        "avg_resolution_seconds", "Avg resolution time", "seconds", "down",
        "resolution_seconds_sum", "resolved_inquiries",
        description="Mean time from inquiry to resolution, over resolved inquiries.",
    ),
    Metric(
        "first_contact_resolution_rate", "First-contact resolution", "fraction", "up",
        "first_contact_resolved", "resolved_inquiries",
        description="Resolved inquiries not escalated and not followed up within 7 days, "
        "over resolved inquiries.",
    ),
    Metric(
        "avg_first_response_seconds", "Avg first response", "seconds", "down",
        "first_response_seconds_sum", "first_response_count",
        description="Mean time to the first reply, over inquiries with a reply.",
    ),
    Metric(
        "avg_resolution_business_seconds", "Avg resolution time (business hours)", "seconds",
        "down", "resolution_business_seconds_sum", "resolution_business_count",
        description="Mean time from inquiry to resolution counted in the store's opening "
        "hours, over resolved inquiries made since the store set its business hours.",
    ),
    Metric(
        "avg_first_response_business_seconds", "Avg first response (business hours)", "seconds",
        "down", "first_response_business_seconds_sum", "first_response_business_count",
        description="Mean time to the first reply counted in the store's opening hours, over "
        "inquiries with a reply made since the store set its business hours.",
    ),
    Metric(
        "satisfaction_score", "Satisfaction score", "score", "up", "rating_sum", "rating_count",
        scale=(1, 5), description="Mean rating, 1 to 5, over rated inquiries.",
    ),
    Metric(
        "csat", "CSAT", "fraction", "up", "satisfied_count", "rating_count",
        description="Share of ratings of 4 or 5.",
    ),
    Metric(
        "customer_effort_score", "Customer effort", "score", "down", "effort_sum", "effort_count",
        scale=(1, 7), description="Mean effort, 1 (easy) to 7 (hard).",
    ),
    Metric(
        "avg_time_to_ship_seconds", "Avg time to ship", "seconds", "down",
        "time_to_ship_seconds_sum", "time_to_ship_count",
        description="Mean time from order to its first shipment, by the shipping day.",
    ),
    Metric(
        "on_time_delivery_rate", "On-time delivery", "fraction", "up",
        "delivered_on_time", "delivered_with_estimate",
        description="Deliveries on or before the original estimate (or promised date), over "
        "deliveries that had one.",
    ),
    Metric(
        "avg_transit_seconds", "Avg transit time", "seconds", "down",
        "transit_seconds_sum", "shipments_delivered",
        description="Mean time from shipping to delivery, by the delivery day.",
    ),
    Metric(
        "exception_rate", "Exception rate", "fraction", "down",
        "shipments_with_exception", "shipments_shipped",
        description="Shipments shipped in the period that ever hit an exception or a failed "
        "delivery attempt.",
    ),
    Metric(
        "inquiries_per_shipment", "Inquiries per shipment", "fraction", "down",
        "total_inquiries", "shipments_shipped",
        description="A carrier's inquiries over its shipments shipped in the period.",
    ),
    Metric(
        "shipments_shipped", "Shipped", "count", "up", "shipments_shipped",
        description="Shipments shipped in the period.",
    ),
    Metric(
        "shipments_delivered", "Delivered", "count", "up", "shipments_delivered",
        description="Shipments delivered in the period.",
    ),
    Metric(
        "rating_count", "Ratings", "count", "up", "rating_count",
        description="Inquiries rated by the customer.",
    ),
    Metric(
        "repeat_inquiries", "Repeat inquiries", "count", "down", "repeat_inquiries",
        description="Inquiries about an order (or customer) already asked about in the 7 days "
        "before.",
    ),
    Metric(
        "resolved_inquiries", "Resolved inquiries", "count", "up", "resolved_inquiries",
        description="Inquiries of the period that are resolved.",
    ),
    Metric(
        "shipments_with_exception", "Exceptions", "count", "down", "shipments_with_exception",
        description="Shipments shipped in the period that ever hit an exception or a failed "
        "delivery attempt.",
    ),
    Metric(
        "avg_pickup_seconds", "Avg pickup time", "seconds", "down",
        "pickup_seconds_sum", "pickup_count",
        description="Mean time from shipping to the carrier's first scan, by the shipping day.",
    ),
    Metric(
        "avg_carrier_transit_seconds", "Avg carrier transit", "seconds", "down",
        "carrier_transit_seconds_sum", "carrier_transit_count",
        description="Mean time from the carrier's first scan to delivery, by the delivery day.",
    ),
)  # fmt: skip

OVERVIEW: tuple[str, ...] = (
    "total_inquiries",
    "total_orders",
    "inquiry_rate",
    "repeat_inquiry_rate",
    "avg_resolution_seconds",
    "first_contact_resolution_rate",
    "avg_first_response_seconds",
    "avg_resolution_business_seconds",
    "avg_first_response_business_seconds",
    "satisfaction_score",
    "csat",
    "customer_effort_score",
    "avg_time_to_ship_seconds",
    "on_time_delivery_rate",
    "exception_rate",
)


# Measured only once a store has business hours (app/stores/business_hours.py).
BUSINESS_HOURS_METRICS = frozenset(
    {"avg_resolution_business_seconds", "avg_first_response_business_seconds"}
)


def evaluate(slug: str, counters: Mapping[str, int]) -> int | float | None:
    """The metric's value from summed rollup counters (missing counters count as 0)."""
    metric = METRICS[slug]
    numerator = int(counters.get(metric.numerator, 0))
    if metric.denominator is None:
        return numerator
    denominator = int(counters.get(metric.denominator, 0))
    return numerator / denominator if denominator else None


def evaluate_many(
    slugs: Iterable[str], counters: Mapping[str, int]
) -> dict[str, int | float | None]:
    return {slug: evaluate(slug, counters) for slug in slugs}


def counters_of(slugs: Iterable[str]) -> frozenset[str]:
    """The rollup counters the metrics are computed from."""
    return frozenset(
        counter
        for slug in slugs
        for counter in (METRICS[slug].numerator, METRICS[slug].denominator)
        if counter is not None
    )


def share(part: int, whole: int) -> float | None:
    """A part of a breakdown over its whole (a fraction in [0, 1]), None when the whole is 0."""
    return part / whole if whole else None


def change_pct(value: float | None, previous: float | None) -> float | None:
    """DESIGN 5: (current - previous) / previous x 100, None when previous is 0 or None."""
    if value is None or previous is None or previous == 0:
        return None
    return (value - previous) / previous * 100


__all__ = [
    "BUSINESS_HOURS_METRICS",
    "METRICS",
    "OVERVIEW",
    "Metric",
    "change_pct",
    "counters_of",
    "evaluate",
    "evaluate_many",
    "share",
]
