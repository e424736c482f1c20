"""Alerts stored per store, one open alert per cause (kind + cause_key)."""

import uuid
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import NotFoundError
from app.core.timeutils import utcnow
from app.db.scoping import for_store
from app.models import Alert


async def raise_alert(
    session: AsyncSession,
    store_id: uuid.UUID,
    *,
    kind: str,
    cause_key: str,
    severity: str,
    payload: dict[str, Any],
) -> tuple[Alert, bool]:
    """Open an alert unless one is already open for the same cause; returns (alert, created)."""
    existing = await _open_alert(session, store_id, kind, cause_key)
    if existing is not None:
        return existing, False
    alert = Alert(
        store_id=store_id, kind=kind, cause_key=cause_key, severity=severity, payload=payload
    )
    try:
        async with session.begin_nested():
            session.add(alert)
    except IntegrityError:  # a concurrent writer opened the same alert first
        twin = await _open_alert(session, store_id, kind, cause_key)
        if twin is None:
            raise
        return twin, False
    return alert, True


async def _open_alert(
    session: AsyncSession, store_id: uuid.UUID, kind: str, cause_key: str
) -> Alert | None:
    return (
        await session.scalars(
            for_store(Alert, store_id).where(
                Alert.kind == kind, Alert.cause_key == cause_key, Alert.acknowledged_at.is_(None)
            )
        )
    ).first()


async def list_alerts(
    session: AsyncSession, store_id: uuid.UUID, *, include_acknowledged: bool = False
) -> list[Alert]:
    stmt = for_store(Alert, store_id)
    if not include_acknowledged:
        stmt = stmt.where(Alert.acknowledged_at.is_(None))
    return list(await session.scalars(stmt.order_by(Alert.created_at.desc()).limit(200)))


async def acknowledge(session: AsyncSession, store_id: uuid.UUID, alert_id: uuid.UUID) -> Alert:
    alert = (await session.scalars(for_store(Alert, store_id).where(Alert.id == alert_id))).first()
    if alert is None:
        raise NotFoundError("alert not found")
    if alert.acknowledged_at is None:
        alert.acknowledged_at = utcnow()
    return alert
