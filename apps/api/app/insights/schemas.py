"""Insights, alerts, the at-risk watchlist and alert webhook settings (DESIGN 6)."""

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from app.core.schemas import CamelModel

InsightType = Literal["warning", "opportunity", "success"]
Impact = Literal["high", "medium", "low"]


class Insight(CamelModel):
    """The brief's Insight: what was found, why (dataPoints) and what to do."""

    type: InsightType
    title: str
    description: str
    recommendation: str
    impact: Impact
    data_points: dict[str, Any] = Field(
        default_factory=dict, description="the numbers that justify the insight"
    )
    kind: str = Field(default="", description="the detector that produced it")
    generated_at: datetime | None = None


class AlertOut(CamelModel):
    id: uuid.UUID
    kind: str
    cause_key: str
    severity: str
    created_at: datetime
    acknowledged_at: datetime | None
    payload: dict[str, Any]
    delivered_at: datetime | None
    delivery_attempts: int
    delivery_error: str | None = None


class AlertWebhookIn(CamelModel):
    url: str | None = Field(
        default=None,
        max_length=1000,
        description="https URL that receives alerts as signed JSON POSTs; null disables delivery",
    )
    rotate_secret: bool = Field(
        default=False, description="issue a new signing secret (the old one stops working)"
    )


class AlertWebhookOut(CamelModel):
    url: str | None
    has_secret: bool
    secret: str | None = Field(
        default=None,
        description="the signing secret, returned only when it is created or rotated",
    )
    signature_header: str = "X-Wismo-Signature"
    signature_scheme: str = "sha256=hex(HMAC-SHA256(secret, raw body))"


class AtRiskItem(CamelModel):
    order_number: str = Field(description="link target: the order's timeline")
    kind: Literal["shipment", "unfulfilled_order"]
    carrier: str | None
    tracking_number: str | None
    status: str
    order_created_at: datetime
    shipped_at: datetime | None
    original_estimated_delivery: date | None
    reasons: list[str]
    score: float = Field(description="estimated probability of an inquiry in the next days")
    timeline_url: str


class AtRiskList(CamelModel):
    method: Literal["learned", "rules"] = Field(
        description="learned from this store's history, or the rule-based fallback"
    )
    horizon_days: int
    trained_on: int = Field(description="labelled examples behind the learned model (0 = rules)")
    base_rate: float | None = Field(
        description="share of comparable open shipments/orders that drew an inquiry"
    )
    generated_at: datetime
    items: list[AtRiskItem]
