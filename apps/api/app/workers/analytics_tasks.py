"""Background analytics jobs (Taskiq tasks) and their schedule.

Every task opens its own session(s) and commits; every task is idempotent, so a redelivered
message (a worker died before acknowledging it) is safe to run again:

- `reconcile_rollups(store_id)`: rebuild a store's rollups from its facts in one transaction
  (a killed worker leaves the old rollups untouched; the retried job leaves exact ones).
- `generate_insights(store_id, ranges)`: regenerate the stored insights for named ranges.
- `evaluate_alerts(store_id)`: raise inquiry-spike and low-satisfaction alerts, then kick a
  delivery when something was raised.
- `deliver_alerts()`: POST due alerts to merchants' webhooks (signed, retried with backoff).
- `deliver_alert_channels()`: email and Slack deliveries of alerts (notifications.channels).
- `send_due_digests()`: members' scheduled digests (notifications.digests), exactly one per
  member and period.
- `purge_retention()`: drop message and feedback text older than WISMO_RETENTION_DAYS, and
  expired parked webhook payloads.
- `change_timezone(job_id)`: re-derive a store's local columns for its new time zone, then
  rebuild its rollups (app.stores.timezone_change); `resume_timezone_changes()` kicks changes
  whose kick was lost or whose worker died (its lease ran out).
- the `*_all_stores` variants fan out one task per store; the scheduler runs those.

Schedule (UTC cron, `wismo scheduler`; in the embedded default the API process runs it):
alerts and digests every 15 minutes, deliveries (webhook, email, Slack) every minute,
insights hourly, reconciliation nightly at 03:17, retention purge nightly at 04:07.
"""

import asyncio
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from taskiq import AsyncBroker, AsyncTaskiqDecoratedTask

from app.analytics.service import WISMOAnalyticsService
from app.core.config import get_settings
from app.core.logging import get_logger
from app.db.session import get_database
from app.ingestion import rollups
from app.insights import generate_for_store
from app.insights.alerting import evaluate_alerts as evaluate_store_alerts
from app.integrations import parking
from app.models import Store
from app.notifications import alert_delivery, channels
from app.notifications import tasks as notification_tasks
from app.privacy import service as privacy
from app.stores import timezone_change
from app.workers.broker import broker

log = get_logger(__name__)

DEFAULT_RANGES = ("7d", "30d", "90d")


async def _store_ids() -> list[uuid.UUID]:
    async with get_database().sessionmaker() as session:
        return list(await session.scalars(select(Store.id).order_by(Store.created_at)))


# ---------------------------------------------------------------- task bodies


async def reconcile_rollups(store_id: str, pause_before_commit: float = 0.0) -> dict[str, Any]:
    """Rebuild a store's rollups from its facts, atomically.

    `pause_before_commit` holds the finished rebuild open before committing (for the test that
    kills a worker mid-job, and for operators who want to watch it)."""
    sid = uuid.UUID(store_id)
    async with get_database().sessionmaker() as session:
        if await session.get(Store, sid) is None:
            return {"store": store_id, "reconciled": False}
        await rollups.rebuild_store(session, sid)
        if pause_before_commit > 0:
            await asyncio.sleep(pause_before_commit)
        await session.commit()
    log.info("rollups reconciled", store_id=store_id)
    return {"store": store_id, "reconciled": True}


async def generate_insights(store_id: str, ranges: list[str] | None = None) -> int:
    async with get_database().sessionmaker() as session:
        n = await generate_for_store(
            WISMOAnalyticsService(session), uuid.UUID(store_id), tuple(ranges or DEFAULT_RANGES)
        )
        await session.commit()
    return n


async def evaluate_alerts(store_id: str) -> list[str]:
    async with get_database().sessionmaker() as session:
        store = await session.get(Store, uuid.UUID(store_id))
        if store is None:
            return []
        raised = await evaluate_store_alerts(session, store)
        planned = await channels.plan_deliveries(session, store.id, raised)
        wants_delivery = store.alert_webhook_url is not None and any(
            a.webhook_wanted for a in raised
        )
        ids = [str(a.id) for a in raised]
        await session.commit()
    if wants_delivery:
        await tasks.deliver_alerts.kiq()
    if planned:
        await tasks.deliver_alert_channels.kiq()
    return ids


async def deliver_alerts() -> dict[str, int]:
    report = await alert_delivery.deliver_pending_alerts(get_database().sessionmaker)
    return {
        "delivered": len(report.delivered),
        "failed": len(report.failed),
        "gaveUp": len(report.gave_up),
    }


async def purge_retention() -> dict[str, int]:
    """Message and feedback text older than WISMO_RETENTION_DAYS (privacy.purge_old_text),
    and parked webhook payloads whose order or shipment never came (parking.PARK_DAYS)."""
    days = get_settings().retention_days
    async with get_database().sessionmaker() as session:
        purged = await privacy.purge_old_text(session, days) if days is not None else {}
        purged = {**purged, "parkedWebhooks": await parking.purge_expired(session)}
        await session.commit()
    return purged


