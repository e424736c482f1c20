"""Business seconds: how much of a span of time fell in a store's opening hours.

A moment is business time when the store's wall clock shows a time inside one of the open
intervals of that local day (by the schedule version in effect on that day, unless the day is
one of that version's holidays). An interval whose close is not after its open runs overnight:
22:00-06:00 belongs to the day it opens on, so that day's version and holidays decide it.

The arithmetic is exact across daylight-saving changes: the span is cut where the UTC offset
changes, and within each piece the wall clock is the UTC time plus one fixed offset, so every
open interval maps to one UTC interval there. A spring-forward night has an hour less of
business time when the store is open through it, a fall-back night an hour more.
"""

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import pairwise
from zoneinfo import ZoneInfo

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
END_OF_DAY = "24:00"
_DAY = timedelta(days=1)
_PROBE = timedelta(hours=6)

Interval = tuple[str, str]  # ("09:00", "17:00"), local wall times


@dataclass(frozen=True)
class ScheduleVersion:
    effective_from: date
    weekly: Mapping[str, Sequence[Interval]]  # "mon".."sun" -> open intervals
    holidays: frozenset[date] = frozenset()


def parse_wall_time(text: str) -> timedelta:
    """ "HH:MM" (00:00-24:00) as the time since local midnight; ValueError otherwise."""
    hours, sep, minutes = text.partition(":")
    if not sep or len(hours) != 2 or len(minutes) != 2 or not (hours + minutes).isdigit():
        raise ValueError(f"{text!r} is not a time of the form HH:MM")
    value = timedelta(hours=int(hours), minutes=int(minutes))
    if int(minutes) > 59 or value > _DAY:
        raise ValueError(f"{text!r} is not a time between 00:00 and 24:00")
    return value


@lru_cache(maxsize=1024)
def open_interval(opens: str, closes: str) -> tuple[timedelta, timedelta]:
    """An interval as times since its day's midnight; a close at or before the open is on
    the next day (overnight)."""
    start, end = parse_wall_time(opens), parse_wall_time(closes)
    return start, end + _DAY if end <= start else end


def open_spans(weekly: Mapping[str, Sequence[Interval]]) -> list[tuple[timedelta, timedelta]]:
    """The week's open intervals as offsets from Monday 00:00 (overnight ones reach into the
    next day; Sunday's into the next Monday, past 7 days). ValueError when two overlap."""
    spans: list[tuple[timedelta, timedelta]] = []
    for index, day in enumerate(WEEKDAYS):
        for opens, closes in weekly.get(day, ()):
            start, end = open_interval(opens, closes)
            if start == _DAY:
                raise ValueError(f"{day}: an interval cannot open at 24:00")
            spans.append((index * _DAY + start, index * _DAY + end))
    spans.sort()
    week = 7 * _DAY
    wrapped = spans + [(s + week, e + week) for s, e in spans[:1]]
    for (_, end), (start, _) in pairwise(wrapped):
        if start < end:
            raise ValueError("open intervals overlap")
    return spans


class BusinessCalendar:
    """A store's schedule versions in its time zone."""

    def __init__(self, timezone: str, versions: Sequence[ScheduleVersion]) -> None:
        self.zone = ZoneInfo(timezone)
        self.versions = sorted(versions, key=lambda v: v.effective_from)

    @property
    def starts(self) -> date | None:
        return self.versions[0].effective_from if self.versions else None

    def version_on(self, day: date) -> ScheduleVersion | None:
        found = None
        for version in self.versions:
            if version.effective_from > day:
                break
            found = version
        return found

    def measures(self, start: datetime) -> bool:
        """Whether a span starting then has business seconds: it began on or after the day the
        first version took effect (before that the store had no opening hours to count)."""
        first = self.starts
        return first is not None and start.astimezone(self.zone).date() >= first

    def seconds(self, start: datetime, end: datetime) -> int | None:
        """Whole business seconds in [start, end] (aware datetimes); None when the span began
        before the store had a schedule."""
        if not self.measures(start):
            return None
        if end <= start:
            return 0
        start_utc, end_utc = _naive_utc(start), _naive_utc(end)
        first_day = start.astimezone(self.zone).date() - _DAY  # yesterday's overnight interval
        last_day = end.astimezone(self.zone).date()
        # Merged: the first night of a new version may overlap the last night of the old one.
        walls = _merged(self._open_walls(first_day, last_day))
        total = timedelta()
        for piece_start, piece_end, offset in self._fixed_offset_pieces(start_utc, end_utc):
            for wall_open, wall_close in walls:
                lo = max(wall_open - offset, piece_start)
                hi = min(wall_close - offset, piece_end)
                if hi > lo:
                    total += hi - lo
        return round(total.total_seconds())

    def _open_walls(self, first: date, last: date) -> Iterator[tuple[datetime, datetime]]:
        """Open intervals of the local days first..last as naive wall-clock datetimes."""
        day = first
        while day <= last:
            version = self.version_on(day)
            if version is not None and day not in version.holidays:
                midnight = datetime.combine(day, time())
                for opens, closes in version.weekly.get(WEEKDAYS[day.weekday()], ()):
                    start, end = open_interval(opens, closes)
                    yield midnight + start, midnight + end
            day += _DAY

    def _fixed_offset_pieces(
        self, start: datetime, end: datetime
    ) -> Iterator[tuple[datetime, datetime, timedelta]]:
        """[start, end) (naive UTC) cut where the zone's UTC offset changes: (from, to, offset).
        Probed every six hours: no zone changes its offset twice within six hours."""
        piece_start, offset = start, self._offset(start)
        probe = start
        while probe < end:
            step = min(probe + _PROBE, end)
            if self._offset(step) == offset:
                probe = step
                continue
            change = self._first_change(probe, step, offset)
            yield piece_start, change, offset
            piece_start, offset, probe = change, self._offset(change), change
        yield piece_start, end, offset

    def _first_change(self, lo: datetime, hi: datetime, offset: timedelta) -> datetime:
        """The first whole second in (lo, hi] whose offset is not `offset` (hi's is not)."""
        lo_s, hi_s = (
            int(lo.replace(tzinfo=UTC).timestamp()),
            int(hi.replace(tzinfo=UTC).timestamp()),
        )
        while hi_s - lo_s > 1:
            mid = (lo_s + hi_s) // 2
            if self._offset(_from_epoch(mid)) == offset:
                lo_s = mid
            else:
                hi_s = mid
        return _from_epoch(hi_s)

    def _offset(self, moment: datetime) -> timedelta:
        offset = moment.replace(tzinfo=UTC).astimezone(self.zone).utcoffset()
        assert offset is not None
        return offset


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)


def _merged(intervals: Iterator[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
