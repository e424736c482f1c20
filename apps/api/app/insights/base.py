"""What a detector returns, and the rules that turn findings into a ranked, consistent list."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

InsightType = Literal["warning", "opportunity", "success"]
Impact = Literal["high", "medium", "low"]
Direction = Literal["good", "bad", "neutral"]

IMPACT_ORDER: dict[str, int] = {"high": 0, "medium": 1, "low": 2}
TYPE_ORDER: dict[str, int] = {"warning": 0, "opportunity": 1, "success": 2}


@dataclass
class Finding:
    """One insight before it is stored.

    `subject` names what the finding judges (a metric, or "carrier:UPS") and `direction`
    whether it says that thing is good or bad: two findings on one subject in opposite
    directions would contradict each other, and only the stronger one is kept.
    `strength` orders findings of the same impact and type (larger first).
    """

    kind: str
    type: InsightType
    title: str
    description: str
    recommendation: str
    impact: Impact
    data_points: dict[str, Any]
    subject: str
    direction: Direction
    strength: float = 0.0
    also: tuple[str, ...] = field(default=())  # further subjects this finding judges

    @property
    def subjects(self) -> tuple[str, ...]:
        return (self.subject, *self.also)


def rank(findings: list[Finding], limit: int = 12) -> list[Finding]:
    """Order by impact, type and strength; never contradict, never repeat.

    - A finding that judges a subject opposite to a stronger finding already kept is dropped
      (no "improved" next to "worsened" for one metric).
    - A finding that judges a subject the same way as one already kept is folded into it (one
      sentence, and its numbers under dataPoints.related) instead of being listed again.
    """
    ordered = sorted(findings, key=_priority)
    kept: list[Finding] = []
    verdicts: dict[str, tuple[Direction, Finding]] = {}
    titles: set[str] = set()
    for f in ordered:
        if f.title in titles:
            continue
        judged = [verdicts[s] for s in f.subjects if s in verdicts]
        if f.direction != "neutral" and any(d != f.direction for d, _ in judged):
            continue
        if f.direction != "neutral" and judged:
            host = judged[0][1]
            host.description = f"{host.description} Also: {f.title}."
            host.data_points.setdefault("related", []).append(
                {"kind": f.kind, "title": f.title, **f.data_points}
            )
            continue
        kept.append(f)
        titles.add(f.title)
        if f.direction != "neutral":
            for s in f.subjects:
                verdicts.setdefault(s, (f.direction, f))
    return kept[:limit]


def _priority(f: Finding) -> tuple[int, int, float, str]:
    return (IMPACT_ORDER[f.impact], TYPE_ORDER[f.type], -f.strength, f.title)


def pct(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "n/a"
    return f"{value * 100:.{digits}f}%"


def hours(seconds: float | None) -> str:
    if seconds is None:
        return "n/a"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 72 * 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def durations(a: float, b: float) -> tuple[str, str]:
    """Two durations in the same unit (the unit of the larger)."""
    big = max(a, b)
    if big >= 72 * 3600:
        return f"{a / 86400:.1f} days", f"{b / 86400:.1f} days"
    if big >= 3600:
        return f"{a / 3600:.1f} h", f"{b / 3600:.1f} h"
    return f"{a / 60:.0f} min", f"{b / 60:.0f} min"


def day_label(d: date) -> str:
    return f"{d:%b} {d.day}"


def span_label(start: date, end: date) -> str:
    return day_label(start) if start == end else f"{day_label(start)}-{day_label(end)}"


def cut_label(seconds: int) -> str:
    """3600 -> "1 hour", 86400 -> "24 hours", 259200 -> "3 days"."""
    if seconds >= 72 * 3600 and seconds % 86400 == 0:
        n, unit = seconds // 86400, "day"
    else:
        n, unit = round(seconds / 3600), "hour"
    return f"{n} {unit}{'s' if n != 1 else ''}"


ORDER_STATUS_PHRASES = {
    "unfulfilled": "orders not yet shipped",
    "partially_fulfilled": "partly shipped orders",
    "fulfilled": "shipped orders without a carrier scan",
    "in_transit": "orders in transit",
    "out_for_delivery": "orders out for delivery",
    "delivered": "delivered orders",
    "exception": "orders with a delivery exception",
    "cancelled": "cancelled orders",
    "refunded": "refunded orders",
}


def segment_name(dimension: str, key: str) -> str:
    if dimension == "carrier":
        return f"{key} parcels"
    if dimension == "inquiry_type":
        return f'"{key}" questions'
    if dimension == "order_status":
        return ORDER_STATUS_PHRASES.get(key, f"orders {key.replace('_', ' ')}")
    return f"{dimension.replace('_', ' ')} {key}"
