"""Satisfaction findings: the segments and resolution times that pull ratings down."""

from app.analytics.service import DateRange
from app.ingestion.rollups import RESOLUTION_BANDS
from app.insights import satisfaction
from app.insights.base import Finding, cut_label, pct, segment_name
from app.insights.reader import RollupReader
from app.models import Store

RATING_COLUMNS = ("rating_count", "rating_sum", "satisfied_count")


async def satisfaction_findings(
    reader: RollupReader, store: Store, rng: DateRange
) -> list[Finding]:
    segs: list[satisfaction.SegmentRatings] = []
    for dim in ("inquiry_type", "carrier", "order_status"):
        rows = await reader.breakdown(store.id, rng, dim, RATING_COLUMNS)
        segs += [
            satisfaction.SegmentRatings(
                dim, k, c["rating_count"], c["rating_sum"], c["satisfied_count"]
            )
            for k, c in rows.items()
            if c["rating_count"] and k != "unknown"
        ]
    out: list[Finding] = []
    drivers = satisfaction.segment_drivers(segs)
    if drivers:
        top = drivers[:3]
        listing = "; ".join(
            f"{segment_name(d.segment.dimension, d.segment.key)}: CSAT {pct(d.segment.csat)} "
            f"(score {d.segment.score:.1f}) vs {pct(d.rest_csat)}"
            for d in top
        )
        out.append(
            Finding(
                kind="satisfaction_drivers",
                type="warning",
                title="Satisfaction is lowest for "
                + segment_name(top[0].segment.dimension, top[0].segment.key),
                description=(
                    f"These segments pull the score down: {listing} (Holm-adjusted p < 0.01)."
                ),
                recommendation=(
                    "Read the lowest-rated conversations of these segments first; give the "
                    "assistant a specific, honest answer for them (what happened, what happens "
                    "next, when) and escalate them to a person sooner."
                ),
                impact="high" if top[0].rest_csat - top[0].segment.csat >= 0.2 else "medium",
                data_points={
                    "segments": [
                        {
                            "dimension": d.segment.dimension,
                            "key": d.segment.key,
                            "ratings": d.segment.rating_count,
                            "csat": round(d.segment.csat, 3),
                            "score": round(d.segment.score, 2),
                            "restCsat": round(d.rest_csat, 3),
                            "restScore": round(d.rest_score, 2),
                            "pValue": d.p_value,
                        }
                        for d in top
                    ]
                },
                subject="satisfaction_drivers",
                direction="bad",
                strength=sum((d.rest_csat - d.segment.csat) * d.segment.rating_count for d in top),
            )
        )
    by_band_rows = await reader.breakdown(store.id, rng, "resolution_rating", ("rating_count",))
    ratings_by_band: dict[int, dict[int, int]] = {}
    for key, c in by_band_rows.items():
        band, rating = (int(p) for p in key.split(":"))
        if c["rating_count"]:
            ratings_by_band.setdefault(band, {})[rating] = c["rating_count"]
    labels = [label for label, _ in RESOLUTION_BANDS]
    cuts = [cut_label(upper) for _, upper in RESOLUTION_BANDS if upper is not None]
    effect = satisfaction.resolution_effect(labels, ratings_by_band, cuts)
    if effect is not None:
        bands_text = ", ".join(
            f"{label} {score:.1f}"
            for label, n, score in effect.band_scores
            if score is not None and n
        )
        out.append(
            Finding(
                kind="resolution_time_satisfaction",
                type="opportunity",
                title=f"Answers within {effect.cut_label} earn better ratings",
                description=(
                    f"Inquiries resolved within {effect.cut_label} are rated "
                    f"{effect.fast_score:.2f} on average ({effect.fast_count} ratings), slower "
                    f"ones {effect.slow_score:.2f} ({effect.slow_count}). By resolution time: "
                    f"{bands_text}."
                ),
                recommendation=(
                    f"Aim to resolve every inquiry within {effect.cut_label}: let the assistant "
                    "answer status and tracking questions instantly, and route inquiries "
                    "that approach the limit to a person."
                ),
                impact="high" if effect.fast_score - effect.slow_score >= 0.8 else "medium",
                data_points={
                    "cut": effect.cut_label,
                    "fastScore": round(effect.fast_score, 2),
                    "slowScore": round(effect.slow_score, 2),
                    "fastRatings": effect.fast_count,
                    "slowRatings": effect.slow_count,
                    "pValue": effect.p_value,
                    "bands": [
                        {
                            "band": label,
                            "ratings": n,
                            "score": round(score, 2) if score is not None else None,
                        }
                        for label, n, score in effect.band_scores
                    ],
                },
                subject="resolution_speed_effect",
                direction="neutral",
                strength=effect.fast_score - effect.slow_score,
            )
        )
    return out
