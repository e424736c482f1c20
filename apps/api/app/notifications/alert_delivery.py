"""Alert delivery to the merchant's webhook: signed JSON POSTs, retried with backoff.

Protocol (what a merchant's endpoint sees):

    POST <alert_webhook_url>
    Content-Type: application/json
    X-Wismo-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the store's secret>
    X-Wismo-Alert-Id: <alert id>          (the same on every retry: deduplicate on it)
    X-Wismo-Delivery-Attempt: <1, 2, ...>
    {"id", "storeId", "kind", "severity", "causeKey", "createdAt", "payload", "sentAt",
     "attempt"}

Requests go through `app.core.outbound` (public https destinations only, no redirects), and
the error recorded on the alert is one of its fixed vocabulary ("could not connect",
"timed out", "invalid URL", "HTTP <status>").

Any 2xx is a delivery. Anything else (or a network error, or no answer within 10 s) is retried:
up to 4 attempts per run with exponential backoff and jitter (0.5 s, 1 s, 2 s, capped at 8 s),
then at later runs of the delivery task, each further away (1 min, 2 min, 4 min ... capped at
1 h), until 12 attempts in all, after which the alert keeps its last error and is not tried
again. Every attempt is counted in `alerts.delivery_attempts`; success sets `delivered_at`.

Concurrency: an alert is claimed before it is sent (its `next_delivery_at` moves a lease into
the future in a committed UPDATE that only one worker can win), so two workers never deliver
the same alert at once, and no database transaction is held open during HTTP calls.
Delivery is at-least-once: a worker killed after the POST and before recording it sends the
alert again after the lease expires - hence the stable alert id header.
"""

import asyncio
import random
import secrets
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core import outbound
from app.core.config import Settings, get_settings
from app.core.errors import ValidationError
from app.core.logging import get_logger
from app.core.outbound import OutboundClient, OutboundPolicy
from app.core.security import hmac_sha256_hex
from app.core.timeutils import utcnow
from app.models import Alert, Store

log = get_logger(__name__)

SIGNATURE_HEADER = "X-Wismo-Signature"
USER_AGENT = "wismo-alerts/1"
RECENT = timedelta(days=2)  # alerts older than this are not delivered (a URL set later)


@dataclass(frozen=True)
class RetryPolicy:
    attempts_per_run: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_attempts: int = 12
    run_backoff: float = 60.0
    run_backoff_cap: float = 3600.0
    timeout: float = 10.0
    lease: float = 300.0

    def in_run_delay(self, attempt_index: int) -> float:
        """Delay after the attempt_index-th failure of a run (0-based), with +-20% jitter."""
        delay = min(self.max_delay, self.base_delay * 2.0**attempt_index)
        return float(delay * random.uniform(0.8, 1.2))

    def next_run_delay(self, attempts_so_far: int) -> float:
        runs = max(0, attempts_so_far // self.attempts_per_run - 1)
        return float(min(self.run_backoff_cap, self.run_backoff * 2.0**runs))


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac_sha256_hex(secret, body)


def validate_webhook_url(url: str, settings: Settings) -> str:
    """https to a public host (see `app.core.outbound`); http and private addresses only
    when the development switches allow them."""
    return outbound.validate_url(url, OutboundPolicy.from_settings(settings))


def body_for(alert: Alert, attempt: int, sent_at: datetime) -> bytes:
    return orjson.dumps(
        {
            "id": str(alert.id),
            "storeId": str(alert.store_id),
            "kind": alert.kind,
            "severity": alert.severity,
            "causeKey": alert.cause_key,
            "createdAt": alert.created_at.isoformat(),
            "payload": alert.payload,
            "sentAt": sent_at.isoformat(),
            "attempt": attempt,
        },
        option=orjson.OPT_SORT_KEYS,
    )


@dataclass
class Outcome:
    delivered: bool
    attempts: int
    error: str | None = None
    status_codes: list[int] = field(default_factory=list)


async def post_with_retries(
    client: OutboundClient,
    alert: Alert,
    url: str,
    secret: str,
    policy: RetryPolicy,
    *,
    attempts_before: int = 0,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
) -> Outcome:
    """One run of attempts (at most `attempts_per_run`, and never past `max_attempts`)."""
    outcome = Outcome(False, 0)
    for i in range(policy.attempts_per_run):
        attempt = attempts_before + i + 1
        if attempt > policy.max_attempts:
            break
        body = body_for(alert, attempt, utcnow())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            SIGNATURE_HEADER: sign(secret, body),
            "X-Wismo-Alert-Id": str(alert.id),
            "X-Wismo-Delivery-Attempt": str(attempt),
        }
        outcome.attempts += 1
        result = await client.post(url, content=body, headers=headers)
        if result.status_code is not None:
            outcome.status_codes.append(result.status_code)
        if result.ok:
            outcome.delivered = True
            outcome.error = None
            return outcome
        outcome.error = result.error
        log.info(
            "alert delivery failed", alert_id=str(alert.id), attempt=attempt, error=outcome.error
        )
        if i + 1 < policy.attempts_per_run and attempt < policy.max_attempts:
            await sleep(policy.in_run_delay(i))
    return outcome


