"""Scheduled digests: each member's own daily, weekly or monthly email.

Periods are the store's local days, ISO weeks (Monday to Sunday) and calendar months. A
digest covers the last complete period and is due at the member's chosen local hour on the
day after it ends (`send_at`); one chosen after that moment starts with the next period.

Exactly one per (store, user, frequency, period): before anything is rendered or sent, the
sender inserts a `digest_sends` row in a committed transaction of its own; a second worker
(a retried task, a second scheduler, a cron running the CLI) hits the primary key and stops.
A row left `sending` longer than `LEASE` belongs to a worker that died mid-send and is
claimed again; a `failed` one (the SMTP server refused or timed out) is tried again after
`retry_delay(attempts)`, at most `MAX_ATTEMPTS` times. The one send that can repeat is a
worker dying after the SMTP server accepted the message and before recording it; the
Message-ID is derived from the claim so that mail clients fold such a twin.

The email: the period's overview figures (through the metric registry, `evaluate_many`
over `OVERVIEW`) against the previous period of the same kind (the day, week or month
before), the top insights, the count of at-risk open orders, a dashboard link with the same
range, and the PDF report of the period attached (with SMTP; the outbox keeps the text).
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from email.message import EmailMessage
from typing import Literal

import aiosmtplib
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.analytics import repository
from app.analytics.metrics import (
    BUSINESS_HOURS_METRICS,
    METRICS,
    OVERVIEW,
    change_pct,
    evaluate_many,
)
from app.analytics.service import DateRange, Filters
from app.core.config import Settings
from app.core.errors import NotFoundError, ValidationError
from app.core.logging import get_logger
from app.core.timeutils import local_date, utcnow, zone
from app.insights.at_risk import AtRiskService
from app.models import Store, StoreMember, User
from app.notifications import email
from app.notifications.channels import dashboard_link
from app.notifications.digest_email import DigestContent, FigureRow, render
from app.notifications.models import DigestSend, DigestSubscription
from app.reporting import pdf

log = get_logger(__name__)

Frequency = Literal["daily", "weekly", "monthly"]
FREQUENCIES: tuple[str, ...] = ("daily", "weekly", "monthly")
LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 5
TOP_INSIGHTS = 3
IMPACT_ORDER = {"high": 0, "medium": 1, "low": 2}


def retry_delay(attempts: int) -> timedelta:
    """After the n-th failed attempt: 15 min, 30 min, 1 h, 2 h."""
    return timedelta(minutes=15 * 2 ** max(0, attempts - 1))


# ---------------------------------------------------------------- periods


def _check(frequency: str) -> None:
    if frequency not in FREQUENCIES:
        raise ValidationError(f"frequency must be one of {', '.join(FREQUENCIES)}")


def last_complete_period(frequency: str, today: date) -> tuple[date, date]:
    """The latest period of this kind that ended before `today` (a local date)."""
    _check(frequency)
    if frequency == "daily":
        day = today - timedelta(days=1)
        return day, day
    if frequency == "weekly":
        monday = today - timedelta(days=today.weekday())
        return monday - timedelta(days=7), monday - timedelta(days=1)
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def previous_period(frequency: str, start: date) -> tuple[date, date]:
    """The period of the same kind just before the one starting at `start`."""
    return last_complete_period(frequency, start)


def send_at(period_end: date, hour: int, timezone: str) -> datetime:
    """The UTC moment of `hour`:00 local on the day after the period."""
    local = datetime.combine(period_end + timedelta(days=1), time(hour), tzinfo=zone(timezone))
    return local.astimezone(zone("UTC"))


def due_period(sub: DigestSubscription, timezone: str, now: datetime) -> tuple[date, date] | None:
    start, end = last_complete_period(sub.frequency, local_date(now, timezone))
    moment = send_at(end, sub.hour, timezone)
    if moment > now or moment < sub.updated_at:
        return None
    return start, end


def next_send_at(frequency: str, hour: int, timezone: str, now: datetime) -> datetime:
    """When the next digest of this schedule is due (the one after `now`)."""
    _start, end = last_complete_period(frequency, local_date(now, timezone))
    moment = send_at(end, hour, timezone)
    if moment > now:
        return moment
    following = end + timedelta(days=1)
    if frequency == "daily":
        end = following
    elif frequency == "weekly":
        end = end + timedelta(days=7)
    else:
        end = (following + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return send_at(end, hour, timezone)


# ---------------------------------------------------------------- member settings


async def get_subscription(
    session: AsyncSession, store_id: uuid.UUID, user_id: uuid.UUID
) -> DigestSubscription | None:
    return await session.get(DigestSubscription, (store_id, user_id))


async def last_sent_at(
    session: AsyncSession, store_id: uuid.UUID, user_id: uuid.UUID
) -> datetime | None:
    found = await session.scalar(
        select(func.max(DigestSend.sent_at)).where(
            DigestSend.store_id == store_id, DigestSend.user_id == user_id
        )
    )
    return found


async def set_subscription(
    session: AsyncSession, store_id: uuid.UUID, user_id: uuid.UUID, frequency: str, hour: int
) -> DigestSubscription | None:
    """Choose a frequency and local hour; "off" removes the digest."""
    if not 0 <= hour <= 23:
        raise ValidationError("hour must be 0 to 23")
    row = await get_subscription(session, store_id, user_id)
    if frequency == "off":
        if row is not None:
            await session.delete(row)
            await session.flush()
        return None
    _check(frequency)
    if row is None:
        row = DigestSubscription(store_id=store_id, user_id=user_id)
        session.add(row)
    if (row.frequency, row.hour) != (frequency, hour):
        row.frequency, row.hour, row.updated_at = frequency, hour, utcnow()
    await session.flush()
    return row


# ---------------------------------------------------------------- content


async def _top_insights(
    session: AsyncSession, store: Store, rng: DateRange
) -> list[pdf.ReportInsight]:
    found = await pdf.load_insights(session, store, rng) or []
    return sorted(found, key=lambda i: IMPACT_ORDER.get(i.impact, 3))[:TOP_INSIGHTS]


async def gather(
    session: AsyncSession,
    settings: Settings,
    store: Store,
    frequency: str,
    start: date,
    end: date,
    *,
    now: datetime | None = None,
) -> DigestContent:
    prev_start, prev_end = previous_period(frequency, start)
    days = await repository.daily(session, store.id, prev_start, end)
    current = evaluate_many(OVERVIEW, repository.total(days, start, end))
    previous = evaluate_many(OVERVIEW, repository.total(days, prev_start, prev_end))
    figures = [
        FigureRow(
            metric=METRICS[slug],
            value=current[slug],
            previous=previous[slug],
            change_pct=change_pct(current[slug], previous[slug]),
        )
        for slug in OVERVIEW
        # A store without business hours gets no empty business-hours rows.
        if slug not in BUSINESS_HOURS_METRICS or {current[slug], previous[slug]} != {None}
    ]
    rng = DateRange(start, end, store.timezone)
    watch = await AtRiskService(session).watchlist(store, limit=1000, now=now or utcnow())
    return DigestContent(
        store_name=store.name,
        frequency=frequency,
        start=start,
        end=end,
        previous_start=prev_start,
        previous_end=prev_end,
        timezone=store.timezone,
        figures=figures,
        insights=await _top_insights(session, store, rng),
        at_risk_count=len(watch.items),
        at_risk_top=[item.order_number for item in watch.items[:3]],
        link=dashboard_link(settings, store.id, start.isoformat(), end.isoformat()),
    )


def build_digest_message(
    settings: Settings,
    recipient: str,
    subject: str,
    text: str,
    html: str,
    attachment: tuple[str, bytes] | None,
    message_id: str,
) -> EmailMessage:
    message = email.build_message(settings.smtp_from, recipient, subject, text, html)
    message.replace_header("Message-ID", message_id)
    if attachment is not None:
        message.add_attachment(
            attachment[1], maintype="application", subtype="pdf", filename=attachment[0]
        )
    return message


# ---------------------------------------------------------------- claim and send


@dataclass(frozen=True)
class DigestKey:
    store_id: uuid.UUID
    user_id: uuid.UUID
    frequency: str
    period_start: date


def _message_id(key: DigestKey) -> str:
    return f"<digest.{key.frequency}.{key.period_start}.{key.user_id}.{key.store_id}@wismo.invalid>"


async def claim(
    sessionmaker: async_sessionmaker[AsyncSession], key: DigestKey, end: date, now: datetime
) -> bool:
    """Take the digest for sending (committed); False when it is sent, being sent, or given
    up on, or when a failed one is not due for another try yet."""
    async with sessionmaker() as session:
        session.add(
            DigestSend(
                store_id=key.store_id,
                user_id=key.user_id,
                frequency=key.frequency,
                period_start=key.period_start,
                period_end=end,
                status="sending",
                attempts=1,
                claimed_at=now,
            )
        )
        try:
            await session.commit()
            return True
        except IntegrityError:
            await session.rollback()
        row = await session.get(
            DigestSend, (key.store_id, key.user_id, key.frequency, key.period_start)
        )
        if row is None:
            return False
        stale = row.status == "sending" and row.claimed_at <= now - LEASE
        retry = (
            row.status == "failed"
            and row.attempts < MAX_ATTEMPTS
            and row.claimed_at <= now - retry_delay(row.attempts)
        )
        if not (stale or retry):
            return False
        d = DigestSend
        result = await session.execute(
            update(d)
            .where(
                d.store_id == key.store_id,
                d.user_id == key.user_id,
                d.frequency == key.frequency,
                d.period_start == key.period_start,
                d.status == row.status,
                d.claimed_at == row.claimed_at,
            )
            .values(status="sending", claimed_at=now, attempts=d.attempts + 1, error=None)
            .execution_options(synchronize_session=False)
        )
        await session.commit()
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def _finish(
    sessionmaker: async_sessionmaker[AsyncSession], key: DigestKey, error: str | None
) -> None:
    d = DigestSend
    values = (
        {"status": "sent", "sent_at": utcnow(), "error": None}
        if error is None
        else {"status": "failed", "error": error[:300]}
    )
    async with sessionmaker() as session:
        await session.execute(
            update(d)
            .where(
                d.store_id == key.store_id,
                d.user_id == key.user_id,
                d.frequency == key.frequency,
                d.period_start == key.period_start,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        await session.commit()


async def _render_and_send(
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    key: DigestKey,
    end: date,
    now: datetime,
) -> str | None:
    """Send the claimed digest; None when it went out, else why not."""
    async with sessionmaker() as session:
        store = await session.get(Store, key.store_id)
        user = await session.get(User, key.user_id)
        if store is None or user is None:
            return "the store or the user is gone"
        content = await gather(
            session, settings, store, key.frequency, key.period_start, end, now=now
        )
        subject, text, html = render(content)
        if not settings.smtp_url:
            await email.send_email(
                session, settings, to=user.email, subject=subject, text=text, html=html,
                store_id=store.id,
            )  # fmt: skip
            await session.commit()
            return None
        rng = DateRange(key.period_start, end, store.timezone)
        report = await pdf.build_report(session, store, rng, Filters())
    message = build_digest_message(
        settings,
        user.email,
        subject,
        text,
        html,
        (pdf.report_filename(rng), report),
        _message_id(key),
    )
    try:
        await email.deliver(settings, message)
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
        return "timed out" if isinstance(exc, TimeoutError) else f"SMTP: {type(exc).__name__}"
    return None


async def send_claimed(
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    key: DigestKey,
    end: date,
    now: datetime,
) -> bool:
    error = await _render_and_send(sessionmaker, settings, key, end, now)
    await _finish(sessionmaker, key, error)
    if error is not None:
        log.warning("digest_failed", store_id=str(key.store_id), error=error)
    return error is None


@dataclass
class DigestRun:
    sent: int = 0
    failed: int = 0
    skipped: int = 0


async def send_due(
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    *,
    now: datetime | None = None,
) -> DigestRun:
    """Every due digest of every store (the scheduled task, every 15 minutes)."""
    now = now or utcnow()
    run = DigestRun()
    async with sessionmaker() as session:
        subs = (
            await session.execute(
                select(DigestSubscription, Store.timezone)
                .join(Store, Store.id == DigestSubscription.store_id)
                .join(
                    StoreMember,
                    (StoreMember.store_id == DigestSubscription.store_id)
                    & (StoreMember.user_id == DigestSubscription.user_id),
                )
            )
        ).all()
    for sub, timezone in subs:
        period = due_period(sub, timezone, now)
        if period is None:
            continue
        key = DigestKey(sub.store_id, sub.user_id, sub.frequency, period[0])
        if not await claim(sessionmaker, key, period[1], now):
            run.skipped += 1
            continue
        try:
            ok = await send_claimed(sessionmaker, settings, key, period[1], now)
        except Exception:
            # Left `sending`: claimed again once the lease runs out.
            log.exception("digest crashed", store_id=str(sub.store_id))
            run.failed += 1
            continue
        if ok:
            run.sent += 1
        else:
            run.failed += 1
    return run


async def send_now(
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    store_id: uuid.UUID,
    user_email: str,
    frequency: str,
    *,
    now: datetime | None = None,
) -> tuple[date, date, bool]:
    """The last complete period's digest for one member, whatever their schedule (the CLI);
    (start, end, sent) - not sent when that period's digest already went out."""
    _check(frequency)
    now = now or utcnow()
    async with sessionmaker() as session:
        found = (
            await session.execute(
                select(User.id, Store.timezone)
                .join(StoreMember, StoreMember.user_id == User.id)
                .join(Store, Store.id == StoreMember.store_id)
                .where(
                    StoreMember.store_id == store_id,
                    func.lower(User.email) == user_email.strip().lower(),
                )
            )
        ).first()
    if found is None:
        raise NotFoundError("no member with that email in that store")
    user_id, timezone = found
    start, end = last_complete_period(frequency, local_date(now, timezone))
    key = DigestKey(store_id, user_id, frequency, start)
    if not await claim(sessionmaker, key, end, now):
        return start, end, False
    return start, end, await send_claimed(sessionmaker, settings, key, end, now)
