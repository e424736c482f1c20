"""Background history import after an install (Taskiq; idempotent: a redelivered message
resumes the same backfill from its committed progress)."""

import uuid
from typing import Any

from app.core.config import get_settings
from app.db.session import get_database
from app.integrations.shopify.backfill import run_backfill
from app.workers.broker import broker


async def shopify_backfill(store_id: str, backfill_id: str) -> dict[str, Any]:
    progress = await run_backfill(
        get_database().writer, get_settings(), uuid.UUID(store_id), uuid.UUID(backfill_id)
    )
    return {"status": progress.status, "orders": progress.orders_done}


backfill_task = broker.register_task(
    shopify_backfill, task_name="wismo.shopify_backfill", retry_on_error=True
)
