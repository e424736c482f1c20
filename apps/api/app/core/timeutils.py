"""Store-local dates: every "day" is a local day of the store, every timestamp is UTC."""

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from app.core import clock
from app.core.errors import ValidationError

FUTURE_TOLERANCE = timedelta(minutes=5)
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(f"unknown time zone {name!r}") from exc


def is_valid_timezone(name: str) -> bool:
    return name in available_timezones()


def utcnow() -> datetime:
    """The current instant (aware UTC), from the one clock (`app.core.clock`)."""
    return clock.now()


def local_date(moment: datetime, tz: str) -> date:
    return moment.astimezone(zone(tz)).date()


def local_parts(moment: datetime, tz: str) -> tuple[date, int, int]:
    """(local date, hour 0-23, weekday 0 = Monday)."""
    local = moment.astimezone(zone(tz))
    return local.date(), local.hour, local.weekday()


def local_day_start(day: date, tz: str) -> datetime:
    """The UTC instant at which local day `day` begins (its first existing moment, when a
    DST change skips local midnight)."""
    return datetime.combine(day, time.min, zone(tz)).astimezone(UTC)


def local_today(tz: str) -> date:
    """Today in the store's time zone, on the one clock."""
    return clock.today_in(zone(tz))


def ensure_aware(moment: datetime, field: str) -> datetime:
    if moment.tzinfo is None:
        raise ValidationError(f"{field} must include a time zone offset (e.g. 2026-01-31T10:00Z)")
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00+01:00 has no UTC equivalent
        raise ValidationError(f"{field} is out of range") from None
    if moment < EARLIEST:
        raise ValidationError(f"{field} is before 1970")
    return moment


def ensure_not_future(moment: datetime, field: str) -> datetime:
    moment = ensure_aware(moment, field)
    if moment > utcnow() + FUTURE_TOLERANCE:
        raise ValidationError(f"{field} is in the future")
    return moment
