"""Store settings a merchant changes from the dashboard (the time zone is not one of them
yet: changing it re-derives every local date, which is a job of its own)."""

import re

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import ConflictError, ValidationError
from app.models import Store

SHOP_DOMAIN = re.compile(r"^[a-z0-9][a-z0-9-]*\.myshopify\.com$")
UNSET = object()


async def update_store(
    session: AsyncSession,
    store: Store,
    *,
    name: str | None = None,
    currency: str | None = None,
    domain: object = UNSET,
) -> list[str]:
    """Apply the given changes; returns "field: old -> new" for each one that changed."""
    changes: list[str] = []
    if name is not None and name.strip() != store.name:
        if not name.strip():
            raise ValidationError("name: must not be empty")
        changes.append(f"name: {store.name} -> {name.strip()}")
        store.name = name.strip()
    if currency is not None and currency.upper() != store.currency:
        if len(currency) != 3 or not currency.isalpha():
            raise ValidationError(f"currency must be an ISO 4217 code, got {currency!r}")
        changes.append(f"currency: {store.currency} -> {currency.upper()}")
        store.currency = currency.upper()
    if domain is not UNSET:
        new = str(domain).strip().lower() if domain else None
        if new is not None and not SHOP_DOMAIN.match(new):
            raise ValidationError("domain must be the shop's SHOP.myshopify.com address")
        if new != store.domain:
            if new is not None:
                taken = await session.scalar(
                    select(Store.id).where(Store.domain == new, Store.id != store.id)
                )
                if taken is not None:
                    raise ConflictError(f"another store already uses {new}")
            changes.append(f"domain: {store.domain or '-'} -> {new or '-'}")
            store.domain = new
    await session.flush()
    return changes