async def change_timezone(job_id: str) -> str:
    status = await timezone_change.run_change(get_database().sessionmaker, uuid.UUID(job_id))
    log.info("timezone change", job_id=job_id, status=status)
    return status


async def resume_timezone_changes() -> int:
    async with get_database().sessionmaker() as session:
        ids = await timezone_change.unfinished_job_ids(session)
    for job_id in ids:
        await tasks.change_timezone.kiq(str(job_id))
    return len(ids)


async def reconcile_all_stores() -> int:
    ids = await _store_ids()
    for sid in ids:
        await tasks.reconcile_rollups.kiq(str(sid))
    return len(ids)


async def generate_insights_all_stores() -> int:
    ids = await _store_ids()
    for sid in ids:
        await tasks.generate_insights.kiq(str(sid))
    return len(ids)


async def evaluate_alerts_all_stores() -> int:
    """Spike and satisfaction checks for every store."""
    ids = await _store_ids()
    for sid in ids:
        await tasks.evaluate_alerts.kiq(str(sid))
    return len(ids)


# ---------------------------------------------------------------- registration


@dataclass(frozen=True)
class Tasks:
    reconcile_rollups: AsyncTaskiqDecoratedTask[Any, Any]
    generate_insights: AsyncTaskiqDecoratedTask[Any, Any]
    evaluate_alerts: AsyncTaskiqDecoratedTask[Any, Any]
    deliver_alerts: AsyncTaskiqDecoratedTask[Any, Any]
    purge_retention: AsyncTaskiqDecoratedTask[Any, Any]
    reconcile_all_stores: AsyncTaskiqDecoratedTask[Any, Any]
    generate_insights_all_stores: AsyncTaskiqDecoratedTask[Any, Any]
    evaluate_alerts_all_stores: AsyncTaskiqDecoratedTask[Any, Any]
    deliver_alert_channels: AsyncTaskiqDecoratedTask[Any, Any]
    send_due_digests: AsyncTaskiqDecoratedTask[Any, Any]
    change_timezone: AsyncTaskiqDecoratedTask[Any, Any]
    resume_timezone_changes: AsyncTaskiqDecoratedTask[Any, Any]


SCHEDULE: dict[str, str] = {
    "wismo.evaluate_alerts_all_stores": "*/15 * * * *",
    "wismo.deliver_alerts": "* * * * *",
    "wismo.deliver_alert_channels": "* * * * *",
    "wismo.send_due_digests": "*/15 * * * *",
    "wismo.generate_insights_all_stores": "5 * * * *",
    "wismo.reconcile_all_stores": "17 3 * * *",
    "wismo.purge_retention": "7 4 * * *",
    "wismo.resume_timezone_changes": "* * * * *",
}


def register(target: AsyncBroker) -> Tasks:
    """Register every task on a broker (the module's broker below; tests build their own)."""

    def task(fn: Any, name: str, *, retry: bool = True) -> AsyncTaskiqDecoratedTask[Any, Any]:
        labels: dict[str, Any] = {"retry_on_error": retry}
        if name in SCHEDULE:
            labels["schedule"] = [{"cron": SCHEDULE[name]}]
        decorated: AsyncTaskiqDecoratedTask[Any, Any] = target.register_task(
            fn, task_name=name, **labels
        )
        return decorated

    return Tasks(
        reconcile_rollups=task(reconcile_rollups, "wismo.reconcile_rollups"),
        generate_insights=task(generate_insights, "wismo.generate_insights"),
        evaluate_alerts=task(evaluate_alerts, "wismo.evaluate_alerts"),
        # deliveries retry on their own schedule (backoff recorded on the alert)
        deliver_alerts=task(deliver_alerts, "wismo.deliver_alerts", retry=False),
        purge_retention=task(purge_retention, "wismo.purge_retention"),
        reconcile_all_stores=task(reconcile_all_stores, "wismo.reconcile_all_stores"),
        generate_insights_all_stores=task(
            generate_insights_all_stores, "wismo.generate_insights_all_stores"
        ),
        evaluate_alerts_all_stores=task(
            evaluate_alerts_all_stores, "wismo.evaluate_alerts_all_stores"
        ),
        # both keep their own retry bookkeeping (backoff per delivery, claims per digest)
        deliver_alert_channels=task(
            notification_tasks.deliver_alert_channels, "wismo.deliver_alert_channels", retry=False
        ),
        send_due_digests=task(
            notification_tasks.send_due_digests, "wismo.send_due_digests", retry=False
        ),
        # a failed change stays failed (its error shown); the admin changes the zone again
        change_timezone=task(change_timezone, "wismo.change_timezone", retry=False),
        resume_timezone_changes=task(resume_timezone_changes, "wismo.resume_timezone_changes"),
    )


tasks = register(broker)
