"""A store's business hours: the schedule versions, and the business seconds of its inquiries.

Every write that sets an inquiry's first response or resolution stamps the business seconds
with the calendar of the store (`stamp`), so the rollups add them like any other counter.
A new version changes figures only from the date it takes effect: one dated in the future
changes nothing now; one dated today or earlier re-measures the inquiries whose first response
or resolution came on or after that date, and the rollups move by the difference.
"""

import uuid
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from sqlalchemy import or_, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import ValidationError
from app.core.timeutils import local_day_start, local_today
from app.db.scoping import for_store
from app.ingestion import rollups
from app.models import OrderInquiry, Store
from app.stores.business_calendar import (
    WEEKDAYS,
    BusinessCalendar,
    ScheduleVersion,
    open_spans,
)
from app.stores.models import BusinessHoursVersion

CACHED_CALENDARS = 1_024
_calendars: OrderedDict[tuple[uuid.UUID, str | None, str], BusinessCalendar] = OrderedDict()
REMEASURE_CHUNK = 1_000
MAX_HOLIDAYS = 400


def _schedule(row: BusinessHoursVersion) -> ScheduleVersion:
    return ScheduleVersion(
        effective_from=row.effective_from,
        weekly={day: [(o, c) for o, c in row.weekly.get(day, [])] for day in WEEKDAYS},
        holidays=frozenset(date.fromisoformat(d) for d in row.holidays),
    )


async def list_versions(session: AsyncSession, store_id: uuid.UUID) -> list[BusinessHoursVersion]:
    return list(
        await session.scalars(
            for_store(BusinessHoursVersion, store_id).order_by(BusinessHoursVersion.effective_from)
        )
    )


async def calendar_for(session: AsyncSession, store: Store) -> BusinessCalendar:
    """The store's calendar, read from the database only when its versions have changed."""
    key = (store.id, store.business_hours_token, store.timezone)
    calendar = _calendars.get(key)
    if calendar is None:
        rows = [] if key[1] is None else await list_versions(session, store.id)
        calendar = _calendars[key] = BusinessCalendar(store.timezone, [_schedule(r) for r in rows])
        if len(_calendars) > CACHED_CALENDARS:
            _calendars.popitem(last=False)
    else:
        _calendars.move_to_end(key)
    return calendar


def stamp(inquiry: OrderInquiry, calendar: BusinessCalendar) -> None:
    """Set the inquiry's business seconds from its times (before its rollup contribution)."""
    created = inquiry.created_at
    inquiry.first_response_business_seconds = (
        calendar.seconds(created, inquiry.first_response_at)
        if inquiry.first_response_at is not None
        else None
    )
    inquiry.resolution_business_seconds = (
        calendar.seconds(created, inquiry.resolved_at)
        if inquiry.resolved and inquiry.resolved_at is not None
        else None
    )


async def stamp_all(session: AsyncSession, store: Store, inquiries: Iterable[OrderInquiry]) -> None:
    inquiries = list(inquiries)
    if not any(i.first_response_at is not None or i.resolved_at is not None for i in inquiries):
        # Nothing to measure (a new chat, most often): no need to read the schedule.
        for inquiry in inquiries:
            inquiry.first_response_business_seconds = inquiry.resolution_business_seconds = None
        return
    calendar = await calendar_for(session, store)
    for inquiry in inquiries:
        stamp(inquiry, calendar)


def checked_weekly(weekly: Mapping[str, Sequence[Sequence[str]]]) -> dict[str, list[list[str]]]:
    unknown = sorted(set(weekly) - set(WEEKDAYS))
    if unknown:
        raise ValidationError(f"unknown weekday {unknown[0]!r}: use {', '.join(WEEKDAYS)}")
    cleaned: dict[str, list[list[str]]] = {}
    for day in WEEKDAYS:
        intervals = weekly.get(day, [])
        for interval in intervals:
            if len(interval) != 2:
                raise ValidationError(
                    f'{day}: each interval is [open, close], e.g. ["09:00", "17:00"]'
                )
        cleaned[day] = [[str(o), str(c)] for o, c in intervals]
    try:
        open_spans({day: [(o, c) for o, c in pairs] for day, pairs in cleaned.items()})
    except ValueError as exc:
        raise ValidationError(f"weekly: {exc}") from None
    return cleaned


async def put_version(
    session: AsyncSession,
    store: Store,
    *,
    weekly: Mapping[str, Sequence[Sequence[str]]],
    holidays: Sequence[date],
    effective_from: date,
) -> int:
    """Create (or replace) the version taking effect on `effective_from`; returns how many
    inquiries were re-measured (only when it takes effect today or earlier)."""
    cleaned = checked_weekly(weekly)
    if len(holidays) > MAX_HOLIDAYS:
        raise ValidationError(f"at most {MAX_HOLIDAYS} holidays per version")
    days = sorted({d.isoformat() for d in holidays})
    existing = (
        await session.scalars(
            for_store(BusinessHoursVersion, store.id).where(
                BusinessHoursVersion.effective_from == effective_from
            )
        )
    ).first()
    if existing is None:
        session.add(
            BusinessHoursVersion(
                id=uuid.uuid4(),
                store_id=store.id,
                effective_from=effective_from,
                weekly=cleaned,
                holidays=days,
            )
        )
    elif existing.weekly == cleaned and existing.holidays == days:
        return 0  # the same version again: a retry
    else:
        existing.weekly, existing.holidays = cleaned, days
    store.business_hours_token = uuid.uuid4().hex
    await session.execute(
        update(Store)
        .where(Store.id == store.id)
        .values(business_hours_token=store.business_hours_token)
    )
    await session.flush()
    if effective_from > local_today(store.timezone):
        return 0
    return await remeasure(session, store, effective_from)


async def remeasure(session: AsyncSession, store: Store, since: date) -> int:
    """Re-stamp the inquiries answered or resolved on or after local day `since` and move
    the rollups by the difference, one chunk (one rollup write) at a time."""
    calendar = await calendar_for(session, store)
    start = local_day_start(since, store.timezone)
    query = (
        for_store(OrderInquiry, store.id)
        .where(or_(OrderInquiry.first_response_at >= start, OrderInquiry.resolved_at >= start))
        .order_by(OrderInquiry.id)
        .limit(REMEASURE_CHUNK)
        .with_for_update()
    )
    changed = 0
    after: uuid.UUID | None = None
    while True:
        page = query if after is None else query.where(OrderInquiry.id > after)
        inquiries = list(await session.scalars(page))
        if not inquiries:
            return changed
        delta = rollups.Contribution()
        for inquiry in inquiries:
            before = (inquiry.first_response_business_seconds, inquiry.resolution_business_seconds)
            old = rollups.inquiry_contribution(inquiry)
            stamp(inquiry, calendar)
            if before != (
                inquiry.first_response_business_seconds,
                inquiry.resolution_business_seconds,
            ):
                changed += 1
                delta.merge(old.delta_to(rollups.inquiry_contribution(inquiry)))
        await session.flush()
        await rollups.apply(session, store.id, delta)
        after = inquiries[-1].id
