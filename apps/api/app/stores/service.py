import re
import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.service import ensure_unique_domain
from app.core.errors import ConflictError, ValidationError
from app.core.security import generate_widget_key
from app.core.timeutils import is_valid_timezone
from app.models import Store


async def create_store(
    session: AsyncSession,
    name: str,
    timezone: str,
    *,
    currency: str = "USD",
    domain: str | None = None,
    shopify_secret: str | None = None,
    tracking_secret: str | None = None,
    store_id: uuid.UUID | None = None,
) -> Store:
    if not is_valid_timezone(timezone):
        raise ValidationError(f"unknown time zone {timezone!r} (use an IANA name)")
    if len(currency) != 3 or not currency.isalpha():
        raise ValidationError(f"currency must be an ISO 4217 code, got {currency!r}")
    await ensure_unique_domain(session, domain)
    store = Store(
        id=store_id or uuid.uuid4(),
        name=name,
        timezone=timezone,
        currency=currency.upper(),
        domain=domain,
        shopify_webhook_secret=shopify_secret,
        tracking_webhook_secret=tracking_secret,
        widget_key=generate_widget_key(),
    )
    session.add(store)
    await session.flush()
    return store


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
