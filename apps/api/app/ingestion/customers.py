import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.security import hash_email
from app.core.timeutils import utcnow
from app.db.scoping import for_store
from app.db.upsert import insert_ignore
from app.models import Customer


async def get_or_create_customer(
    session: AsyncSession, store_id: uuid.UUID, email: str, name: str | None = None
) -> Customer:
    """The store's customer with this email, created if new.

    Two requests meeting a new email at once (e.g. two Shopify webhooks) both insert with
    ON CONFLICT DO NOTHING on (store_id, email_hash) and then read the one row that won.
    """
    email_hash = hash_email(email)
    by_email = for_store(Customer, store_id).where(Customer.email_hash == email_hash)
    customer = (await session.scalars(by_email)).first()
    if customer is None:
        await session.execute(
            insert_ignore(session, Customer.__table__, ["store_id", "email_hash"]).values(
                store_id=store_id,
                id=uuid.uuid4(),
                email_hash=email_hash,
                email=email.strip().lower(),
                name=name,
                created_at=utcnow(),
            )
        )
        customer = (await session.scalars(by_email)).one()
    elif name and customer.name != name:
        customer.name = name
    return customer


async def find_customer(session: AsyncSession, store_id: uuid.UUID, email: str) -> Customer | None:
    return (
        await session.scalars(
            for_store(Customer, store_id).where(Customer.email_hash == hash_email(email))
        )
    ).first()
