"""Helpdesk tickets into inquiries (DESIGN 9): one receiver for every helpdesk provider.

The store is named in the webhook URL (`?store=<id>`); its connection's secret verifies the
body before anything is read. A ticket becomes an inquiry (external id
`<provider>:<ticket id>`) when it names an order of the store (an order number in its subject
or first message) or when its requester has exactly one order in the `RECENT_ORDER_DAYS`
before the ticket; its type comes from the assistant's intent model. Later deliveries set the
earliest staff response, the latest resolution and the rating through
`ingestion.amend_inquiry`, so the rollups move by exactly the difference. A delivery id seen
before changes nothing; a ticket about no order is recorded as ignored (answered 200).
"""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from app.assistant.intent import classify_inquiry
from app.assistant.orders import extract_order_number
from app.core.errors import AuthenticationError, NotFoundError
from app.core.timeutils import FUTURE_TOLERANCE, utcnow
from app.db.scoping import for_store
from app.ingestion import service as ingestion
from app.ingestion.customers import find_customer
from app.ingestion.schemas import InquiryCreate, InquiryUpdate
from app.integrations import connections
from app.integrations.base import TicketUpdate, WebhookProvider
from app.integrations.common import claim_delivery, tracking_store
from app.integrations.gorgias import PROVIDER as GORGIAS
from app.integrations.zendesk import PROVIDER as ZENDESK
from app.models import Order, OrderInquiry, Store

RECENT_ORDER_DAYS: Final = 60
UNSOLVED_RATING: Final = "a rating of a ticket that is not solved is not recorded"
PROVIDERS: Final[dict[str, WebhookProvider[TicketUpdate]]] = {
    ZENDESK.name: ZENDESK,
    GORGIAS.name: GORGIAS,
}

HelpdeskStatus = Literal["processed", "duplicate", "ignored"]


@dataclass
class HelpdeskOutcome:
    status: HelpdeskStatus
    provider: str
    delivery_id: str
    topic: str
    ticket_id: str | None = None
    inquiry_id: uuid.UUID | None = None
    created: bool = False
    detail: str | None = None


async def receive(
    session: AsyncSession,
    provider_name: str,
    store_ref: str | None,
    headers: Mapping[str, str],
    body: bytes,
) -> HelpdeskOutcome:
    """Verify, parse and apply one delivery (the caller commits the transaction)."""
    provider = PROVIDERS.get(provider_name)
    if provider is None:
        raise NotFoundError(f"unknown helpdesk {provider_name!r}")
    store = await tracking_store(session, store_ref)
    secret = await connections.secret_for(session, store.id, provider.name)
    if not secret:
        raise AuthenticationError(f"this store has no {provider.name} secret configured")
    provider.verify(headers, body, secret)
    parsed = provider.parse(headers, body)
    outcome = HelpdeskOutcome(
        "processed", provider.name, parsed.delivery_id, parsed.topic, detail=parsed.detail
    )
    update = parsed.command
    if update is not None:
        outcome.ticket_id = update.ticket_id
    status = "processed" if update is not None else "ignored"
    if not await claim_delivery(
        session, store.id, provider.name, parsed.delivery_id, parsed.topic, status
    ):
        outcome.status, outcome.detail = "duplicate", "this delivery was already processed"
        return outcome
    if update is None:
        outcome.status = "ignored"
        return outcome
    inquiry, created, detail = await apply_ticket(session, store, provider.name, update)
    if inquiry is None:
        outcome.status, outcome.detail = "ignored", detail
        return outcome
    outcome.inquiry_id, outcome.created, outcome.detail = inquiry.id, created, detail
    return outcome


async def apply_ticket(
    session: AsyncSession, store: Store, provider: str, update: TicketUpdate
) -> tuple[OrderInquiry | None, bool, str | None]:
    """The ticket's inquiry, created or brought up to date: (inquiry, created, detail)."""
    external_id = f"{provider}:{update.ticket_id}"
    inquiry = await ingestion.find_inquiry_by_external_id(
        session, store.id, external_id, for_update=True
    )
    if inquiry is not None:
        changes = later_outcome(inquiry, update)
        detail = UNSOLVED_RATING if update.rating is not None and changes.rating is None else None
        return await ingestion.amend_inquiry(session, inquiry, changes), False, detail
    if update.created_at is None:
        return None, False, "the ticket is not known here and the delivery lacks its creation time"
    order = await ticket_order(session, store, update)
    if order is None:
        return None, False, "the ticket names no order of this store"
    created_at = update.created_at
    text = "\n".join(part for part in (update.subject, update.text) if part)
    resolved_at = _not_before(update.resolved_at, created_at)
    inquiry, created = await ingestion.record_inquiry(
        session,
        store,
        InquiryCreate(
            order_number=order.order_number,
            inquiry_type=classify_inquiry(text) if text else "other",
            channel=update.channel,
            created_at=created_at,
            first_response_at=_not_before(update.first_response_at, created_at),
            resolved_at=resolved_at,
            rating=update.rating if resolved_at else None,
            feedback=update.feedback if resolved_at else None,
            external_id=external_id,
        ),
    )
    detail = UNSOLVED_RATING if update.rating is not None and resolved_at is None else None
    return inquiry, created, detail


def later_outcome(inquiry: OrderInquiry, update: TicketUpdate) -> InquiryUpdate:
    """What a delivery adds: an earlier first response, a later resolution, a rating (the
    latest wins), so deliveries that arrive out of order or twice settle on the same state."""
    first = _not_before(update.first_response_at, inquiry.created_at)
    if first is not None and inquiry.first_response_at is not None:
        first = first if first < inquiry.first_response_at else None
    resolved = _not_before(update.resolved_at, inquiry.created_at)
    if resolved is not None and inquiry.resolved_at is not None:
        resolved = resolved if resolved > inquiry.resolved_at else None
    can_rate = inquiry.resolved or resolved is not None
    return InquiryUpdate(
        first_response_at=first,
        resolved_at=resolved,
        rating=update.rating if can_rate else None,
        feedback=update.feedback if can_rate and update.rating is not None else None,
    )


def _not_before(moment: datetime | None, start: datetime) -> datetime | None:
    if moment is None or moment < start or moment > utcnow() + FUTURE_TOLERANCE:
        return None
    return moment


async def ticket_order(session: AsyncSession, store: Store, update: TicketUpdate) -> Order | None:
    """The order a ticket is about: the number it names, else its requester's only recent
    order."""
    text = "\n".join(part for part in (update.subject, update.text) if part)
    number = extract_order_number(text) if text else None
    if number is not None:
        order = await ingestion.find_order(session, store.id, number)
        if order is not None:
            return order
    if not update.requester_email or update.created_at is None:
        return None
    customer = await find_customer(session, store.id, update.requester_email)
    if customer is None:
        return None
    recent = list(
        await session.scalars(
            for_store(Order, store.id)
            .where(
                Order.customer_id == customer.id,
                Order.created_at <= update.created_at,
                Order.created_at >= update.created_at - timedelta(days=RECENT_ORDER_DAYS),
            )
            .limit(2)
        )
    )
    return recent[0] if len(recent) == 1 else None


__all__ = ["PROVIDERS", "RECENT_ORDER_DAYS", "HelpdeskOutcome", "apply_ticket", "receive"]
