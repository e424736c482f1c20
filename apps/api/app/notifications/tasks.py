"""Task bodies of the notifications domain (registered in app.workers.analytics_tasks)."""

from app.core.config import get_settings
from app.db.session import get_database
from app.notifications import channels, digests


async def deliver_alert_channels() -> dict[str, int]:
    """Email and Slack deliveries of alerts that are due (retried with backoff)."""
    report = await channels.deliver_pending(get_database().sessionmaker, get_settings())
    return {
        "sent": len(report.sent),
        "retrying": len(report.retrying),
        "failed": len(report.failed),
    }


async def send_due_digests() -> dict[str, int]:
    """Every member's digest whose period ended and whose local hour has come."""
    run = await digests.send_due(get_database().sessionmaker, get_settings())
    return {"sent": run.sent, "failed": run.failed, "skipped": run.skipped}
