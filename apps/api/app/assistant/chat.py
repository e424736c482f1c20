"""The order-status assistant: conversations that verify customers, answer "where is my
order?" from the store's own data, and record every inquiry for the analytics.

Flow of a customer message (``post_message``):

1. ``detected_type`` = the classifier's label (``intent.classify_inquiry``); a message that
   is only an order number, email or postcode ("other" to the classifier) carries the
   conversation's previous type forward.
2. Verification: the order number (``intent.extract_order_number``) plus the email on the
   order or its shipping postcode, typed in any message of the conversation or given when
   the conversation was started. Until both match, no reply contains anything about the
   order (not even whether it exists). Failed attempts are counted per conversation and per
   client (``VERIFY_FAILURES`` within the window, then 429 with Retry-After).
3. Once verified, ``track_order_inquiry`` records one inquiry per order and conversation
   (through ``ingestion.record_inquiry``: the order status at that moment, 7-day repeat
   linking, rollups); follow-up questions are answered without new inquiries. The reply's
   time is the inquiry's first response.
4. "thanks" / "that's all" / "got it" resolves the inquiry (``mark_inquiry_resolved``) and
   offers a satisfaction survey; so does closing a conversation that was not escalated.
5. An agent's message hands the conversation over: it is the first response if none was
   given, marks the conversation and its open inquiries escalated, and the assistant stays
   quiet from then on (it still verifies and records inquiries).

Every function takes ``now`` (default: the current time) so that tests and backfills can
replay conversations at chosen times.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import quote

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.assistant import replies
from app.assistant import survey as satisfaction
from app.assistant.language import DEFAULT_LANGUAGE, Lang, next_language, normalise_lang
from app.assistant.normalise import classify_inquiry, normalise
from app.assistant.orders import extract_email, extract_order_number, extract_postcode
from app.assistant.schemas import ConversationCreate, Link, SurveyOffer
from app.core.config import Settings
from app.core.errors import ConflictError, NotFoundError, RateLimitedError
from app.core.rate_limit import Limit, RateLimiter, rate_key
from app.core.security import hash_email
from app.core.timeutils import ensure_aware, local_date, utcnow
from app.core.vocab import InquiryType
from app.db.scoping import for_store
from app.ingestion import service as ingestion
from app.ingestion.customers import find_customer
from app.ingestion.schemas import InquiryCreate
from app.models import (
    Conversation,
    Customer,
    Message,
    Order,
    OrderInquiry,
    Shipment,
    Store,
    TrackingEvent,
)

__all__ = [
    "VERIFY_FAILURES",
    "ChatTurn",
    "close_conversation",
    "conversation_inquiries",
    "current_inquiry",
    "get_conversation",
    "is_confirmation",
    "list_messages",
    "mark_inquiry_resolved",
    "post_message",
    "start_conversation",
    "store_for_widget_key",
    "track_order_inquiry",
    "tracking_url",
]

#: Failed verifications allowed per conversation and per client within the window.
VERIFY_FAILURES = Limit(count=5, window_seconds=15 * 60)
#: The assistant answers at once; its reply is stamped just after the customer's message
#: so that the two sort in order (a first response of 0 s).
REPLY_LATENCY = timedelta(microseconds=1)
#: Only the latest customer messages are scanned for earlier details and intents.
HISTORY_LIMIT = 50

# ---------------------------------------------------------------- tracking links

# (carrier name prefixes, lower case) -> the carrier's public tracking page. First match wins.
TRACKING_URL_TEMPLATES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("ups",), "https://www.ups.com/track?loc=en_US&tracknum={tn}"),
    (
        ("usps", "us postal service", "united states postal service"),
        "https://tools.usps.com/go/TrackConfirmAction?tLabels={tn}",
    ),
    (("fedex", "federal express"), "https://www.fedex.com/fedextrack/?trknbr={tn}"),
    (
        ("dhl ecommerce", "dhl ecom", "dhl global mail"),
        "https://www.dhl.com/us-en/home/tracking/tracking-ecommerce.html?tracking-id={tn}",
    ),
    (
        ("dhl",),
        "https://www.dhl.com/global-en/home/tracking/tracking-express.html"
        "?submit=1&tracking-id={tn}",
    ),
)
#: Any other carrier: a carrier-independent tracking site.
GENERIC_TRACKING_URL = "https://t.17track.net/en#nums={tn}"


def tracking_url(carrier: str | None, tracking_number: str) -> str:
    """The tracking page for a parcel: the carrier's own page, or a generic tracker."""
    name = " ".join(re.sub(r"[^a-z0-9]+", " ", (carrier or "").lower()).split())
    tn = quote(tracking_number.strip(), safe="")
    for prefixes, template in TRACKING_URL_TEMPLATES:
        if any(name == p or name.startswith(p + " ") for p in prefixes):
            return template.format(tn=tn)
    return GENERIC_TRACKING_URL.format(tn=tn)


