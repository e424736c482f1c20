"""GDPR/CCPA: export and erase one customer's personal data; purge old free text.

PII lives in: customers (email, name, email hash), orders (shipping postcode), chat
messages, inquiry and survey feedback text, and feedback excerpts in alert payloads.
Erasure anonymises those fields in place and leaves every fact row and rollup as it was,
so every aggregate stays the same.
"""

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.security import hash_email
from app.core.timeutils import utcnow
from app.db.scoping import for_store
from app.models import (
    Alert,
    Conversation,
    Customer,
    Message,
    Order,
    OrderInquiry,
    SatisfactionFeedback,
)

ERASED_TEXT = "[erased]"
EXCERPT_KEY = "feedbackExcerpt"


async def _customers(session: AsyncSession, store_id: uuid.UUID, email: str) -> list[Customer]:
    return list(
        await session.scalars(
            for_store(Customer, store_id).where(Customer.email_hash == hash_email(email))
        )
    )


async def export_customer_data(
    session: AsyncSession, store_id: uuid.UUID, email: str
) -> dict[str, Any]:
    """Everything the store holds about the customer with this email."""
    customers = await _customers(session, store_id, email)
    ids = [c.id for c in customers]
    orders = (
        list(await session.scalars(for_store(Order, store_id).where(Order.customer_id.in_(ids))))
        if ids
        else []
    )
    order_ids = [o.id for o in orders]
    inquiries = (
        list(
            await session.scalars(
                for_store(OrderInquiry, store_id)
                .where(or_(OrderInquiry.customer_id.in_(ids), OrderInquiry.order_id.in_(order_ids)))
                .order_by(OrderInquiry.created_at)
            )
        )
        if ids
        else []
    )
    conversations = (
        list(
            await session.scalars(
                for_store(Conversation, store_id).where(Conversation.customer_id.in_(ids))
            )
        )
        if ids
        else []
    )
    messages = (
        list(
            await session.scalars(
                for_store(Message, store_id)
                .where(Message.conversation_id.in_([c.id for c in conversations]))
                .order_by(Message.created_at)
            )
        )
        if conversations
        else []
    )
    return {
        "email": email.strip().lower(),
        "customers": [
            {"id": str(c.id), "email": c.email, "name": c.name, "createdAt": _iso(c.created_at)}
            for c in customers
        ],
        "orders": [
            {
                "orderNumber": o.order_number,
                "createdAt": _iso(o.created_at),
                "status": o.status,
                "total": str(o.total) if o.total is not None else None,
                "currency": o.currency,
                "shippingPostcode": o.shipping_postcode,
            }
            for o in orders
        ],
        "inquiries": [
            {
                "id": str(i.id),
                "createdAt": _iso(i.created_at),
                "orderNumber": i.order_number,
                "inquiryType": i.inquiry_type,
                "channel": i.channel,
                "rating": i.satisfaction_rating,
                "effortScore": i.effort_score,
                "feedback": i.feedback_text,
            }
            for i in inquiries
        ],
        "conversations": [
            {
                "id": str(c.id),
                "startedAt": _iso(c.started_at),
                "messages": [
                    {"sender": m.sender, "text": m.text, "createdAt": _iso(m.created_at)}
                    for m in messages
                    if m.conversation_id == c.id
                ],
            }
            for c in conversations
        ],
    }


