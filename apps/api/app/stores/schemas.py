import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

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


WallTime = Annotated[str, StringConstraints(pattern=r"^\d{2}:\d{2}$")]
DayHours = Annotated[
    list[tuple[WallTime, WallTime]],
    Field(default_factory=list, max_length=12, description="[open, close] local times"),
]


class WeeklyHours(CamelModel):
    """Open intervals per weekday, local to the store ("24:00" closes at midnight). A close
    at or before the open runs overnight: ["22:00", "06:00"] belongs to the day it opens."""

    mon: DayHours
    tue: DayHours
    wed: DayHours
    thu: DayHours
    fri: DayHours
    sat: DayHours
    sun: DayHours


class BusinessHoursUpdate(CamelModel):
    weekly: WeeklyHours
    holidays: list[date] = Field(default_factory=list, max_length=400, description="closed days")
    effective_from: date = Field(
        description="the store-local date it takes effect; figures before it never change"
    )


class BusinessHoursVersionOut(CamelModel):
    effective_from: date
    weekly: WeeklyHours
    holidays: list[date]
    created_at: datetime


class BusinessHoursOut(CamelModel):
    timezone: str
    versions: list[BusinessHoursVersionOut] = Field(description="oldest first")
    current: BusinessHoursVersionOut | None = Field(description="the version in effect today")
    remeasured: int | None = Field(
        default=None,
        description="on PUT: inquiries whose business seconds changed (a version taking "
        "effect today or earlier re-measures the inquiries answered or resolved since then)",
    )