# ---------------------------------------------------------------- small matchers

# Matched against `normalise`d text (lower-case ASCII: "danke schön" -> "danke schon").
_CONFIRMATION = re.compile(
    r"\b(?:thanks|thank you|thank u|thankyou|cheers|ta|much appreciated|appreciate it"
    r"|got it|gotcha|that is all|that is it|that is everything|that is great|that helps"
    r"|that helped|all good|all sorted|sorted|perfect|great|awesome|brilliant|wonderful"
    r"|excellent|amazing|understood|no more questions|nothing else|i am good|ok|okay|k|cool"
    r"|nice|fab|fine|good to know|makes sense|will do|bye|goodbye"
    # es, fr, de, it, pt, nl
    r"|gracias|vale|perfecto|genial|entendido|eso es todo|nada mas|adios|hasta luego"
    r"|merci|parfait|super|d accord|c est tout|compris|au revoir|bonne journee"
    r"|danke|dankeschon|vielen dank|perfekt|alles klar|verstanden|das war s|tschuss"
    r"|grazie|perfetto|ottimo|capito|va bene|e tutto|arrivederci|ciao"
    r"|obrigado|obrigada|perfeito|otimo|percebi|entendi|e tudo|tchau|ate logo"
    r"|bedankt|dank je|dankjewel|dank u|dank u wel|prima|top|helder|duidelijk|dat is alles"
    r"|doei|tot ziens)\b"
)
# Words that turn a "thanks" into a new question or a complaint.
_NOT_DONE = re.compile(
    r"\b(?:but|not|never|still|however|although|why|where|when|how|what|which|who|can|could"
    r"|would|will not|is it|refund|cancel|wrong|help"
    r"|pero|todavia|aun|donde|cuando|por que|como|reembolso|cancelar|ayuda"
    r"|mais|pas|jamais|toujours|encore|ou est|quand|pourquoi|comment|rembourse\w*|annuler"
    r"|aber|nicht|nie|noch|immer noch|wo|wann|warum|wie|erstattung|stornieren|hilfe"
    r"|ma|mai|ancora|dove|quando|perche|rimborso|annullare|aiuto"
    r"|nunca|ainda|onde|porque|reembolso|ajuda"
    r"|maar|niet|nooit|nog|waar|wanneer|waarom|hoe|terugbetal\w*|annuleren|hulp)\b"
)
_WANTS_HUMAN = re.compile(
    r"\b(?:human|real person|a person|someone|somebody|agent|representative|rep|operator"
    r"|staff|customer service|support team|speak to|talk to|speak with|talk with|call me"
    r"|humano|una persona|agente|hablar con|atencion al cliente"
    r"|humain|une personne|conseiller|parler a|service client"
    r"|mensch|mitarbeiter|berater|kundendienst|kundenservice|sprechen mit"
    r"|persona reale|operatore|parlare con|servizio clienti"
    r"|pessoa|atendente|falar com|apoio ao cliente"
    r"|medewerker|echt persoon|iemand spreken|klantenservice)\b"
)
# A reply that is only a number or code while we wait for verification details: a postcode.
_BARE_CODE = re.compile(r"\s*(\d{3,10}(?:[ -]\d{4})?)\s*[.!]?\s*")


