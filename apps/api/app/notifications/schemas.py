import uuid
from datetime import datetime

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
