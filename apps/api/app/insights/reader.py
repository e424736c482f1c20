"""The insight detectors' view of the rollups, through WISMOAnalyticsService.

Every series an insight uses is read here, and only from the rollup tables (through the
analytics service's readers), so the metric formulas stay in `services/analytics.py` and the
cost of generating insights grows with days and dimension keys, never with orders.
"""

import uuid
from collections import Counter
from datetime import date

from app.analytics import histograms
from app.analytics.metrics import OVERVIEW, evaluate_many
from app.analytics.service import DateRange, WISMOAnalyticsService
from app.ingestion.rollups import ALL, segment


class RollupReader:
    def __init__(self, analytics: WISMOAnalyticsService) -> None:
        self.analytics = analytics

    async def daily(self, store_id: uuid.UUID, start: date, end: date) -> dict[date, Counter[str]]:
        """Per-day counters (DESIGN 5 inputs), unfiltered."""
        return await self.analytics._by_date(store_id, start, end, None)

    async def breakdown_key(
        self,
        store_id: uuid.UUID,
        rng: DateRange,
        dimension: str,
        key: str,
        columns: tuple[str, ...],
    ) -> Counter[str]:
        """Counters of one key of a dimension (e.g. one carrier) summed over the range."""
        days = await self.analytics._dimension_by_date(
            store_id, rng.start, rng.end, dimension, [key]
        )
        total: Counter[str] = Counter()
        for c in days.values():
            total.update({k: c[k] for k in columns})
        return total

    async def breakdown(
        self, store_id: uuid.UUID, rng: DateRange, dimension: str, columns: tuple[str, ...]
    ) -> dict[str, Counter[str]]:
        """Counters summed over the range for each key of a dimension."""
        return await self.analytics._breakdown(store_id, rng, dimension, None, columns=columns)

    async def histogram(
        self, store_id: uuid.UUID, rng: DateRange, metric: str, seg: str = ALL
    ) -> dict[int, int]:
        return await self.analytics._histogram(store_id, rng, metric, [seg])

    async def carrier_histogram(
        self, store_id: uuid.UUID, rng: DateRange, metric: str, carrier: str
    ) -> dict[int, int]:
        return await self.analytics._histogram(store_id, rng, metric, [segment("carrier", carrier)])

    async def median(
        self, store_id: uuid.UUID, rng: DateRange, metric: str, seg: str = ALL
    ) -> tuple[float | None, int]:
        hist = await self.histogram(store_id, rng, metric, seg)
        return histograms.quantile(hist, 0.5), sum(hist.values())

    async def quantile(
        self, store_id: uuid.UUID, rng: DateRange, metric: str, q: float
    ) -> float | None:
        return histograms.quantile(await self.histogram(store_id, rng, metric), q)

    @staticmethod
    def values(counters: Counter[str]) -> dict[str, int | float | None]:
        """The overview metrics of summed counters, from the metric registry."""
        return evaluate_many(OVERVIEW, counters)

    @staticmethod
    def total(days: dict[date, Counter[str]], start: date, end: date) -> Counter[str]:
        return WISMOAnalyticsService._sum(days, start, end)