def is_confirmation(text: str) -> bool:
    """The customer says they are done ("thanks", "that's all", "got it", "ok great")."""
    if "?" in text:
        return False
    norm = normalise(text)
    if not norm or len(norm.split()) > 12 or _NOT_DONE.search(norm):
        return False
    return bool(_CONFIRMATION.search(norm))


def wants_human(text: str) -> bool:
    return bool(_WANTS_HUMAN.search(normalise(text)))


# ---------------------------------------------------------------- conversations


async def store_for_widget_key(session: AsyncSession, widget_key: str) -> Store | None:
    """The store whose public widget key this is (stores themselves are not store-scoped)."""
    if not widget_key:
        return None
    return (
        await session.scalars(select(Store).where(Store.widget_key == widget_key).limit(1))
    ).first()


async def start_conversation(
    session: AsyncSession,
    store: Store,
    data: ConversationCreate,
    *,
    now: datetime | None = None,
) -> Conversation:
    """Open a conversation. A customer email given here is remembered as the customer's
    claim (the email factor of the verification); no customer row is created for it. A
    language given here (`lang`, one of the seven) is kept for the whole conversation;
    otherwise it is detected from the customer's messages."""
    now = ensure_aware(now, "now") if now else utcnow()
    customer_id = None
    if data.customer_email:
        customer = await find_customer(session, store.id, data.customer_email)
        customer_id = customer.id if customer else None
    requested = normalise_lang(data.lang)
    conversation = Conversation(
        id=uuid.uuid4(),
        store_id=store.id,
        customer_id=customer_id,
        channel=data.channel,
        started_at=now,
        escalated=False,
        failed_verifications=0,
        language=requested or DEFAULT_LANGUAGE,
        language_pinned=requested is not None,
    )
    session.add(conversation)
    await session.flush()
    return conversation


def conversation_language(conversation: Conversation) -> Lang:
    return normalise_lang(conversation.language) or DEFAULT_LANGUAGE


