"""Automated insights (brief 3.6): detectors over the rollups, explained and ranked.

One module per detector (spikes, carriers, fulfillment, patterns, satisfaction, changes), each
a small pure function with its own tests; `service.WISMOInsightsService` reads the series
from the rollups through `WISMOAnalyticsService` and turns findings into `Insight`s.
"""

from app.insights.schemas import Insight
from app.insights.service import WISMOInsightsService, generate_for_store

__all__ = ["Insight", "WISMOInsightsService", "generate_for_store"]
