"""Inquiry patterns: what customers ask about most, and where they have to ask twice."""

from collections.abc import Mapping
from dataclasses import dataclass

from app.insights.stats import holm, two_proportion_z

MIN_INQUIRIES = 50
CONCENTRATION_SHARE = 0.40
STATUS_SHARE = 0.30

# What to do when one inquiry type dominates.
TYPE_ADVICE: dict[str, tuple[str, str]] = {
    "tracking": (
        "Tracking questions",
        "Send proactive shipping notifications with the tracking link at every carrier "
        "milestone (shipped, out for delivery, delayed) and add a tracking page to the "
        "order confirmation email.",
    ),
    "status": (
        "Order status questions",
        "Send a shipping confirmation as soon as the label is created and link an order "
        "status page from every order email, so customers can check without asking.",
    ),
    "delivery": (
        "Delivery-date questions",
        "Show an estimated delivery date at checkout and in the shipping email, and notify "
        "customers automatically when the carrier revises it.",
    ),
    "refund": (
        "Refund and return questions",
        "Send refund status updates automatically (requested, approved, issued) and state "
        "refund timelines in the return confirmation.",
    ),
    "other": (
        "Uncategorised questions",
        "Review a sample of these conversations: a recurring topic deserves its own answer "
        "in the assistant and the FAQ.",
    ),
}


@dataclass(frozen=True)
class Concentration:
    key: str
    count: int
    total: int

    @property
    def share(self) -> float:
        return self.count / self.total


def top_share(
    counts: Mapping[str, int], threshold: float = CONCENTRATION_SHARE
) -> Concentration | None:
    """The most common key when it holds at least `threshold` of at least MIN_INQUIRIES."""
    total = sum(counts.values())
    if total < MIN_INQUIRIES:
        return None
    key, count = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    if count / total < threshold:
        return None
    return Concentration(key, count, total)


def pre_shipment_share(by_status: Mapping[str, int]) -> Concentration | None:
    """Inquiries asked while the order was still unfulfilled, when they are a large share."""
    total = sum(by_status.values())
    count = by_status.get("unfulfilled", 0) + by_status.get("partially_fulfilled", 0)
    if total < MIN_INQUIRIES or count / total < STATUS_SHARE:
        return None
    return Concentration("unfulfilled", count, total)


@dataclass(frozen=True)
class HotSpot:
    dimension: str
    key: str
    inquiries: int
    repeats: int
    rest_rate: float
    p_value: float  # Holm-adjusted

    @property
    def rate(self) -> float:
        return self.repeats / self.inquiries


MIN_SEGMENT = 30
MIN_REPEAT_RATIO = 1.3
ALPHA = 0.01


def repeat_hot_spots(
    segments: Mapping[str, Mapping[str, tuple[int, int]]],
    total: int,
    repeats: int,
) -> list[HotSpot]:
    """Segments whose repeat-inquiry rate is significantly above the rest of the store's.

    `segments[dimension][key] = (inquiries, repeats)`; `total`/`repeats` are the store's.
    """
    tests: list[tuple[str, str, int, int, float, float]] = []
    for dimension, keys in segments.items():
        for key, (n, r) in keys.items():
            rest_n, rest_r = total - n, repeats - r
            if n < MIN_SEGMENT or rest_n < MIN_SEGMENT:
                continue
            rest_rate = rest_r / rest_n
            t = two_proportion_z(r, n, rest_r, rest_n)
            tests.append((dimension, key, n, r, rest_rate, t.p_value))
    if not tests:
        return []
    adjusted = holm([t[5] for t in tests])
    spots = [
        HotSpot(d, k, n, r, rest_rate, p)
        for (d, k, n, r, rest_rate, _), p in zip(tests, adjusted, strict=True)
        if p < ALPHA and r / n >= MIN_REPEAT_RATIO * max(rest_rate, 1e-9) and r >= 5
    ]
    return sorted(spots, key=lambda s: (-(s.rate - s.rest_rate) * s.inquiries, s.dimension, s.key))
