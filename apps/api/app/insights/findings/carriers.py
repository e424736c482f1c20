"""Carrier findings: underperformers, and those whose gaps are bound to a spike."""

from collections import Counter
from datetime import date, timedelta

from app.analytics.service import DateRange
from app.ingestion.rollups import DELIVERY
from app.insights import carriers as carrier_detector
from app.insights import spikes
from app.insights.base import Finding, Impact, durations, pct, span_label
from app.insights.reader import RollupReader
from app.models import Store

CARRIER_COLUMNS = (
    "shipments_shipped",
    "shipments_delivered",
    "delivered_with_estimate",
    "delivered_on_time",
    "shipments_with_exception",
    "total_inquiries",
)


async def carrier_findings(
    reader: RollupReader, store: Store, rng: DateRange, episodes: list[spikes.Episode]
) -> list[Finding]:
    rows = await reader.breakdown(store.id, rng, "carrier", CARRIER_COLUMNS)
    stats: list[carrier_detector.CarrierStats] = []
    for name, c in rows.items():
        if not c["shipments_shipped"]:
            continue
        stats.append(
            _carrier_stats(name, c, await reader.carrier_histogram(store.id, rng, DELIVERY, name))
        )
    found = carrier_detector.detect_underperformers(stats)
    incident_bound = await _incident_bound(reader, store, rng, episodes, stats, found)
    found.sort(key=lambda f: (f.carrier in incident_bound, -f.severity, f.carrier))
    if not found:
        return []
    reliable = [s for s in stats if s.with_estimate >= carrier_detector.MIN_DELIVERED]
    flagged = {f.carrier for f in found}
    best = max(
        (s for s in reliable if s.carrier not in flagged),
        key=lambda s: (s.rate("on_time_delivery_rate"), s.carrier),
        default=None,
    )
    out: list[Finding] = []
    for f in found:
        parts: list[str] = []
        data: dict[str, object] = {
            "carrier": f.carrier,
            "shipped": f.shipped,
            "shareOfShipments": round(f.share, 3),
            "alpha": carrier_detector.ALPHA,
        }
        for g in f.gaps:
            if g.measure == "on_time_rate":
                parts.append(f"on time {pct(g.value)} vs {pct(g.others)}")
            elif g.measure == "exception_rate":
                parts.append(f"exceptions {pct(g.value, 1)} vs {pct(g.others, 1)}")
            elif g.measure == "inquiries_per_shipment":
                parts.append(f"{g.value:.2f} inquiries per shipment vs {g.others:.2f}")
            else:
                mine, theirs = durations(g.value, g.others)
                parts.append(f"median delivery {mine} vs {theirs}")
            data[g.measure] = {
                "value": round(g.value, 4),
                "others": round(g.others, 4),
                "pValue": g.p_value,
            }
        on_time_gap = next((g.others - g.value for g in f.gaps if g.measure == "on_time_rate"), 0.0)
        impact: Impact = (
            "high"
            if f.share >= 0.1 and (len(f.gaps) >= 2 or on_time_gap >= 0.1)
            else "medium"
            if f.share >= 0.05
            else "low"
        )
        gaps_text = "; ".join(parts)
        episode = incident_bound.get(f.carrier)
        if episode is not None:
            when = span_label(episode.start, episode.end)
            data["duringSpike"] = {
                "start": episode.start.isoformat(),
                "end": episode.end.isoformat(),
            }
            out.append(
                Finding(
                    kind="carrier_incident",
                    type="warning",
                    title=f"{f.carrier} struggled around the {when} spike",
                    description=(
                        f"{f.carrier} carried {pct(f.share)} of shipments ({f.shipped}) in "
                        f"this period. Against the store's other carriers: {gaps_text} "
                        "(Holm-adjusted p < 0.01). Leaving out the spike and the week before "
                        "it, the gaps shrink below what matters: a disruption, not a pattern."
                    ),
                    recommendation=(
                        f"Ask {f.carrier} for the incident report and credits for late "
                        f"parcels; for the next disruption, message customers whose parcels "
                        f"are with {f.carrier} as soon as its service alert goes out."
                    ),
                    impact="medium" if impact == "high" else impact,
                    data_points=data,
                    subject=f"carrier:{f.carrier}",
                    direction="bad",
                    strength=f.severity / 2,
                )
            )
            continue
        persistent = [x for x in found if x.carrier not in incident_bound]
        worst = (
            " - the weakest of your carriers" if len(persistent) > 1 and f is persistent[0] else ""
        )
        if best is not None:
            move = (
                f"Move time-sensitive orders from {f.carrier} to {best.carrier} "
                f"({pct(best.rate('on_time_delivery_rate'))} on time)"
            )
        else:
            move = f"Raise the gaps with {f.carrier}"
        out.append(
            Finding(
                kind="carrier_underperformance",
                type="warning",
                title=f"{f.carrier} underperforms your other carriers{worst}",
                description=(
                    f"{f.carrier} carried {pct(f.share)} of shipments ({f.shipped}) in this "
                    f"period. Against the store's other carriers: {gaps_text}. Each gap is "
                    "significant (Holm-adjusted p < 0.01)."
                ),
                recommendation=(
                    f"{move}, or renegotiate {f.carrier}'s service level; meanwhile show "
                    f"{f.carrier}'s longer estimate at checkout and send delay notices for "
                    "its parcels proactively."
                ),
                impact=impact,
                data_points=data,
                subject=f"carrier:{f.carrier}",
                direction="bad",
                strength=f.severity,
            )
        )
    return out


