"""The assistant's conversations as the dashboard reads them (DESIGN 11: "the dashboard
lists conversations for agents"): a filtered, keyset-paged list and the transcript.

Customer data (DESIGN 8): owners and admins (and store API keys, which act as admin) see
customers' emails and names; analysts see them masked (`b***@mail.example.com`), and so are
the emails inside message text. The widget reads its own conversation as the customer wrote
it, without the customer record.

A conversation's outcome is one SQL expression (`outcome_of`), used both to filter and to
show it: `escalated` when an agent took over or any of its inquiries was escalated;
otherwise `resolved` when it was closed or all of its (one or more) inquiries are resolved;
otherwise `open`.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, case, exists, func, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.analytics.service import DateRange
from app.assistant.chat import conversation_language
from app.assistant.orders import mask_email, mask_emails
from app.assistant.schemas import (
    ChatMessageOut,
    ConversationCustomer,
    ConversationDetail,
    ConversationInquiry,
    ConversationOut,
    ConversationPage,
    ConversationRow,
)
from app.core.errors import NotFoundError
from app.core.timeutils import local_day_start
from app.db.keyset import newest_first, page_of
from app.db.scoping import for_store
from app.models import Conversation, Customer, Message, OrderInquiry

#: Roles that see customers' emails and names unmasked (API keys act as admin).
PII_ROLES = frozenset({"owner", "admin"})

#: full: as stored; masked: emails and names masked; customer: the widget's own view
#: (messages as written, no customer record).
Disclosure = Literal["full", "masked", "customer"]


def disclosure_for_role(role: str) -> Disclosure:
    return "full" if role in PII_ROLES else "masked"


@dataclass(frozen=True)
class ConversationFilters:
    """Each list matches any of its values (empty: no filter); the lists combine with AND."""

    inquiry_types: Sequence[str] = ()
    languages: Sequence[str] = ()
    outcomes: Sequence[str] = ()
    range: DateRange | None = None


def _inquiries_of_conversation() -> Any:
    c, i = Conversation, OrderInquiry
    return select(i.id).where(i.store_id == c.store_id, i.conversation_id == c.id)


def outcome_of() -> ColumnElement[str]:
    """The outcome of each `Conversation` row of the enclosing query."""
    c, i = Conversation, OrderInquiry
    linked = _inquiries_of_conversation()
    escalated = or_(c.escalated, exists(linked.where(i.escalated)))
    all_resolved = and_(exists(linked), not_(exists(linked.where(not_(i.resolved)))))
    return case(
        (escalated, "escalated"),
        (or_(c.closed_at.is_not(None), all_resolved), "resolved"),
        else_="open",
    )


def conversation_out(conversation: Conversation, verified_number: str | None) -> ConversationOut:
    return ConversationOut(
        id=conversation.id,
        channel=conversation.channel,
        language=conversation_language(conversation),
        started_at=conversation.started_at,
        first_response_at=conversation.first_response_at,
        closed_at=conversation.closed_at,
        escalated=conversation.escalated,
        verified=conversation.verified_order_id is not None,
        verified_order_number=verified_number,
    )


def _mask_name(name: str) -> str:
    return " ".join(f"{word[:1]}***" for word in name.split())


def _customer(customer: Customer | None, disclosure: Disclosure) -> ConversationCustomer | None:
    if customer is None or disclosure == "customer":
        return None
    if disclosure == "full":
        return ConversationCustomer(email=customer.email, name=customer.name)
    return ConversationCustomer(
        email=mask_email(customer.email) if customer.email else None,
        name=_mask_name(customer.name) if customer.name else None,
    )


def _mean_rating(inquiries: Sequence[OrderInquiry]) -> float | None:
    ratings = [i.satisfaction_rating for i in inquiries if i.satisfaction_rating is not None]
    return sum(ratings) / len(ratings) if ratings else None


async def _customers(
    session: AsyncSession, store_id: uuid.UUID, ids: set[uuid.UUID]
) -> dict[uuid.UUID, Customer]:
    if not ids:
        return {}
    rows = await session.scalars(for_store(Customer, store_id).where(Customer.id.in_(ids)))
    return {c.id: c for c in rows}


async def list_conversations(
    session: AsyncSession,
    store_id: uuid.UUID,
    timezone: str,
    filters: ConversationFilters,
    *,
    disclosure: Disclosure,
    cursor: str | None = None,
    limit: int = 50,
) -> ConversationPage:
    """The store's conversations, newest first, one keyset page at a time."""
    c, i = Conversation, OrderInquiry
    outcome = outcome_of()
    stmt = select(c, outcome.label("outcome")).where(c.store_id == store_id)
    if filters.inquiry_types:
        stmt = stmt.where(
            exists(_inquiries_of_conversation().where(i.inquiry_type.in_(filters.inquiry_types)))
        )
    if filters.languages:
        stmt = stmt.where(c.language.in_(filters.languages))
    if filters.outcomes:
        stmt = stmt.where(outcome.in_(filters.outcomes))
    if filters.range is not None:
        rng = filters.range
        stmt = stmt.where(
            c.started_at >= local_day_start(rng.start, timezone),
            c.started_at < local_day_start(rng.end + timedelta(days=1), timezone),
        )
    rows = (await session.execute(newest_first(stmt, c.started_at, c.id, cursor, limit))).all()
    page, next_cursor = page_of(rows, limit, lambda r: (r[0].started_at, r[0].id))

    ids = [row[0].id for row in page]
    counts: dict[uuid.UUID, int] = {}
    inquiries: dict[uuid.UUID, list[OrderInquiry]] = {cid: [] for cid in ids}
    if ids:
        counted = await session.execute(
            select(Message.conversation_id, func.count())
            .where(Message.store_id == store_id, Message.conversation_id.in_(ids))
            .group_by(Message.conversation_id)
        )
        counts = {cid: n for cid, n in counted.all()}
        for inquiry in await session.scalars(
            for_store(OrderInquiry, store_id)
            .where(OrderInquiry.conversation_id.in_(ids))
            .order_by(OrderInquiry.created_at, OrderInquiry.id)
        ):
            if inquiry.conversation_id is not None:
                inquiries[inquiry.conversation_id].append(inquiry)
    customers = await _customers(
        session, store_id, {row[0].customer_id for row in page if row[0].customer_id}
    )

    items = []
    for conversation, row_outcome in page:
        asked = inquiries[conversation.id]
        customer = customers.get(conversation.customer_id) if conversation.customer_id else None
        items.append(
            ConversationRow(
                id=conversation.id,
                started_at=conversation.started_at,
                closed_at=conversation.closed_at,
                channel=conversation.channel,
                language=conversation_language(conversation),
                message_count=counts.get(conversation.id, 0),
                inquiry_types=list(dict.fromkeys(q.inquiry_type for q in asked)),
                order_numbers=list(dict.fromkeys(q.order_number for q in asked if q.order_number)),
                outcome=row_outcome,
                rating=_mean_rating(asked),
                customer=_customer(customer, disclosure),
            )
        )
    return ConversationPage(items=items, next_cursor=next_cursor, pii_masked=disclosure == "masked")


