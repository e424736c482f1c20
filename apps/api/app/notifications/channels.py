"""Alert channels besides the signed webhook: email to the store's admins and owners, and a
Slack incoming webhook (a Block Kit message with the alert's figures and a dashboard link).

Each alert kind chooses its channels (`webhook`, `email`, `slack`; by default the webhook
only, as before channels existed). When an alert is raised, `plan_deliveries` records one
pending `alert_channel_deliveries` row per chosen email/Slack channel and marks whether the
webhook wants it. `deliver_pending` (a worker task, every minute) claims due rows with a
lease, sends them, and records the outcome per channel: `sent`, `outbox` (no SMTP server:
kept in the outbox), or `pending` with the last error and the next attempt (backoff as for
the webhook: a few quick tries per run, then 1 min, 2 min ... 1 h between runs), and
`failed` with the reason after `RetryPolicy.max_attempts`.

Slack posts go through `app.core.outbound` (public https only, no redirects); mail through
`app.notifications.email` (the operator's SMTP server or the outbox).
"""

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import make_msgid
from html import escape
from typing import Any
from urllib.parse import urlencode

import aiosmtplib
import orjson
from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core import outbound
from app.core.config import Settings
from app.core.errors import ValidationError
from app.core.logging import get_logger
from app.core.outbound import OutboundClient, OutboundPolicy
from app.core.timeutils import utcnow
from app.models import Alert, Store, StoreMember, User
from app.notifications import email
from app.notifications.alert_delivery import RetryPolicy
from app.notifications.models import AlertChannelDelivery, AlertChannelSettings

log = get_logger(__name__)

ALERT_KINDS: tuple[str, ...] = ("inquiry_spike", "low_satisfaction")
CHANNELS: tuple[str, ...] = ("webhook", "email", "slack")
DEFAULT_ROUTE: tuple[str, ...] = ("webhook",)
NOTIFY_ROLES = ("admin", "owner")
SLACK_NOT_SET = "no Slack URL is set"
NO_RECIPIENTS = "the store has no admin or owner"

KIND_LABELS = {"inquiry_spike": "Inquiry spike", "low_satisfaction": "Low satisfaction"}


# ---------------------------------------------------------------- settings


@dataclass(frozen=True)
class ChannelSettings:
    slack_url: str | None
    routes: dict[str, list[str]]


def _routes(stored: dict[str, Any] | None) -> dict[str, list[str]]:
    stored = stored or {}
    return {
        kind: [c for c in CHANNELS if c in stored.get(kind, DEFAULT_ROUTE)] for kind in ALERT_KINDS
    }


async def _row(session: AsyncSession, store_id: uuid.UUID) -> AlertChannelSettings | None:
    return await session.get(AlertChannelSettings, store_id)


async def channel_settings(session: AsyncSession, store_id: uuid.UUID) -> ChannelSettings:
    row = await _row(session, store_id)
    if row is None:
        return ChannelSettings(None, _routes(None))
    return ChannelSettings(row.slack_webhook_url, _routes(row.routes))


_KEEP: Any = object()


async def update_channel_settings(
    session: AsyncSession,
    store_id: uuid.UUID,
    settings: Settings,
    *,
    slack_url: str | None = _KEEP,
    routes: dict[str, list[str]] | None = None,
) -> ChannelSettings:
    """Set the Slack URL (None clears it) and/or the channels of some alert kinds."""
    row = await _row(session, store_id)
    if row is None:
        row = AlertChannelSettings(store_id=store_id, routes={})
        session.add(row)
    if slack_url is not _KEEP:
        row.slack_webhook_url = (
            None
            if slack_url is None
            else outbound.validate_url(slack_url, OutboundPolicy.from_settings(settings))
        )
    if routes is not None:
        merged = dict(_routes(row.routes))
        for kind, chosen in routes.items():
            if kind not in ALERT_KINDS:
                raise ValidationError(
                    f"unknown alert kind {kind!r}; one of {', '.join(ALERT_KINDS)}"
                )
            unknown = sorted(set(chosen) - set(CHANNELS))
            if unknown:
                raise ValidationError(
                    f"unknown channel {unknown[0]!r}; one of {', '.join(CHANNELS)}"
                )
            merged[kind] = [c for c in CHANNELS if c in chosen]
        row.routes = merged
    row.updated_at = utcnow()
    await session.flush()
    return ChannelSettings(row.slack_webhook_url, _routes(row.routes))