def _carrier_stats(
    name: str, c: Counter[str], hist: dict[int, int]
) -> carrier_detector.CarrierStats:
    return carrier_detector.CarrierStats(
        carrier=name,
        shipped=c["shipments_shipped"],
        delivered=c["shipments_delivered"],
        with_estimate=c["delivered_with_estimate"],
        on_time=c["delivered_on_time"],
        exceptions=c["shipments_with_exception"],
        inquiries=c["total_inquiries"],
        delivery_hist=hist,
    )


async def _incident_bound(
    reader: RollupReader,
    store: Store,
    rng: DateRange,
    episodes: list[spikes.Episode],
    stats: list[carrier_detector.CarrierStats],
    found: list[carrier_detector.CarrierFinding],
) -> dict[str, spikes.Episode]:
    """Flagged carriers whose gaps shrink below the minimum effect sizes once the spike
    episodes are left out (a gap that stays as large but loses significance with the
    smaller sample is still a pattern).

    A spike's days, the week before it (parcels shipped then were in transit during it)
    and three days after (late deliveries) are excluded; the detector is run again on the
    rest of the range.
    """
    if not episodes or not found:
        return {}
    excluded: set[date] = set()
    for ep in episodes:
        d = ep.start - timedelta(days=7)
        while d <= ep.end + timedelta(days=3):
            excluded.add(d)
            d += timedelta(days=1)
    # the rest of the range, as contiguous sub-ranges (for the histograms)
    kept_ranges: list[DateRange] = []
    d = rng.start
    while d <= rng.end:
        if d not in excluded:
            if kept_ranges and kept_ranges[-1].end == d - timedelta(days=1):
                kept_ranges[-1] = DateRange(kept_ranges[-1].start, d, rng.timezone)
            else:
                kept_ranges.append(DateRange(d, d, rng.timezone))
        d += timedelta(days=1)
    outside: list[carrier_detector.CarrierStats] = []
    for s in stats:
        total: Counter[str] = Counter()
        hist: Counter[int] = Counter()
        for part in kept_ranges:
            c = await reader.breakdown_key(store.id, part, "carrier", s.carrier, CARRIER_COLUMNS)
            total.update(c)
            hist.update(await reader.carrier_histogram(store.id, part, DELIVERY, s.carrier))
        if total["shipments_shipped"]:
            outside.append(_carrier_stats(s.carrier, total, dict(hist)))
    assessable = {s.carrier for s in outside if s.shipped >= carrier_detector.MIN_SHIPPED}
    still = {f.carrier for f in carrier_detector.detect_underperformers(outside, alpha=1.0)}
    biggest = max(episodes, key=lambda e: e.total - e.expected)
    return {f.carrier: biggest for f in found if f.carrier in assessable and f.carrier not in still}
