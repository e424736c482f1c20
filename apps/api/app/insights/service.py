"""WISMOInsightsService: run every detector over a store's rollups, explain what it found,
rank the findings and keep the latest set per range."""

import uuid
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, select

from app.analytics.service import DateRange, WISMOAnalyticsService, resolve_range
from app.core.timeutils import utcnow
from app.insights import spikes
from app.insights.base import Finding, rank
from app.insights.findings import benchmarks as benchmark_findings
from app.insights.findings import carriers as carrier_findings
from app.insights.findings import changes as change_findings
from app.insights.findings import fulfillment as fulfillment_findings
from app.insights.findings import patterns as pattern_findings
from app.insights.findings import satisfaction as satisfaction_findings
from app.insights.findings import spikes as spike_findings
from app.insights.reader import RollupReader
from app.insights.schemas import Insight
from app.models import Insight as InsightRow
from app.models import Store

MIN_ORDERS = 50
MIN_INQUIRIES = 20
MIN_SHIPMENTS = 100
BASELINE_DAYS = 7 * spikes.WEEKS
FRESH_FOR = timedelta(hours=1)
KEEP_FOR = timedelta(days=7)


class WISMOInsightsService:
    def __init__(self, analytics: WISMOAnalyticsService) -> None:
        self.analytics = analytics
        self.reader = RollupReader(analytics.db)

    # ------------------------------------------------------------ stored insights

    async def latest(
        self,
        store: Store,
        rng: DateRange,
        *,
        max_age: timedelta = FRESH_FOR,
        now: datetime | None = None,
    ) -> list[Insight] | None:
        """The newest generated set for exactly this range, if generated within `max_age`."""
        now = now or utcnow()
        db = self.analytics.db
        t = InsightRow
        newest = await db.scalar(
            select(func.max(t.generated_at)).where(
                t.store_id == store.id, t.range_start == rng.start, t.range_end == rng.end
            )
        )
        if newest is None or newest < now - max_age:
            return None
        rows = await db.scalars(
            select(t)
            .where(
                t.store_id == store.id,
                t.range_start == rng.start,
                t.range_end == rng.end,
                t.generated_at == newest,
            )
            .order_by(t.rank)
        )
        return [Insight.model_validate(r) for r in rows]

    async def refresh(
        self, store: Store, rng: DateRange, *, now: datetime | None = None
    ) -> list[Insight]:
        """Generate, replace the stored set for this range, and return it (flushes only)."""
        now = now or utcnow()
        insights = await self.generate_insights(store, rng)
        db = self.analytics.db
        t = InsightRow
        await db.execute(
            delete(t).where(
                t.store_id == store.id,
                t.generated_at <= now,
                (and_(t.range_start == rng.start, t.range_end == rng.end))
                | (t.generated_at < now - KEEP_FOR),
            )
        )
        for position, insight in enumerate(insights):
            insight.generated_at = now
            db.add(
                InsightRow(
                    store_id=store.id,
                    generated_at=now,
                    range_start=rng.start,
                    range_end=rng.end,
                    type=insight.type,
                    title=insight.title[:300],
                    description=insight.description,
                    recommendation=insight.recommendation,
                    impact=insight.impact,
                    data_points=insight.data_points,
                    kind=insight.kind,
                    rank=position,
                )
            )
        await db.flush()
        return insights

    async def get_or_generate(
        self, store: Store, rng: DateRange, *, refresh: bool = False, max_age: timedelta = FRESH_FOR
    ) -> list[Insight]:
        if not refresh:
            stored = await self.latest(store, rng, max_age=max_age)
            if stored is not None:
                return stored
        return await self.refresh(store, rng)

    # ------------------------------------------------------------ generation

    async def generate_insights(self, store: Store, date_range: DateRange) -> list[Insight]:
        findings = await self.findings(store, date_range)
        return [
            Insight(
                type=f.type,
                title=f.title,
                description=f.description,
                recommendation=f.recommendation,
                impact=f.impact,
                data_points=f.data_points,
                kind=f.kind,
            )
            for f in findings
        ]

    async def findings(self, store: Store, rng: DateRange) -> list[Finding]:
        prev = rng.previous
        window_start = min(prev.start, rng.start - timedelta(days=BASELINE_DAYS))
        days = await self.reader.daily(store.id, window_start, rng.end)
        current = self.reader.total(days, rng.start, rng.end)
        previous = self.reader.total(days, prev.start, prev.end)
        if not self._enough(current):
            return [self._not_enough(current)]
        reader = self.reader
        episodes = spike_findings.episodes_in(rng, days)
        found: list[Finding] = [
            *await spike_findings.spike_findings(reader, store, rng, episodes, days),
            *await carrier_findings.carrier_findings(reader, store, rng, episodes),
            *fulfillment_findings.fulfillment_findings(rng, days),
            *await pattern_findings.pattern_findings(reader, store, rng, current),
            *await satisfaction_findings.satisfaction_findings(reader, store, rng),
            *await benchmark_findings.benchmark_findings(reader, store, rng, current),
            *await change_findings.change_findings(reader, store, rng, current, previous),
        ]
        if not found:
            return [self._all_clear(current)]
        return rank(found)

    @staticmethod
    def _enough(c: Counter[str]) -> bool:
        return c["total_orders"] >= MIN_ORDERS and (
            c["total_inquiries"] >= MIN_INQUIRIES or c["shipments_shipped"] >= MIN_SHIPMENTS
        )

    @staticmethod
    def _not_enough(c: Counter[str]) -> Finding:
        return Finding(
            kind="not_enough_data",
            type="opportunity",
            title="Not enough data yet",
            description=(
                f"Insights need at least {MIN_ORDERS} orders and {MIN_INQUIRIES} inquiries "
                f"(or {MIN_SHIPMENTS} shipments) in the selected period; this period has "
                f"{c['total_orders']} orders, {c['total_inquiries']} inquiries and "
                f"{c['shipments_shipped']} shipments."
            ),
            recommendation=(
                "Connect the store's order and tracking webhooks and your helpdesk (or import "
                "CSV history), or choose a longer date range."
            ),
            impact="low",
            data_points={
                "orders": c["total_orders"],
                "inquiries": c["total_inquiries"],
                "shipments": c["shipments_shipped"],
                "minOrders": MIN_ORDERS,
                "minInquiries": MIN_INQUIRIES,
                "minShipments": MIN_SHIPMENTS,
            },
            subject="data",
            direction="neutral",
        )

    @staticmethod
    def _all_clear(c: Counter[str]) -> Finding:
        return Finding(
            kind="all_clear",
            type="success",
            title="No problems found in this period",
            description=(
                "No inquiry spikes, no underperforming carrier, no significant change against "
                f"the previous period across {c['total_orders']} orders and "
                f"{c['total_inquiries']} inquiries."
            ),
            recommendation="Keep the current processes; insights refresh as new data arrives.",
            impact="low",
            data_points={"orders": c["total_orders"], "inquiries": c["total_inquiries"]},
            subject="all",
            direction="neutral",
        )


async def generate_for_store(
    analytics: WISMOAnalyticsService,
    store_id: uuid.UUID,
    named_ranges: tuple[str, ...] = ("7d", "30d", "90d"),
) -> int:
    """Refresh the stored insights of a store for each named range (the worker's entry point)."""
    store = await analytics.db.get(Store, store_id)
    if store is None:
        return 0
    service = WISMOInsightsService(analytics)
    n = 0
    for name in named_ranges:
        n += len(await service.refresh(store, resolve_range(name, None, None, store.timezone)))
    return n
