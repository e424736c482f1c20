import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.service import ensure_unique_domain
from app.core.errors import ValidationError
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