async def plan_deliveries(
    session: AsyncSession, store_id: uuid.UUID, raised: Sequence[Alert]
) -> int:
    """Record the email/Slack deliveries the store's routes ask for (flushes); returns how
    many. The webhook keeps its own bookkeeping on the alert (`webhook_wanted`)."""
    if not raised:
        return 0
    routes = (await channel_settings(session, store_id)).routes
    planned = 0
    for alert in raised:
        chosen = routes.get(alert.kind, list(DEFAULT_ROUTE))
        alert.webhook_wanted = "webhook" in chosen
        for channel in ("email", "slack"):
            if channel in chosen:
                session.add(
                    AlertChannelDelivery(
                        store_id=store_id, alert_id=alert.id, channel=channel, status="pending"
                    )
                )
                planned += 1
    await session.flush()
    return planned


async def list_deliveries(
    session: AsyncSession, store_id: uuid.UUID, alert_ids: Sequence[uuid.UUID]
) -> list[AlertChannelDelivery]:
    if not alert_ids:
        return []
    return list(
        await session.scalars(
            select(AlertChannelDelivery).where(
                AlertChannelDelivery.store_id == store_id,
                AlertChannelDelivery.alert_id.in_(list(alert_ids)),
            )
        )
    )


async def recent_deliveries(
    session: AsyncSession, store_id: uuid.UUID, limit: int = 20
) -> list[tuple[AlertChannelDelivery, Alert]]:
    d = AlertChannelDelivery
    rows = await session.execute(
        select(d, Alert)
        .join(Alert, (Alert.store_id == d.store_id) & (Alert.id == d.alert_id))
        .where(d.store_id == store_id)
        .order_by(d.created_at.desc(), d.channel)
        .limit(limit)
    )
    return [(row[0], row[1]) for row in rows.all()]


def masked(url: str | None) -> str | None:
    """Enough of a Slack URL to recognise it; the path is its secret."""
    if url is None:
        return None
    head, _, rest = url.partition("://")
    host = rest.split("/", 1)[0]
    return f"{head}://{host}/…{url[-4:]}"


async def recipients(session: AsyncSession, store_id: uuid.UUID) -> list[str]:
    """Email addresses of the store's admins and owners."""
    rows = await session.scalars(
        select(User.email)
        .join(StoreMember, StoreMember.user_id == User.id)
        .where(StoreMember.store_id == store_id, StoreMember.role.in_(NOTIFY_ROLES))
        .order_by(User.email)
    )
    return list(rows)


# ---------------------------------------------------------------- messages


def dashboard_link(
    settings: Settings, store_id: uuid.UUID, start: str | None, end: str | None
) -> str:
    base = settings.public_base_url
    query: dict[str, str] = {"store": str(store_id)}
    if start and end:
        query |= {"date_range": "custom", "start": start, "end": end}
    return f"{base}/?{urlencode(query)}"


def _figures(alert: Alert) -> list[tuple[str, str]]:
    p = alert.payload or {}

    def pct(v: Any) -> str:
        return f"{float(v) * 100:.0f}%" if isinstance(v, int | float) else "n/a"

    if alert.kind == "inquiry_spike":
        return [
            (
                "Inquiries",
                f"{p.get('inquiries', 'n/a')} (about {p.get('expected', 'n/a')} expected)",
            ),
            ("Peak", f"{p.get('peakInquiries', 'n/a')} on {p.get('peakDate', 'n/a')}"),
            ("Period", f"{p.get('start', '?')} to {p.get('end', '?')}"),
            ("Severity", alert.severity),
        ]
    if alert.kind == "low_satisfaction":
        score = p.get("satisfactionScore")
        return [
            ("Satisfaction", f"{score:.2f} / 5" if isinstance(score, int | float) else "n/a"),
            ("CSAT", f"{pct(p.get('csat'))} (before: {pct(p.get('baselineCsat'))})"),
            ("Ratings", str(p.get("ratings", "n/a"))),
            ("Severity", alert.severity),
        ]
    return [("Severity", alert.severity)]


