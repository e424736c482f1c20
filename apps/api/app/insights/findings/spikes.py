"""Spike findings: what the spike detector found, where it came from, what to do."""

from collections import Counter
from datetime import date, timedelta

from app.analytics.service import DateRange
from app.insights import spikes
from app.insights.base import Finding, day_label, pct, span_label
from app.insights.reader import RollupReader
from app.insights.stats import two_proportion_z
from app.models import Store


def episodes_in(rng: DateRange, days: dict[date, Counter[str]]) -> list[spikes.Episode]:
    counts = {d: c["total_inquiries"] for d, c in days.items()}
    active = [d for d, c in days.items() if c["total_orders"] or c["total_inquiries"]]
    if not active:
        return []
    span = [rng.start + timedelta(days=i) for i in range(rng.days)]
    return spikes.detect_episodes(counts, span, min(active))


async def spike_findings(
    reader: RollupReader,
    store: Store,
    rng: DateRange,
    episodes: list[spikes.Episode],
    days: dict[date, Counter[str]],
) -> list[Finding]:
    orders = {d: c["total_orders"] for d, c in days.items()}
    total_inquiries = sum(c["total_inquiries"] for d, c in days.items() if d >= rng.start)
    return [
        await _spike_finding(reader, store, rng, ep, orders, total_inquiries) for ep in episodes
    ]


async def _spike_finding(
    reader: RollupReader,
    store: Store,
    rng: DateRange,
    ep: spikes.Episode,
    orders: dict[date, int],
    range_inquiries: int,
) -> Finding:
    peak = ep.peak
    episode = DateRange(ep.start, ep.end, rng.timezone)
    before = DateRange(ep.start - timedelta(days=28), ep.start - timedelta(days=1), rng.timezone)
    data: dict[str, object] = {
        "start": ep.start.isoformat(),
        "end": ep.end.isoformat(),
        "days": [
            {"date": d.day.isoformat(), "inquiries": d.count, "expected": d.expected}
            for d in ep.days
        ],
        "episodeRobustZ": round(ep.z, 1),
        "peakDate": peak.day.isoformat(),
        "peakInquiries": peak.count,
        "peakExpected": round(peak.expected, 1),
        "peakRatio": round(peak.ratio, 2),
        "peakRobustZ": round(peak.z, 1),
        "baselineWeeks": peak.baseline_weeks,
        "dispersion": round(peak.dispersion, 2),
        "inquiries": ep.total,
        "expected": round(ep.expected, 1),
    }
    order_ratio = None
    base_orders = [orders.get(peak.day - timedelta(days=7 * k), 0) for k in range(1, 5)]
    if sum(base_orders):
        order_ratio = orders.get(peak.day, 0) / (sum(base_orders) / len(base_orders))
        data["peakOrdersRatio"] = round(order_ratio, 2)
    drivers: list[str] = []
    recommendation = (
        "Open the inquiries of those days (drill-down) to find the common cause, answer it "
        "once in the assistant and notify affected customers before they ask."
    )
    carrier_driver = await _driver(reader, store, episode, before, "carrier")
    if carrier_driver is not None:
        key, share, usual = carrier_driver
        drivers.append(f"{pct(share)} concerned {key} parcels (usually {pct(usual)})")
        data.update(
            topCarrier=key,
            topCarrierShare=round(share, 3),
            topCarrierUsualShare=round(usual, 3),
        )
        recommendation = (
            f"Check {key}'s service alerts for those days and message customers whose "
            f"parcels are with {key} before they ask; show a delay notice in the assistant "
            "and on the tracking page while it lasts."
        )
    type_driver = await _driver(reader, store, episode, before, "inquiry_type")
    if type_driver is not None:
        key, share, usual = type_driver
        drivers.append(f'{pct(share)} were "{key}" questions (usually {pct(usual)})')
        data.update(topType=key, topTypeShare=round(share, 3), topTypeUsualShare=round(usual, 3))
    status_driver = await _driver(reader, store, episode, before, "order_status")
    if status_driver is not None and carrier_driver is None:
        key, share, usual = status_driver
        drivers.append(
            f"{pct(share)} came from orders {key.replace('_', ' ')} (usually {pct(usual)})"
        )
        data.update(topOrderStatus=key)
        if key in ("unfulfilled", "partially_fulfilled"):
            recommendation = (
                "Orders waiting to ship drove it: check the warehouse backlog and stock, and "
                "email waiting customers their expected ship date."
            )
    weekday = f"{peak.day:%A}"
    description = (
        f"{peak.count} inquiries on {weekday} {day_label(peak.day)}, {peak.ratio:.1f}x the usual "
        f"{peak.expected:.0f} for a {weekday} (median of the previous "
        f"{peak.baseline_weeks} {weekday}s)."
    )
    if len(ep.days) > 1:
        description += (
            f" Over {span_label(ep.start, ep.end)}: {ep.total} inquiries where about "
            f"{ep.expected:.0f} were expected."
        )
    if order_ratio is not None and order_ratio >= 0.8 * peak.ratio:
        description += f" Orders rose too ({order_ratio:.1f}x): volume, not a new problem."
    if drivers:
        text = "; ".join(drivers)
        description += " " + text[0].upper() + text[1:] + "."
    excess = ep.total - ep.expected
    recent = (rng.end - ep.end).days <= 3
    impact = (
        "high" if recent or excess >= 0.2 * max(range_inquiries, 1) or peak.ratio >= 3 else "medium"
    )
    return Finding(
        kind="inquiry_spike",
        type="warning",
        title=(
            f"Inquiry spike on {day_label(ep.start)}"
            if ep.start == ep.end
            else f"Inquiry spike {span_label(ep.start, ep.end)}"
        ),
        description=description,
        recommendation=recommendation,
        impact=impact,  # type: ignore[arg-type]
        data_points=data,
        subject=f"spike:{ep.start.isoformat()}",
        direction="bad",
        strength=excess,
    )


async def _driver(
    reader: RollupReader, store: Store, episode: DateRange, before: DateRange, dimension: str
) -> tuple[str, float, float] | None:
    """The key whose share of inquiries grew the most during the episode (if it grew
    significantly and is at least a quarter of the episode's inquiries)."""
    now = await reader.breakdown(store.id, episode, dimension, ("total_inquiries",))
    then = await reader.breakdown(store.id, before, dimension, ("total_inquiries",))
    n_now = sum(c["total_inquiries"] for c in now.values())
    n_then = sum(c["total_inquiries"] for c in then.values())
    if n_now < 10 or n_then < 10:
        return None
    best: tuple[str, float, float] | None = None
    best_lift = 0.0
    for key, c in now.items():
        x = c["total_inquiries"]
        y = then.get(key, Counter())["total_inquiries"]
        share, usual = x / n_now, y / n_then
        if share < 0.25 or share - usual < 0.10:
            continue
        if two_proportion_z(x, n_now, y, n_then).p_value >= 0.01:
            continue
        if share - usual > best_lift:
            best, best_lift = (key, share, usual), share - usual
    return best
