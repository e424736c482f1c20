import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.security import hash_email
from app.db.scoping import for_store
from app.models import Customer


async def get_or_create_customer(
    session: AsyncSession, store_id: uuid.UUID, email: str, name: str | None = None
) -> Customer:
    email_hash = hash_email(email)
    customer = (
        await session.scalars(
            for_store(Customer, store_id).where(Customer.email_hash == email_hash)
        )
    ).first()
    if customer is None:
        customer = Customer(
            store_id=store_id, email_hash=email_hash, email=email.strip().lower(), name=name
        )
        session.add(customer)
        await session.flush()
    elif name and customer.name != name:
        customer.name = name
    return customer


async def find_customer(session: AsyncSession, store_id: uuid.UUID, email: str) -> Customer | None:
    return (
        await session.scalars(
            for_store(Customer, store_id).where(Customer.email_hash == hash_email(email))
        )
    ).first()
