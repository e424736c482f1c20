import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from app.core.schemas import CamelModel


class OutboxEmailOut(CamelModel):
    id: uuid.UUID
    recipient: str
    subject: str
    text_body: str | None = Field(description="null when only owners may read it (invite links)")
    error: str | None = Field(description="why the SMTP server did not take it; null = no SMTP")
    created_at: datetime


class OutboxPage(CamelModel):
    smtp_configured: bool
    items: list[OutboxEmailOut]
    next_cursor: str | None


ChannelName = Literal["webhook", "email", "slack"]
DigestFrequency = Literal["off", "daily", "weekly", "monthly"]


class AlertKindChannels(CamelModel):
    kind: str
    label: str
    channels: list[ChannelName]


class ChannelDeliveryOut(CamelModel):
    alert_id: uuid.UUID
    kind: str
    title: str
    channel: str
    status: str = Field(
        description="pending | sent | outbox (no SMTP: kept in the outbox) | failed"
    )
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    sent_at: datetime | None
    created_at: datetime


class AlertChannelsOut(CamelModel):
    slack_configured: bool
    slack_url_hint: str | None = Field(description="scheme, host and the last characters")
    webhook_configured: bool
    email_recipients: list[str] = Field(description="the store's admins and owners")
    kinds: list[AlertKindChannels]
    recent_deliveries: list[ChannelDeliveryOut]


class AlertChannelsUpdate(CamelModel):
    slack_webhook_url: str | None = Field(
        default=None,
        max_length=1000,
        description="Slack incoming-webhook URL; null clears it, absent keeps it",
    )
    routes: dict[str, list[ChannelName]] | None = Field(
        default=None, max_length=10, description="alert kind -> the channels it goes to"
    )


class DigestSettingsOut(CamelModel):
    frequency: DigestFrequency
    hour: int = Field(description="local hour of the store's time zone, 0-23")
    timezone: str
    next_send_at: datetime | None = Field(description="when the next digest is due (UTC)")
    last_sent_at: datetime | None


class DigestSettingsIn(CamelModel):
    frequency: DigestFrequency
    hour: int = Field(default=8, ge=0, le=23)
