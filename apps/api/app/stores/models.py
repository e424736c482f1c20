from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base
from app.db.types import UTCDateTime
from app.models.common import CreatedAt, StoreScoped

PENDING = "pending"
RUNNING = "running"
DONE = "done"
FAILED = "failed"
UNFINISHED = (PENDING, RUNNING)


class TimezoneChange(StoreScoped, CreatedAt, Base):
    """A store's time-zone change: its facts' local columns re-derived, then its rollups rebuilt.

    `done` of `total` fact rows converted; `lease_until` keeps a second worker off a job whose
    worker is alive (a dead worker's lease runs out and the job is taken over)."""

    __tablename__ = "timezone_changes"

    from_timezone: Mapped[str] = mapped_column(String(64))
    to_timezone: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index(
            "uq_timezone_changes_one_unfinished",
            "store_id",
            unique=True,
            postgresql_where=text("status IN ('pending', 'running')"),
            sqlite_where=text("status IN ('pending', 'running')"),
        ),
    )


class BusinessHoursVersion(StoreScoped, CreatedAt, Base):
    """A store's opening hours from `effective_from` (its local date) until the next version:
    `weekly` maps "mon".."sun" to [["09:00", "17:00"], ...] local wall times, `holidays` lists
    ISO dates that are closed all day. Inquiries store the business seconds measured with the
    versions in effect on each day they spanned (app/stores/business_calendar.py)."""

    __tablename__ = "business_hours_versions"

    effective_from: Mapped[date] = mapped_column(Date)
    weekly: Mapped[dict[str, Any]] = mapped_column(JSON)
    holidays: Mapped[list[str]] = mapped_column(JSON)

    __table_args__ = (UniqueConstraint("store_id", "effective_from"),)