def title_of(alert: Alert) -> str:
    return str((alert.payload or {}).get("title") or KIND_LABELS.get(alert.kind, alert.kind))


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_message(alert: Alert, store_name: str, link: str) -> dict[str, Any]:
    """Block Kit: header, the message, the figures as fields, a dashboard button."""
    title = title_of(alert)
    message = str((alert.payload or {}).get("message") or "")
    return {
        "text": f"{store_name}: {title}",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": title[:150]}},
            {"type": "section", "text": {"type": "mrkdwn", "text": _slack_escape(message)[:3000]}},
            {
                "type": "section",
                "fields": [
                    {"type": "mrkdwn", "text": f"*{label}*\n{_slack_escape(value)}"}
                    for label, value in _figures(alert)
                ],
            },
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": "Open the dashboard"},
                        "url": link,
                    }
                ],
            },
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": f"{_slack_escape(store_name)} · alert {alert.id}",
                    }
                ],
            },
        ],
    }


def alert_email(alert: Alert, store_name: str, link: str) -> tuple[str, str, str]:
    """(subject, text, html) of an alert email."""
    title = title_of(alert)
    message = str((alert.payload or {}).get("message") or "")
    figures = _figures(alert)
    subject = f"[{store_name}] {title}"[:300]
    text = "\n".join(
        [
            title,
            "",
            message,
            "",
            *(f"{label}: {value}" for label, value in figures),
            "",
            f"Open the dashboard: {link}",
        ]
    )
    rows = "".join(
        f"<tr><th align='left' style='padding:4px 12px 4px 0'>{escape(label)}</th>"
        f"<td style='padding:4px 0'>{escape(value)}</td></tr>"
        for label, value in figures
    )
    html = (
        "<!doctype html><html><body style='font-family:Arial,sans-serif;color:#0f172a'>"
        f"<h2 style='margin:0 0 8px'>{escape(title)}</h2>"
        f"<p>{escape(message)}</p><table>{rows}</table>"
        f"<p><a href='{escape(link)}'>Open the dashboard</a></p>"
        f"<p style='color:#64748b;font-size:12px'>{escape(store_name)}</p></body></html>"
    )
    return subject, text, html


# ---------------------------------------------------------------- delivery


@dataclass
class ChannelReport:
    sent: list[tuple[uuid.UUID, str]] = field(default_factory=list)
    retrying: list[tuple[uuid.UUID, str]] = field(default_factory=list)
    failed: list[tuple[uuid.UUID, str]] = field(default_factory=list)


def _due(now: datetime, policy: RetryPolicy) -> Any:
    return (
        (AlertChannelDelivery.status == "pending")
        & (AlertChannelDelivery.attempts < policy.max_attempts)
        & or_(
            AlertChannelDelivery.next_attempt_at.is_(None),
            AlertChannelDelivery.next_attempt_at <= now,
        )
    )