async def get_conversation(
    session: AsyncSession,
    store_id: uuid.UUID,
    conversation_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> Conversation:
    """The store's conversation or a 404; `for_update` serialises messages of one conversation."""
    stmt = for_store(Conversation, store_id).where(Conversation.id == conversation_id)
    if for_update:
        stmt = stmt.with_for_update()
    conversation = (await session.scalars(stmt)).first()
    if conversation is None:
        raise NotFoundError("conversation not found")
    return conversation


async def list_messages(
    session: AsyncSession, conversation: Conversation, *, limit: int | None = None
) -> list[Message]:
    """The conversation's messages, oldest first (the latest `limit` when given)."""
    stmt = for_store(Message, conversation.store_id).where(
        Message.conversation_id == conversation.id
    )
    if limit is None:
        return list(await session.scalars(stmt.order_by(Message.created_at, Message.id)))
    latest = await session.scalars(
        stmt.order_by(Message.created_at.desc(), Message.id.desc()).limit(limit)
    )
    return list(reversed(list(latest)))


async def conversation_inquiries(
    session: AsyncSession, conversation: Conversation
) -> list[OrderInquiry]:
    return list(
        await session.scalars(
            for_store(OrderInquiry, conversation.store_id)
            .where(OrderInquiry.conversation_id == conversation.id)
            .order_by(OrderInquiry.created_at, OrderInquiry.id)
        )
    )


async def current_inquiry(session: AsyncSession, conversation: Conversation) -> OrderInquiry | None:
    """The inquiry about the conversation's verified order, if one was recorded."""
    if conversation.verified_order_id is None:
        return None
    return (
        await session.scalars(
            for_store(OrderInquiry, conversation.store_id)
            .where(
                OrderInquiry.conversation_id == conversation.id,
                OrderInquiry.order_id == conversation.verified_order_id,
            )
            .order_by(OrderInquiry.created_at.desc())
            .limit(1)
        )
    ).first()


# ---------------------------------------------------------------- inquiries


async def track_order_inquiry(
    session: AsyncSession,
    store: Store,
    conversation: Conversation,
    order: Order,
    inquiry_type: InquiryType,
    *,
    at: datetime | None = None,
) -> tuple[OrderInquiry, bool]:
    """The conversation's inquiry about `order`: created once (with the order status at `at`,
    the conversation's channel, repeat linking and rollups), then returned as it is."""
    existing = (
        await session.scalars(
            for_store(OrderInquiry, store.id)
            .where(
                OrderInquiry.conversation_id == conversation.id,
                OrderInquiry.order_id == order.id,
            )
            .limit(1)
        )
    ).first()
    if existing is not None:
        return existing, False
    data = InquiryCreate(
        order_number=order.order_number,
        inquiry_type=inquiry_type,
        channel=conversation.channel,
        created_at=at or utcnow(),
        escalated=conversation.escalated,
    )
    return await ingestion.record_inquiry(session, store, data, conversation_id=conversation.id)


async def mark_inquiry_resolved(
    session: AsyncSession, inquiry: OrderInquiry, resolved_at: datetime
) -> OrderInquiry:
    """Resolve an inquiry (resolution time from its creation); a second call changes nothing.
    The rollups move through `ingestion.update_inquiry`."""
    if inquiry.resolved:
        return inquiry
    return await ingestion.update_inquiry(
        session, inquiry, resolved_at=max(resolved_at, inquiry.created_at)
    )


async def _record_first_response(
    session: AsyncSession, inquiry: OrderInquiry, at: datetime, *, escalate: bool = False
) -> None:
    """The first reply to an inquiry (the assistant's or an agent's); an agent escalates it."""
    needs_response = inquiry.first_response_at is None
    needs_escalation = escalate and not inquiry.escalated
    if not (needs_response or needs_escalation):
        return
    await ingestion.update_inquiry(
        session,
        inquiry,
        first_response_at=max(at, inquiry.created_at) if needs_response else None,
        escalated=True if needs_escalation else None,
    )


# ---------------------------------------------------------------- verification


@dataclass
class _Factors:
    emails: list[str] = field(default_factory=list)
    postcodes: list[str] = field(default_factory=list)
    known_customer: uuid.UUID | None = None  # the conversation's customer (claimed or verified)

    def __bool__(self) -> bool:
        return bool(self.emails or self.postcodes or self.known_customer)


def _postcode_key(value: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", value.upper())


def postcode_matches(given: str, stored: str | None) -> bool:
    """Same postcode ignoring case, spaces and dashes; a US ZIP matches its ZIP+4."""
    if not stored:
        return False
    a, b = _postcode_key(given), _postcode_key(stored)
    if not a or not b:
        return False
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return (
        short.isdigit()
        and long.isdigit()
        and len(short) == 5
        and len(long) == 9
        and (long.startswith(short))
    )


async def find_order_by_number(
    session: AsyncSession, store_id: uuid.UUID, number: str
) -> Order | None:
    """The order as the merchant stores it: exactly, else case-insensitively (one match)."""
    number = number.strip().lstrip("#")
    order = await ingestion.find_order(session, store_id, number)
    if order is not None:
        return order
    rows = list(
        await session.scalars(
            for_store(Order, store_id)
            .where(func.upper(Order.order_number) == number.upper())
            .limit(2)
        )
    )
    return rows[0] if len(rows) == 1 else None


async def _factors_match(session: AsyncSession, order: Order, factors: _Factors) -> bool:
    if order.customer_id is not None:
        if factors.known_customer == order.customer_id:
            return True
        if factors.emails:
            customer = (
                await session.scalars(
                    for_store(Customer, order.store_id).where(Customer.id == order.customer_id)
                )
            ).first()
            if customer is not None and customer.email_hash is not None:
                wanted = {hash_email(e) for e in factors.emails}
                if customer.email_hash in wanted:
                    return True
    return any(postcode_matches(p, order.shipping_postcode) for p in factors.postcodes)


async def _ensure_may_verify(
    conversation: Conversation,
    now: datetime,
    limiter: RateLimiter | None,
    client_key: str | None,
    lang: Lang,
) -> None:
    window = timedelta(seconds=VERIFY_FAILURES.window_seconds)
    retry_after = 0
    last = conversation.last_failed_verification_at
    if (
        last is not None
        and conversation.failed_verifications >= VERIFY_FAILURES.count
        and now < last + window
    ):
        retry_after = max(1, int((last + window - now).total_seconds() + 0.999))
    if limiter is not None and client_key is not None:
        decision = await limiter.check(rate_key("verify", client_key), VERIFY_FAILURES)
        if not decision.allowed:
            retry_after = max(retry_after, decision.retry_after)
    if retry_after:
        raise RateLimitedError(replies.rate_limited(lang, retry_after), retryAfter=retry_after)


async def _register_failure(
    conversation: Conversation,
    now: datetime,
    limiter: RateLimiter | None,
    client_key: str | None,
) -> None:
    window = timedelta(seconds=VERIFY_FAILURES.window_seconds)
    last = conversation.last_failed_verification_at
    if last is None or now - last >= window:
        conversation.failed_verifications = 0
    conversation.failed_verifications = (conversation.failed_verifications or 0) + 1
    conversation.last_failed_verification_at = now
    if limiter is not None and client_key is not None:
        await limiter.hit(rate_key("verify", client_key), VERIFY_FAILURES)


# ---------------------------------------------------------------- the order's facts


async def order_view(
    session: AsyncSession, order: Order, store: Store, at: datetime
) -> replies.OrderView:
    """Everything the replies say about an order, as it stood at `at`: its state from
    `ingestion.order_status_at` and its latest three parcels."""
    status, _ = await ingestion.order_status_at(session, order, at)
    shipments = list(
        await session.scalars(
            for_store(Shipment, order.store_id)
            .where(Shipment.order_id == order.id, Shipment.shipped_at <= at)
            .order_by(Shipment.shipped_at, Shipment.id)
        )
    )
    parcels: list[replies.ParcelView] = []
    for shipment in shipments[-3:]:
        events = list(
            await session.scalars(
                for_store(TrackingEvent, order.store_id)
                .where(TrackingEvent.shipment_id == shipment.id, TrackingEvent.occurred_at <= at)
                .order_by(TrackingEvent.occurred_at.desc(), TrackingEvent.id.desc())
                .limit(20)
            )
        )
        last = events[0] if events else None
        delivered = shipment.delivered_at is not None and shipment.delivered_at <= at
        delivered_event = next((e for e in events if e.status == "delivered"), None)
        parcels.append(
            replies.ParcelView(
                carrier=shipment.carrier,
                tracking_number=shipment.tracking_number,
                status="delivered" if delivered else (last.status if last else "pending"),
                url=tracking_url(shipment.carrier, shipment.tracking_number),
                delivered_at=shipment.delivered_at if delivered else None,
                delivered_where=delivered_event.location if delivered_event else None,
                exception_reason=shipment.exception_reason,
                last_scan_at=last.occurred_at if last else None,
                last_scan_status=last.status if last else None,
                last_scan_text=last.description if last else None,
                last_scan_where=last.location if last else None,
                estimate=shipment.estimated_delivery,
                original_estimate=shipment.original_estimated_delivery,
            )
        )
    return replies.OrderView(
        number=order.order_number,
        status=status,
        timezone=store.timezone,
        today=local_date(at, store.timezone),
        placed_on=local_date(order.created_at, store.timezone),
        promised=order.promised_delivery_date,
        cancelled_at=order.cancelled_at,
        parcels=parcels,
    )


def compose_order_reply(
    view: replies.OrderView, lang: Lang, inquiry_type: InquiryType, *, first: bool
) -> tuple[str, list[Link]]:
    """The answer about a verified order, built only from the store's data."""
    text = replies.order_reply(lang, view, inquiry_type, first=first)
    links = []
    if view.status not in ("cancelled", "refunded"):
        links = [
            Link(label=replies.say(lang, "track_with", carrier=p.carrier), url=p.url)
            for p in view.parcels
        ]
    return text, links


# English texts under their old names (integrations and tests refer to them).
GREETING = replies.say("en", "greeting")
ASK_FOR_ORDER = replies.say("en", "ask_for_order")
HANDOVER = replies.say("en", "handover")
REFUND_ADVICE = replies.say("en", "refund_advice")


# ---------------------------------------------------------------- messages


@dataclass
class ChatTurn:
    message: Message
    reply: Message | None
    language: Lang
    links: list[Link]
    detected_type: InquiryType | None
    detected_order_number: str | None
    verified: bool
    inquiry: OrderInquiry | None
    survey: SurveyOffer | None


def _has_entity(text: str) -> bool:
    return bool(extract_order_number(text) or extract_email(text) or extract_postcode(text))


def _effective_type(text: str, previous: InquiryType | None) -> InquiryType:
    detected = classify_inquiry(text)
    if detected == "other" and previous is not None and _has_entity(text):
        return previous
    return detected


def _previous_type(history: Sequence[Message]) -> InquiryType | None:
    """The latest non-"other" type of the conversation's customer messages (carried forward)."""
    previous: InquiryType | None = None
    for message in history:
        if message.sender != "customer" or not message.text:
            continue
        kind = _effective_type(message.text, previous)
        if kind != "other":
            previous = kind
    return previous


def _history_factors(history: Sequence[Message]) -> tuple[list[str], list[str]]:
    emails: list[str] = []
    postcodes: list[str] = []
    for message in history:
        if message.sender != "customer" or not message.text:
            continue
        if email := extract_email(message.text):
            emails.append(email)
        if postcode := extract_postcode(message.text):
            postcodes.append(postcode)
    return emails, postcodes


async def post_message(
    session: AsyncSession,
    store: Store,
    conversation: Conversation,
    text: str,
    sender: str = "customer",
    *,
    settings: Settings,
    now: datetime | None = None,
    limiter: RateLimiter | None = None,
    client_key: str | None = None,
) -> ChatTurn:
    """Store a customer's or agent's message and, for a customer, the assistant's reply.

    `limiter` and `client_key` (e.g. "<store id>:<ip>") count failed verifications per
    client across conversations; without them only the conversation's own count applies.
    """
    now = ensure_aware(now, "now") if now else utcnow()
    if conversation.closed_at is not None:
        raise ConflictError(replies.say(conversation_language(conversation), "closed"))
    history = await list_messages(session, conversation, limit=HISTORY_LIMIT)
    message = Message(
        id=uuid.uuid4(),
        store_id=store.id,
        conversation_id=conversation.id,
        sender=sender,
        text=text,
        created_at=now,
    )
    session.add(message)
    if sender == "agent":
        return await _agent_message(session, conversation, message, now)
    return await _customer_message(
        session, store, conversation, message, history, settings, now, limiter, client_key
    )


async def _agent_message(
    session: AsyncSession, conversation: Conversation, message: Message, now: datetime
) -> ChatTurn:
    conversation.escalated = True
    if conversation.first_response_at is None:
        conversation.first_response_at = now
    for inquiry in await conversation_inquiries(session, conversation):
        if not inquiry.resolved:
            await _record_first_response(session, inquiry, now, escalate=True)
    await session.flush()
    return ChatTurn(
        message=message,
        reply=None,
        language=conversation_language(conversation),
        links=[],
        detected_type=None,
        detected_order_number=None,
        verified=conversation.verified_order_id is not None,
        inquiry=await current_inquiry(session, conversation),
        survey=None,
    )


async def _customer_message(
    session: AsyncSession,
    store: Store,
    conversation: Conversation,
    message: Message,
    history: Sequence[Message],
    settings: Settings,
    now: datetime,
    limiter: RateLimiter | None,
    client_key: str | None,
) -> ChatTurn:
    text = message.text or ""
    lang = next_language(
        conversation_language(conversation), text, pinned=conversation.language_pinned
    )
    conversation.language = lang
    previous = _previous_type(history)
    detected = _effective_type(text, previous)
    order_number = extract_order_number(text)
    emails = [e] if (e := extract_email(text)) else []
    postcodes = [p] if (p := extract_postcode(text)) else []
    pending = conversation.pending_order_number
    bare = _BARE_CODE.fullmatch(text)
    if pending and bare and not postcodes and bare.group(1).upper() != pending.upper():
        # While waiting for verification details, a bare number is the postcode.
        postcodes.append(bare.group(1))
        order_number = None
    has_entity = bool(order_number or emails or postcodes)

    verified_order = await _verified_order(session, conversation)
    reply_text: str | None = None
    links: list[Link] = []
    survey: SurveyOffer | None = None
    answer_about: Order | None = None
    newly_verified = False

    if not has_entity and classify_inquiry(text) == "other" and is_confirmation(text):
        done = await current_inquiry(session, conversation)
        if done is not None:
            await mark_inquiry_resolved(session, done, now)
            if done.satisfaction_rating is None:
                survey = satisfaction.offer_survey(settings, done)
            reply_text = replies.say(lang, "done_with_order", number=done.order_number)
        else:
            reply_text = replies.say(lang, "done")
    elif not has_entity and detected == "other" and wants_human(text):
        reply_text = replies.say(lang, "handover")
    elif order_number and not (
        verified_order is not None and verified_order.order_number.upper() == order_number.upper()
    ):
        if pending is not None and pending.upper() == order_number.upper():
            # The same order again: only new details count (the earlier ones were tried).
            factors = _Factors(emails=emails, postcodes=postcodes)
        else:
            # A new order: what the customer told us before may already prove it's theirs.
            earlier_emails, earlier_postcodes = _history_factors(history)
            factors = _Factors(
                emails=emails + earlier_emails,
                postcodes=postcodes + earlier_postcodes,
                known_customer=conversation.customer_id,
            )
        conversation.pending_order_number = order_number
        if not factors:
            reply_text = replies.say(lang, "ask_for_details", number=order_number)
        else:
            order = await _verify(
                session, conversation, order_number, factors, now, limiter, client_key, lang
            )
            if order is None:
                reply_text = replies.say(lang, "mismatch", number=order_number)
            else:
                answer_about, newly_verified = order, True
    elif order_number:  # the verified order again
        conversation.pending_order_number = None
        answer_about = verified_order
    elif (emails or postcodes) and pending:
        factors = _Factors(emails=emails, postcodes=postcodes)
        order = await _verify(
            session, conversation, pending, factors, now, limiter, client_key, lang
        )
        if order is None:
            reply_text = replies.say(lang, "mismatch", number=pending)
        else:
            answer_about, newly_verified = order, True
    elif verified_order is not None:
        answer_about = verified_order
    elif pending:
        reply_text = replies.say(lang, "ask_for_details", number=pending)
    elif emails or postcodes:
        reply_text = replies.say(lang, "which_order")
    elif detected != "other":
        reply_text = replies.say(lang, "ask_for_order")
    else:
        reply_text = replies.say(lang, "greeting")

    inquiry: OrderInquiry | None = None
    if answer_about is not None:
        inquiry_type = detected if detected != "other" else (previous or "status")
        inquiry, created = await track_order_inquiry(
            session, store, conversation, answer_about, inquiry_type, at=now
        )
        if detected == "other" and not created and not newly_verified:
            reply_text = replies.say(lang, "anything_else", number=answer_about.order_number)
        else:
            view = await order_view(session, answer_about, store, now)
            focus: InquiryType = detected if detected != "other" and not created else inquiry_type
            reply_text, links = compose_order_reply(
                view, lang, focus, first=newly_verified or created
            )
    else:
        inquiry = await current_inquiry(session, conversation)

    reply: Message | None = None
    if reply_text is not None and not conversation.escalated:
        reply_at = now + REPLY_LATENCY
        reply = Message(
            id=uuid.uuid4(),
            store_id=store.id,
            conversation_id=conversation.id,
            sender="assistant",
            text=reply_text,
            created_at=reply_at,
        )
        session.add(reply)
        if conversation.first_response_at is None:
            conversation.first_response_at = reply_at
        if inquiry is not None and inquiry.first_response_at is None:
            await _record_first_response(session, inquiry, reply_at)
    await session.flush()
    return ChatTurn(
        message=message,
        reply=reply,
        language=lang,
        links=links if reply is not None else [],
        detected_type=detected,
        detected_order_number=order_number,
        verified=conversation.verified_order_id is not None,
        inquiry=inquiry,
        survey=survey,
    )


async def _verified_order(session: AsyncSession, conversation: Conversation) -> Order | None:
    if conversation.verified_order_id is None:
        return None
    return (
        await session.scalars(
            for_store(Order, conversation.store_id).where(
                Order.id == conversation.verified_order_id
            )
        )
    ).first()


async def _verify(
    session: AsyncSession,
    conversation: Conversation,
    number: str,
    factors: _Factors,
    now: datetime,
    limiter: RateLimiter | None,
    client_key: str | None,
    lang: Lang,
) -> Order | None:
    """The order when `factors` prove the asker is its customer; otherwise a counted failure.

    An unknown order number fails exactly like wrong details, so replies never reveal
    whether an order exists.
    """
    await _ensure_may_verify(conversation, now, limiter, client_key, lang)
    order = await find_order_by_number(session, conversation.store_id, number)
    if order is not None and await _factors_match(session, order, factors):
        conversation.verified_order_id = order.id
        conversation.pending_order_number = None
        if conversation.customer_id is None:
            conversation.customer_id = order.customer_id
        return order
    await _register_failure(conversation, now, limiter, client_key)
    return None


# ---------------------------------------------------------------- closing


async def close_conversation(
    session: AsyncSession,
    conversation: Conversation,
    *,
    settings: Settings,
    now: datetime | None = None,
) -> tuple[list[OrderInquiry], SurveyOffer | None]:
    """Close the conversation; without escalation its open inquiries are resolved now.

    Returns the inquiries resolved by this close and a survey offer for the latest resolved,
    unrated inquiry. Closing again changes nothing.
    """
    now = ensure_aware(now, "now") if now else utcnow()
    inquiries = await conversation_inquiries(session, conversation)
    resolved: list[OrderInquiry] = []
    if conversation.closed_at is None:
        conversation.closed_at = max(now, conversation.started_at)
        if not conversation.escalated:
            for inquiry in inquiries:
                if not inquiry.resolved:
                    await mark_inquiry_resolved(session, inquiry, now)
                    resolved.append(inquiry)
        await session.flush()
    survey = None
    rateable = [i for i in inquiries if i.resolved and i.satisfaction_rating is None]
    if rateable:
        survey = satisfaction.offer_survey(settings, rateable[-1])
    return resolved, survey
