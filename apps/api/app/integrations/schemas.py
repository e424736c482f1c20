import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from app.core.schemas import CamelModel
from app.integrations.connections import HelpdeskName


class HelpdeskWebhookResult(CamelModel):
    status: Literal["processed", "duplicate", "ignored"]
    provider: str
    delivery_id: str
    topic: str
    ticket_id: str | None = None
    inquiry_id: uuid.UUID | None = None
    created: bool = Field(default=False, description="this delivery created the inquiry")
    detail: str | None = None


class HelpdeskConnectionOut(CamelModel):
    provider: HelpdeskName
    webhook_url: str = Field(description="register this URL with the helpdesk")
    secret_set: bool
    updated_at: datetime | None
    last_delivery_at: datetime | None
    deliveries_last_day: int = Field(description="deliveries received in the last 24 hours")


class HelpdeskSecretIn(CamelModel):
    secret: str | None = Field(
        default=None,
        min_length=8,
        max_length=500,
        description="Zendesk: the webhook's signing secret (required). Gorgias: leave out to "
        "have one generated",
    )


class HelpdeskSecretOut(CamelModel):
    provider: HelpdeskName
    webhook_url: str
    secret: str = Field(description="shown once: Gorgias needs it in the X-Wismo-Token header")