async def _claim(
    sessionmaker: async_sessionmaker[AsyncSession], now: datetime, policy: RetryPolicy, limit: int
) -> list[tuple[uuid.UUID, uuid.UUID, str]]:
    d = AlertChannelDelivery
    async with sessionmaker() as session:
        candidates = (
            await session.execute(
                select(d.store_id, d.alert_id, d.channel)
                .where(_due(now, policy))
                .order_by(d.created_at)
                .limit(limit)
            )
        ).all()
        claimed: list[tuple[uuid.UUID, uuid.UUID, str]] = []
        lease_until = now + timedelta(seconds=policy.lease)
        for store_id, alert_id, channel in candidates:
            result = await session.execute(
                update(d)
                .where(
                    d.store_id == store_id,
                    d.alert_id == alert_id,
                    d.channel == channel,
                    _due(now, policy),
                )
                .values(next_attempt_at=lease_until)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1:  # type: ignore[attr-defined]
                claimed.append((store_id, alert_id, channel))
        await session.commit()
        return claimed


Send = Callable[[], Awaitable[str | None]]  # None = delivered, else the reason it was not


@dataclass
class _Attempts:
    ok: bool
    count: int
    error: str | None


async def _with_retries(
    send: Send,
    policy: RetryPolicy,
    attempts_before: int,
    sleep: Callable[[float], Awaitable[Any]],
) -> _Attempts:
    error: str | None = None
    count = 0
    for i in range(policy.attempts_per_run):
        if attempts_before + count >= policy.max_attempts:
            break
        count += 1
        error = await send()
        if error is None:
            return _Attempts(True, count, None)
        if i + 1 < policy.attempts_per_run and attempts_before + count < policy.max_attempts:
            await sleep(policy.in_run_delay(i))
    return _Attempts(False, count, error)


async def _smtp_send(
    settings: Settings, to: list[str], subject: str, text: str, html: str, msgid: str
) -> str | None:
    message = email.build_message(settings.smtp_from, ", ".join(to), subject, text, html)
    message.replace_header("Message-ID", msgid)
    try:
        await email.deliver(settings, message)
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
        return "timed out" if isinstance(exc, TimeoutError) else f"SMTP: {type(exc).__name__}"
    return None


async def deliver_pending(
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    *,
    policy: RetryPolicy | None = None,
    client: OutboundClient | None = None,
    now: datetime | None = None,
    limit: int = 100,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
) -> ChannelReport:
    """Send every due email/Slack alert delivery (the worker's task body)."""
    policy = policy or RetryPolicy()
    now = now or utcnow()
    report = ChannelReport()
    claimed = await _claim(sessionmaker, now, policy, limit)
    if not claimed:
        return report
    own_client = client is None
    http = client or OutboundClient(OutboundPolicy.from_settings(settings, policy.timeout))
    try:
        for key in claimed:
            try:
                await _deliver_one(sessionmaker, settings, http, key, policy, report, sleep)
            except Exception:
                log.exception(
                    "alert channel delivery crashed", alert_id=str(key[1]), channel=key[2]
                )
    finally:
        if own_client:
            await http.aclose()
    return report


async def _deliver_one(
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    http: OutboundClient,
    key: tuple[uuid.UUID, uuid.UUID, str],
    policy: RetryPolicy,
    report: ChannelReport,
    sleep: Callable[[float], Awaitable[Any]],
) -> None:
    store_id, alert_id, channel = key
    outbox_status = False
    async with sessionmaker() as session:
        row = await session.get(AlertChannelDelivery, key)
        alert = await session.get(Alert, (store_id, alert_id))
        store = await session.get(Store, store_id)
        if row is None or alert is None or store is None:
            return
        before = row.attempts
        payload = alert.payload or {}
        link = dashboard_link(settings, store_id, payload.get("start"), payload.get("end"))
        send: Send
        if channel == "slack":
            slack_url = (await channel_settings(session, store_id)).slack_url
            body = orjson.dumps(slack_message(alert, store.name, link))

            async def send_slack() -> str | None:
                if not slack_url:
                    return SLACK_NOT_SET
                result = await http.post(
                    slack_url, content=body, headers={"Content-Type": "application/json"}
                )
                return result.error

            send = send_slack
        else:
            to = await recipients(session, store_id)
            subject, text, html = alert_email(alert, store.name, link)
            msgid = make_msgid(idstring=f"alert.{alert_id}", domain="wismo.invalid")
            if not to:

                async def nobody() -> str | None:
                    return NO_RECIPIENTS

                send = nobody
            elif settings.smtp_url:

                async def send_smtp() -> str | None:
                    return await _smtp_send(settings, to, subject, text, html, msgid)

                send = send_smtp
            else:
                for address in to:
                    await email.send_email(
                        session,
                        settings,
                        to=address,
                        subject=subject,
                        text=text,
                        html=html,
                        store_id=store_id,
                    )
                await session.commit()
                outbox_status = True

                async def kept() -> str | None:
                    return None

                send = kept
    attempts = await _with_retries(send, policy, before, sleep)
    total = before + attempts.count
    values: dict[str, Any] = {"attempts": total}
    if attempts.ok:
        values |= {
            "status": "outbox" if outbox_status else "sent",
            "sent_at": utcnow(),
            "next_attempt_at": None,
            "last_error": None,
        }
        report.sent.append((alert_id, channel))
    elif total >= policy.max_attempts or attempts.error in (SLACK_NOT_SET, NO_RECIPIENTS):
        values |= {
            "status": "failed",
            "next_attempt_at": None,
            "last_error": f"gave up after {total} attempts: {attempts.error}"[:300],
        }
        report.failed.append((alert_id, channel))
    else:
        values |= {
            "next_attempt_at": utcnow() + timedelta(seconds=policy.next_run_delay(total)),
            "last_error": (attempts.error or "")[:300],
        }
        report.retrying.append((alert_id, channel))
    async with sessionmaker() as session:
        d = AlertChannelDelivery
        await session.execute(
            update(d)
            .where(d.store_id == store_id, d.alert_id == alert_id, d.channel == channel)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        await session.commit()