async def erase_customer(session: AsyncSession, store_id: uuid.UUID, email: str) -> dict[str, int]:
    """Anonymise the customer's PII everywhere in the store; returns what was changed."""
    email = email.strip().lower()
    customers = await _customers(session, store_id, email)
    ids = [c.id for c in customers]
    counts = {"customers": len(customers), "orders": 0, "messages": 0, "feedback": 0, "alerts": 0}
    names = {c.name for c in customers if c.name}
    for customer in customers:
        customer.email = None
        customer.name = None
        customer.email_hash = f"erased:{uuid.uuid4().hex}"  # no longer matches the address
    inquiry_ids: list[uuid.UUID] = []
    if ids:
        result = await session.execute(
            update(Order)
            .where(Order.store_id == store_id, Order.customer_id.in_(ids))
            .values(shipping_postcode=None)
        )
        counts["orders"] = result.rowcount or 0  # type: ignore[attr-defined]
        order_ids = select(Order.id).where(Order.store_id == store_id, Order.customer_id.in_(ids))
        inquiry_ids = list(
            await session.scalars(
                select(OrderInquiry.id).where(
                    OrderInquiry.store_id == store_id,
                    or_(OrderInquiry.customer_id.in_(ids), OrderInquiry.order_id.in_(order_ids)),
                )
            )
        )
        conversation_ids = select(Conversation.id).where(
            Conversation.store_id == store_id, Conversation.customer_id.in_(ids)
        )
        result = await session.execute(
            update(Message)
            .where(Message.store_id == store_id, Message.conversation_id.in_(conversation_ids))
            .values(text=ERASED_TEXT)
        )
        counts["messages"] += result.rowcount or 0  # type: ignore[attr-defined]
    # The address or name typed into any other conversation of the store (before a match).
    needles = [email, *names]
    stray = await session.execute(
        update(Message)
        .where(
            Message.store_id == store_id,
            or_(*(func.lower(Message.text).contains(n.lower(), autoescape=True) for n in needles)),
        )
        .values(text=ERASED_TEXT)
    )
    counts["messages"] += stray.rowcount or 0  # type: ignore[attr-defined]
    if inquiry_ids:
        counts["feedback"] += await _clear_feedback(session, store_id, inquiry_ids)
        counts["alerts"] += await _strip_alert_excerpts(session, store_id, inquiry_ids)
    return counts


async def _clear_feedback(
    session: AsyncSession, store_id: uuid.UUID, inquiry_ids: list[uuid.UUID]
) -> int:
    a = await session.execute(
        update(OrderInquiry)
        .where(
            OrderInquiry.store_id == store_id,
            OrderInquiry.id.in_(inquiry_ids),
            OrderInquiry.feedback_text.is_not(None),
        )
        .values(feedback_text=None)
    )
    await session.execute(
        update(SatisfactionFeedback)
        .where(
            SatisfactionFeedback.store_id == store_id,
            SatisfactionFeedback.inquiry_id.in_(inquiry_ids),
        )
        .values(feedback=None)
    )
    return int(a.rowcount or 0)  # type: ignore[attr-defined]


async def _strip_alert_excerpts(
    session: AsyncSession,
    store_id: uuid.UUID,
    inquiry_ids: list[uuid.UUID] | None = None,
    older_than: datetime | None = None,
) -> int:
    stmt = for_store(Alert, store_id) if store_id else select(Alert)
    if older_than is not None:
        stmt = stmt.where(Alert.created_at < older_than)
    wanted = {str(i) for i in inquiry_ids or ()}
    changed = 0
    for alert in await session.scalars(stmt):
        payload = dict(alert.payload or {})
        if EXCERPT_KEY not in payload or payload[EXCERPT_KEY] is None:
            continue
        if inquiry_ids is not None and str(payload.get("inquiryId")) not in wanted:
            continue
        payload[EXCERPT_KEY] = None
        alert.payload = payload
        changed += 1
    return changed


async def purge_old_text(session: AsyncSession, retention_days: int) -> dict[str, int]:
    """WISMO_RETENTION_DAYS: drop message and feedback text older than the retention period."""
    cutoff = utcnow() - timedelta(days=retention_days)
    messages = await session.execute(
        update(Message)
        .where(Message.created_at < cutoff, Message.text.is_not(None))
        .values(text=None)
    )
    feedback = await session.execute(
        update(OrderInquiry)
        .where(OrderInquiry.created_at < cutoff, OrderInquiry.feedback_text.is_not(None))
        .values(feedback_text=None)
    )
    await session.execute(
        update(SatisfactionFeedback)
        .where(SatisfactionFeedback.created_at < cutoff)
        .values(feedback=None)
    )
    alerts = 0
    store_ids = await session.scalars(select(Alert.store_id).distinct())
    for store_id in list(store_ids):
        alerts += await _strip_alert_excerpts(session, store_id, None, older_than=cutoff)
    return {
        "messages": int(messages.rowcount or 0),  # type: ignore[attr-defined]
        "feedback": int(feedback.rowcount or 0),  # type: ignore[attr-defined]
        "alerts": alerts,
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
