"""Alert evaluation: inquiry spikes and low satisfaction, raised through alerts.raise_alert.

Run shortly after new data (the scheduler runs it every 15 minutes for every store). Each cause
is raised once: `raise_alert` keeps one *open* alert per cause, and this module also skips a
cause whose alert was already acknowledged, so acknowledging an alert silences that cause
instead of re-opening it at the next evaluation.

- inquiry_spike: a spike episode (see `spikes`) over the last 14 local days that is still
  going (it includes today or yesterday); cause key `inquiry_spike:<first day>`, so a
  week-long incident is one alert.
- low_satisfaction: over the last 7 local days, at least 20 ratings and either a mean below
  3.5 / 5 or a CSAT significantly below the 28 days before (two-proportion z, p < 1%, at least
  10 points lower); cause key `low_satisfaction:<ISO week>`.
"""

from collections import Counter
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.analytics.metrics import evaluate
from app.core.timeutils import local_today
from app.insights import alerts, spikes
from app.insights.reader import RollupReader
from app.insights.stats import two_proportion_z
from app.models import Alert, Store

SPIKE_LOOKBACK_DAYS = 14
SAT_WINDOW_DAYS = 7
SAT_BASELINE_DAYS = 28
MIN_RATINGS = 20
MIN_BASELINE_RATINGS = 30
LOW_SCORE = 3.5
CSAT_DROP = 0.10
ALPHA = 0.01


async def _ever_raised(session: AsyncSession, store_id: Any, kind: str, cause_key: str) -> bool:
    found = await session.scalar(
        select(Alert.id)
        .where(Alert.store_id == store_id, Alert.kind == kind, Alert.cause_key == cause_key)
        .limit(1)
    )
    return found is not None


async def _raise_once(
    session: AsyncSession,
    store: Store,
    *,
    kind: str,
    cause_key: str,
    severity: str,
    payload: dict[str, Any],
) -> Alert | None:
    if await _ever_raised(session, store.id, kind, cause_key):
        return None
    alert, created = await alerts.raise_alert(
        session, store.id, kind=kind, cause_key=cause_key, severity=severity, payload=payload
    )
    return alert if created else None


def _sum(days: dict[date, Counter[str]], start: date, end: date) -> Counter[str]:
    return RollupReader.total(days, start, end)


async def evaluate_alerts(
    session: AsyncSession, store: Store, *, today: date | None = None
) -> list[Alert]:
    """Raise the alerts the latest data calls for; returns the newly raised ones (flushes)."""
    today = today or local_today(store.timezone)
    reader = RollupReader(session)
    start = today - timedelta(days=7 * spikes.WEEKS + SPIKE_LOOKBACK_DAYS)
    days = await reader.daily(store.id, start, today)
    raised: list[Alert] = []

    counts = {d: c["total_inquiries"] for d, c in days.items()}
    active = [d for d, c in days.items() if c["total_orders"] or c["total_inquiries"]]
    if active:
        recent = [today - timedelta(days=i) for i in range(SPIKE_LOOKBACK_DAYS)]
        for ep in spikes.detect_episodes(counts, recent, min(active)):
            # Over by now: no elevated day since the lull an episode may bridge. A lull may
            # still end in another elevated day, which extends this episode (same cause key).
            if ep.end < today - timedelta(days=spikes.MAX_GAP_DAYS):
                continue
            peak = ep.peak
            alert = await _raise_once(
                session,
                store,
                kind="inquiry_spike",
                cause_key=f"inquiry_spike:{ep.start.isoformat()}",
                severity="high" if ep.ratio >= 3 or peak.ratio >= 3 else "medium",
                payload={
                    "title": f"Inquiry spike since {ep.start.isoformat()}",
                    "message": (
                        f"{ep.total} inquiries {_dates(ep.start, ep.end)} "
                        f"where about {ep.expected:.0f} were expected; "
                        f"peak {peak.count} on {peak.day.isoformat()} "
                        f"(usual {peak.expected:.0f})."
                    ),
                    "start": ep.start.isoformat(),
                    "end": ep.end.isoformat(),
                    "inquiries": ep.total,
                    "expected": round(ep.expected, 1),
                    "peakDate": peak.day.isoformat(),
                    "peakInquiries": peak.count,
                    "peakExpected": peak.expected,
                    "robustZ": round(max(ep.z, peak.z), 2),
                },
            )
            if alert is not None:
                raised.append(alert)

    week_start = today - timedelta(days=SAT_WINDOW_DAYS - 1)
    base_end = week_start - timedelta(days=1)
    cur = _sum(days, week_start, today)
    base = _sum(days, base_end - timedelta(days=SAT_BASELINE_DAYS - 1), base_end)
    n = cur["rating_count"]
    score, csat = evaluate("satisfaction_score", cur), evaluate("csat", cur)
    if n >= MIN_RATINGS and score is not None and csat is not None:
        reasons: list[str] = []
        base_csat: float | None = None
        if score < LOW_SCORE:
            reasons.append(f"average rating {score:.2f} / 5 is below {LOW_SCORE}")
        if base["rating_count"] >= MIN_BASELINE_RATINGS:
            base_csat = evaluate("csat", base)
            assert base_csat is not None
            test = two_proportion_z(
                base["satisfied_count"], base["rating_count"], cur["satisfied_count"], n
            )
            if test.p_value < ALPHA and base_csat - csat >= CSAT_DROP:
                reasons.append(
                    f"CSAT fell to {csat * 100:.0f}% from {base_csat * 100:.0f}% over the "
                    f"previous {SAT_BASELINE_DAYS} days"
                )
        if reasons:
            year, week, _ = today.isocalendar()
            alert = await _raise_once(
                session,
                store,
                kind="low_satisfaction",
                cause_key=f"low_satisfaction:{year}-W{week:02d}",
                severity="high" if score < 3.0 else "medium",
                payload={
                    "title": "Customer satisfaction is low",
                    "message": "; ".join(reasons) + f" ({n} ratings in the last 7 days).",
                    "start": week_start.isoformat(),
                    "end": today.isoformat(),
                    "ratings": n,
                    "satisfactionScore": round(score, 3),
                    "csat": round(csat, 3),
                    "baselineCsat": round(base_csat, 3) if base_csat is not None else None,
                },
            )
            if alert is not None:
                raised.append(alert)
    return raised


def _dates(start: date, end: date) -> str:
    """ "on 2026-11-30" for one day, "from 2026-11-20 to 2026-11-22" for several."""
    if start == end:
        return f"on {start.isoformat()}"
    return f"from {start.isoformat()} to {end.isoformat()}"