@dataclass
class DeliveryReport:
    delivered: list[uuid.UUID] = field(default_factory=list)
    failed: list[uuid.UUID] = field(default_factory=list)
    gave_up: list[uuid.UUID] = field(default_factory=list)


def _pending(now: datetime, policy: RetryPolicy) -> Any:
    return and_(
        Alert.delivered_at.is_(None),
        Alert.acknowledged_at.is_(None),
        Alert.webhook_wanted.is_(True),
        Alert.delivery_attempts < policy.max_attempts,
        Alert.created_at >= now - RECENT,
        or_(Alert.next_delivery_at.is_(None), Alert.next_delivery_at <= now),
    )


async def _claim(
    sessionmaker: async_sessionmaker[AsyncSession], now: datetime, policy: RetryPolicy, limit: int
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    async with sessionmaker() as session:
        candidates = (
            await session.execute(
                select(Alert.store_id, Alert.id)
                .join(Store, Store.id == Alert.store_id)
                .where(
                    _pending(now, policy),
                    Store.alert_webhook_url.is_not(None),
                    Store.alert_webhook_secret.is_not(None),
                )
                .order_by(Alert.created_at)
                .limit(limit)
            )
        ).all()
        claimed: list[tuple[uuid.UUID, uuid.UUID]] = []
        lease_until = now + timedelta(seconds=policy.lease)
        for store_id, alert_id in candidates:
            result = await session.execute(
                update(Alert)
                .where(Alert.store_id == store_id, Alert.id == alert_id, _pending(now, policy))
                .values(next_delivery_at=lease_until)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1:  # type: ignore[attr-defined]
                claimed.append((store_id, alert_id))
        await session.commit()
        return claimed


async def deliver_pending_alerts(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    policy: RetryPolicy | None = None,
    client: OutboundClient | None = None,
    now: datetime | None = None,
    limit: int = 100,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
) -> DeliveryReport:
    """Deliver every due alert of every store with a webhook (the worker's task body).

    One store's failing (or broken) destination never stops the others' deliveries."""
    policy = policy or RetryPolicy()
    now = now or utcnow()
    report = DeliveryReport()
    claimed = await _claim(sessionmaker, now, policy, limit)
    if not claimed:
        return report
    own_client = client is None
    http = client or OutboundClient(OutboundPolicy.from_settings(get_settings(), policy.timeout))
    try:
        for store_id, alert_id in claimed:
            try:
                await _deliver_one(sessionmaker, http, store_id, alert_id, policy, report, sleep)
            except Exception:
                # Its lease expires and it is tried again at a later run; the others go on.
                log.exception("alert delivery crashed", alert_id=str(alert_id))
    finally:
        if own_client:
            await http.aclose()
    return report


async def _deliver_one(
    sessionmaker: async_sessionmaker[AsyncSession],
    http: OutboundClient,
    store_id: uuid.UUID,
    alert_id: uuid.UUID,
    policy: RetryPolicy,
    report: DeliveryReport,
    sleep: Callable[[float], Awaitable[Any]],
) -> None:
    async with sessionmaker() as session:
        alert = await session.get(Alert, (store_id, alert_id))
        store = await session.get(Store, store_id)
        if alert is None or store is None:
            return
        url, secret = store.alert_webhook_url, store.alert_webhook_secret
        before = alert.delivery_attempts
    if not url or not secret:
        return
    outcome = await post_with_retries(
        http, alert, url, secret, policy, attempts_before=before, sleep=sleep
    )
    async with sessionmaker() as session:
        total = before + outcome.attempts
        values: dict[str, Any] = {"delivery_attempts": Alert.delivery_attempts + outcome.attempts}
        if outcome.delivered:
            values |= {
                "delivered_at": utcnow(),
                "next_delivery_at": None,
                "delivery_error": None,
            }
            report.delivered.append(alert_id)
        elif total >= policy.max_attempts:
            values |= {
                "next_delivery_at": None,
                "delivery_error": f"gave up after {total} attempts: {outcome.error}"[:500],
            }
            report.gave_up.append(alert_id)
        else:
            values |= {
                "next_delivery_at": utcnow() + timedelta(seconds=policy.next_run_delay(total)),
                "delivery_error": (outcome.error or "")[:500],
            }
            report.failed.append(alert_id)
        await session.execute(
            update(Alert)
            .where(Alert.store_id == store_id, Alert.id == alert_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        await session.commit()


async def configure_webhook(
    session: AsyncSession, store: Store, url: str | None, *, rotate_secret: bool, settings: Settings
) -> str | None:
    """Set (or clear) the store's alert webhook URL; returns a new signing secret when one is
    created (first URL, or `rotate_secret`) - it is shown to the merchant only then."""
    new_secret: str | None = None
    if url is None:
        store.alert_webhook_url = None
    else:
        store.alert_webhook_url = validate_webhook_url(url, settings)
        if store.alert_webhook_secret is None or rotate_secret:
            new_secret = "whsec_" + secrets.token_urlsafe(32)
            store.alert_webhook_secret = new_secret
    if url is None and rotate_secret:
        raise ValidationError("set a URL to rotate the signing secret")
    await session.flush()
    return new_secret