async def conversation_detail(
    session: AsyncSession,
    store_id: uuid.UUID,
    conversation_id: uuid.UUID,
    *,
    disclosure: Disclosure,
) -> ConversationDetail:
    """The transcript (messages oldest first) with its inquiries; another store's
    conversation is a 404."""
    c = Conversation
    found = (
        await session.execute(
            select(c, outcome_of()).where(c.store_id == store_id, c.id == conversation_id)
        )
    ).first()
    if found is None:
        raise NotFoundError("conversation not found")
    conversation, outcome = found
    messages = await session.scalars(
        for_store(Message, store_id)
        .where(Message.conversation_id == conversation.id)
        .order_by(Message.created_at, Message.id)
    )
    inquiries = list(
        await session.scalars(
            for_store(OrderInquiry, store_id)
            .where(OrderInquiry.conversation_id == conversation.id)
            .order_by(OrderInquiry.created_at, OrderInquiry.id)
        )
    )
    customers = await _customers(
        session, store_id, {conversation.customer_id} if conversation.customer_id else set()
    )
    # The number of the verified order, as `chat.current_inquiry` finds it.
    verified = next(
        (
            q.order_number
            for q in reversed(inquiries)
            if conversation.verified_order_id is not None
            and q.order_id == conversation.verified_order_id
        ),
        None,
    )
    customer = customers.get(conversation.customer_id) if conversation.customer_id else None
    base = conversation_out(conversation, verified)
    masked = disclosure == "masked"
    return ConversationDetail(
        **base.model_dump(),
        messages=[
            ChatMessageOut(
                id=m.id,
                sender=m.sender,
                text=mask_emails(m.text) if masked and m.text else m.text,
                created_at=m.created_at,
            )
            for m in messages
        ],
        inquiries=[
            ConversationInquiry(
                id=q.id,
                inquiry_type=q.inquiry_type,
                order_number=q.order_number,
                order_status=q.order_status,
                is_repeat=q.is_repeat,
                resolved=q.resolved,
                escalated=q.escalated,
                created_at=q.created_at,
                rating=q.satisfaction_rating,
            )
            for q in inquiries
        ],
        outcome=outcome,
        rating=_mean_rating(inquiries),
        customer=_customer(customer, disclosure),
        pii_masked=masked,
    )


__all__ = [
    "PII_ROLES",
    "ConversationFilters",
    "Disclosure",
    "conversation_detail",
    "conversation_out",
    "disclosure_for_role",
    "list_conversations",
    "outcome_of",
]
