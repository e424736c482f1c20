"""Business seconds against an independent count: walk the span minute by minute in UTC, read
the store's wall clock at each minute, and ask the schedule whether that wall time is open.
The walk knows nothing of offsets or UTC pieces, so it checks the interval arithmetic."""

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.stores.business_calendar import (
    WEEKDAYS,
    BusinessCalendar,
    ScheduleVersion,
    open_spans,
    parse_wall_time,
)

NY = "America/New_York"
OFFICE = {"mon": [("09:00", "17:00")], "tue": [("09:00", "17:00")], "wed": [("09:00", "17:00")],
          "thu": [("09:00", "17:00")], "fri": [("09:00", "17:00")], "sat": [], "sun": []}  # fmt: skip
NIGHTS = {day: [("22:00", "06:00")] for day in WEEKDAYS}
SPLIT = {day: [("00:30", "02:30"), ("08:00", "12:00"), ("13:00", "24:00")] for day in WEEKDAYS}


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def walked_seconds(
    timezone: str, versions: list[ScheduleVersion], start: datetime, end: datetime
) -> int:
    zone = ZoneInfo(timezone)

    def version_on(day: date) -> ScheduleVersion | None:
        eligible = [v for v in versions if v.effective_from <= day]
        return max(eligible, key=lambda v: v.effective_from) if eligible else None

    def open_at(wall: datetime) -> bool:
        minute = wall.hour * 60 + wall.minute
        today, yesterday = wall.date(), wall.date() - timedelta(days=1)
        for day, spill in ((today, False), (yesterday, True)):
            version = version_on(day)
            if version is None or day in version.holidays:
                continue
            for opens, closes in version.weekly[WEEKDAYS[day.weekday()]]:
                o, c = _minutes(opens), _minutes(closes)
                overnight = c <= o
                if not spill and (o <= minute < c if not overnight else minute >= o):
                    return True
                if spill and overnight and minute < c:
                    return True
        return False

    total = 0
    moment = start.astimezone(UTC)
    while moment < end:
        if open_at(moment.astimezone(zone)):
            total += 60
        moment += timedelta(minutes=1)
    return total


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def test_a_working_day_by_hand() -> None:
    calendar = BusinessCalendar(NY, [ScheduleVersion(date(2026, 1, 1), OFFICE)])
    # Friday 2026-03-06 16:00 EST (21:00 UTC) to Monday 10:30 EDT (14:30 UTC): one hour on
    # Friday, none at the weekend (the clocks go forward on Sunday), 1.5 hours on Monday.
    assert calendar.seconds(utc(2026, 3, 6, 21), utc(2026, 3, 9, 14, 30)) == 9000
    # Within one open interval: the plain difference.
    assert calendar.seconds(utc(2026, 3, 10, 14), utc(2026, 3, 10, 14, 0, 45)) == 45
    # Asked and answered overnight: no business time at all.
    assert calendar.seconds(utc(2026, 3, 10, 23), utc(2026, 3, 11, 11)) == 0


def test_overnight_hours_across_both_dst_changes_by_hand() -> None:
    calendar = BusinessCalendar(NY, [ScheduleVersion(date(2026, 1, 1), NIGHTS)])
    # Saturday 22:00 EST to Sunday 06:00 EDT on 2026-03-08 is 7 real hours (02:00 -> 03:00).
    saturday_night = (utc(2026, 3, 8, 3), utc(2026, 3, 8, 10))
    assert calendar.seconds(*saturday_night) == 7 * 3600
    # Saturday 22:00 EDT to Sunday 06:00 EST on 2026-11-01 is 9 real hours.
    assert calendar.seconds(utc(2026, 11, 1, 2), utc(2026, 11, 1, 11)) == 9 * 3600


def test_holidays_and_a_schedule_change_mid_span() -> None:
    versions = [
        ScheduleVersion(date(2026, 1, 1), OFFICE, frozenset({date(2026, 12, 25)})),
        # From Monday 2026-12-28 the store also opens at night.
        ScheduleVersion(date(2026, 12, 28), NIGHTS),
    ]
    calendar = BusinessCalendar(NY, versions)
    # Thu 24 Dec 12:00 EST -> Tue 29 Dec 12:00 EST: Thursday 5 h, Friday a holiday, weekend
    # closed, then the night schedule: Mon 28 00:00-06:00 is Sunday's night of the OLD version
    # (closed), Mon 22:00 -> Tue 06:00 is 8 h: 13 h in all.
    assert calendar.seconds(utc(2026, 12, 24, 17), utc(2026, 12, 29, 17)) == 13 * 3600


def test_spans_before_the_first_version_have_no_business_seconds() -> None:
    calendar = BusinessCalendar(NY, [ScheduleVersion(date(2026, 6, 1), OFFICE)])
    assert calendar.seconds(utc(2026, 5, 29, 14), utc(2026, 6, 2, 14)) is None
    assert calendar.seconds(utc(2026, 6, 1, 14), utc(2026, 6, 1, 15)) == 3600
    assert BusinessCalendar(NY, []).seconds(utc(2026, 6, 1, 14), utc(2026, 6, 1, 15)) is None


@pytest.mark.parametrize("timezone", [NY, "Europe/Berlin", "Australia/Sydney", "Asia/Tokyo"])
def test_random_spans_agree_with_the_minute_walk(timezone: str) -> None:
    rng = random.Random(timezone)
    versions = [
        ScheduleVersion(date(2026, 1, 1), OFFICE, frozenset({date(2026, 3, 9)})),
        ScheduleVersion(date(2026, 3, 20), NIGHTS, frozenset({date(2026, 4, 5)})),
        ScheduleVersion(date(2026, 10, 1), SPLIT, frozenset({date(2026, 11, 1)})),
    ]
    calendar = BusinessCalendar(timezone, versions)
    # Spans around both of each hemisphere's DST changes and the schedule changes.
    anchors = [utc(2026, 3, 7), utc(2026, 3, 18), utc(2026, 3, 28), utc(2026, 4, 4),
               utc(2026, 9, 29), utc(2026, 10, 3), utc(2026, 10, 24), utc(2026, 10, 31)]  # fmt: skip
    for anchor in anchors:
        for _ in range(4):
            start = anchor + timedelta(minutes=rng.randrange(0, 3 * 24 * 60))
            end = start + timedelta(minutes=rng.randrange(0, 4 * 24 * 60))
            expected = walked_seconds(timezone, versions, start, end)
            assert calendar.seconds(start, end) == expected, (start, end)


def test_schedules_are_checked() -> None:
    assert parse_wall_time("24:00") == timedelta(days=1)
    for bad in ("9:00", "24:01", "12:60", "ab:cd", "0900"):
        with pytest.raises(ValueError):
            parse_wall_time(bad)
    with pytest.raises(ValueError, match="overlap"):
        open_spans({"mon": [("09:00", "12:00"), ("11:00", "13:00")]})
    with pytest.raises(ValueError, match="overlap"):  # Sunday night runs into Monday morning
        open_spans({"sun": [("22:00", "06:00")], "mon": [("05:00", "09:00")]})
    assert len(open_spans(NIGHTS)) == 7
