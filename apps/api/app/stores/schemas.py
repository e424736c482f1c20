import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from app.core.schemas import CamelModel


class StoreUpdate(CamelModel):
    """Only the fields sent change; `domain: null` clears it."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    domain: str | None = Field(default=None, max_length=255, description="SHOP.myshopify.com")
    timezone: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        description="IANA name; a change re-derives every local day and rebuilds the rollups",
    )


class TimezoneChangeOut(CamelModel):
    id: uuid.UUID
    from_timezone: str
    to_timezone: str
    status: Literal["pending", "running", "done", "failed"]
    done: int = Field(description="fact rows converted so far")
    total: int = Field(description="fact rows to convert (0 until the job starts)")
    error: str | None
    created_at: datetime
    finished_at: datetime | None


class SetupInstruction(CamelModel):
    label: str
    kind: Literal["url", "snippet"]
    value: str = Field(description="the URL to paste into a provider, or a snippet to copy")
    note: str | None = None


class SetupStep(CamelModel):
    key: Literal["orders", "tracking", "inquiries"]
    title: str
    done: bool = Field(description="true once the store holds at least one such record")
    instructions: list[SetupInstruction]


class SetupChecklist(CamelModel):
    complete: bool
    steps: list[SetupStep]
