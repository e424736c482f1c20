"""Inquiry-pattern findings: type concentration, pre-shipment questions, repeat hot spots."""

from collections import Counter

from app.analytics.metrics import evaluate
from app.analytics.service import DateRange
from app.ingestion.rollups import PROCESSING
from app.insights import patterns
from app.insights.base import Finding, hours, pct, segment_name
from app.insights.reader import RollupReader
from app.models import Store


async def pattern_findings(
    reader: RollupReader, store: Store, rng: DateRange, current: Counter[str]
) -> list[Finding]:
    cols = ("total_inquiries", "repeat_inquiries")
    by_dim = {
        d: await reader.breakdown(store.id, rng, d, cols)
        for d in ("inquiry_type", "carrier", "order_status")
    }
    out: list[Finding] = []
    by_type = {
        k: c["total_inquiries"] for k, c in by_dim["inquiry_type"].items() if c["total_inquiries"]
    }
    top = patterns.top_share(by_type)
    if top is not None:
        label, advice = patterns.TYPE_ADVICE.get(top.key, patterns.TYPE_ADVICE["other"])
        out.append(
            Finding(
                kind="inquiry_type_concentration",
                type="opportunity",
                title=f"{label} are {pct(top.share)} of all inquiries",
                description=(
                    f'{top.count} of {top.total} inquiries in this period were "{top.key}" '
                    "questions: one proactive message could answer most of them before they "
                    "are asked."
                ),
                recommendation=advice,
                impact="high" if top.share >= 0.5 and top.total >= 100 else "medium",
                data_points={
                    "inquiryType": top.key,
                    "count": top.count,
                    "total": top.total,
                    "share": round(top.share, 3),
                    "byType": by_type,
                },
                subject="inquiry_mix",
                direction="neutral",
                strength=top.share,
            )
        )
    by_status = {
        k: c["total_inquiries"] for k, c in by_dim["order_status"].items() if c["total_inquiries"]
    }
    pre = patterns.pre_shipment_share(by_status)
    if pre is not None:
        p90 = await reader.quantile(store.id, rng, PROCESSING, 0.9)
        out.append(
            Finding(
                kind="pre_shipment_inquiries",
                type="opportunity",
                title=f"{pct(pre.share)} of inquiries come before the order ships",
                description=(
                    f"{pre.count} of {pre.total} inquiries were about orders not yet shipped. "
                    + (f"9 in 10 orders ship within {hours(p90)}." if p90 else "")
                ),
                recommendation=(
                    "Put the expected ship date in the order confirmation, send a shipping "
                    "email the moment the label is created, and follow up automatically with "
                    "orders that wait longer than usual."
                ),
                impact="medium",
                data_points={
                    "count": pre.count,
                    "total": pre.total,
                    "share": round(pre.share, 3),
                    "p90TimeToShipSeconds": round(p90) if p90 else None,
                },
                subject="pre_shipment",
                direction="neutral",
                strength=pre.share,
            )
        )
    segments = {
        d: {
            k: (c["total_inquiries"], c["repeat_inquiries"])
            for k, c in rows.items()
            if k != "unknown"
        }
        for d, rows in by_dim.items()
    }
    spots = patterns.repeat_hot_spots(
        segments, current["total_inquiries"], current["repeat_inquiries"]
    )
    if spots:
        top_spots = spots[:3]
        listing = "; ".join(
            f"{segment_name(s.dimension, s.key)}: {pct(s.rate)} repeat "
            f"vs {pct(s.rest_rate)} elsewhere"
            for s in top_spots
        )
        overall = evaluate("repeat_inquiry_rate", current)
        out.append(
            Finding(
                kind="repeat_hot_spots",
                type="warning",
                title="Customers have to ask twice about "
                + segment_name(top_spots[0].dimension, top_spots[0].key),
                description=(
                    f"{pct(overall)} of all inquiries repeat an earlier one within 7 days, but "
                    f"some segments stand out: {listing} (Holm-adjusted p < 0.01)."
                ),
                recommendation=(
                    "When the first answer cannot settle it (a delayed or stuck parcel, an "
                    "exception), promise a follow-up and send it proactively when the status "
                    "changes, so the customer never has to come back."
                ),
                impact="high"
                if sum(s.repeats for s in top_spots) >= 0.3 * current["repeat_inquiries"]
                else "medium",
                data_points={
                    "repeatRate": None if overall is None else round(overall, 3),
                    "segments": [
                        {
                            "dimension": s.dimension,
                            "key": s.key,
                            "inquiries": s.inquiries,
                            "repeats": s.repeats,
                            "rate": round(s.rate, 3),
                            "restRate": round(s.rest_rate, 3),
                            "pValue": s.p_value,
                        }
                        for s in top_spots
                    ],
                },
                subject="repeat_hot_spots",
                direction="bad",
                strength=sum(s.repeats for s in top_spots),
            )
        )
    return out
