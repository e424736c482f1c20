"""The order-status assistant's chat API (DESIGN 6, Chat).

Callers: a store API key or dashboard user (server-side integrations, helpdesks, agents), or
the store's public widget key in `X-Widget-Key` (the browser widget: customer messages
only, rate-limited per widget key and client address).
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Header, Query, Request, Response

from app.analytics.schemas import NamedRange
from app.analytics.service import DateRange, resolve_range
from app.api.deps import (
    CurrentAccess,
    RateLimiterDep,
    SessionDep,
    SettingsDep,
    client_address,
    get_current_access,
)
from app.api.errors import responses
from app.api.roles import ANALYST, CHAT
from app.assistant import chat, conversations
from app.assistant.language import Lang
from app.assistant.schemas import (
    ChatMessageOut,
    ConversationClosed,
    ConversationCreate,
    ConversationDetail,
    ConversationOut,
    ConversationPage,
    InquirySummary,
    MessageCreate,
    MessageResult,
    Outcome,
    ReplyOut,
)
from app.core.errors import (
    AuthenticationError,
    PermissionDeniedError,
    RateLimitedError,
    ValidationError,
)
from app.core.rate_limit import Limit, rate_key
from app.core.timeutils import utcnow
from app.core.vocab import InquiryType
from app.models import Message, OrderInquiry, Store
from app.stores.widget_settings import origin_allowed

router = APIRouter(prefix="/chat", tags=["chat"])

#: Requests per widget key and client address (all chat routes together).
WIDGET_REQUESTS = Limit(count=60, window_seconds=60)


def get_clock() -> Callable[[], datetime]:
    """The time of each chat event; tests override it to replay conversations at set times."""
    return utcnow


ClockDep = Annotated[Callable[[], datetime], Depends(get_clock)]


@dataclass
class ChatCaller:
    store: Store
    via_widget: bool
    client: str
    role: str | None = None  # the member's role, or the API key's; None for the widget

    @property
    def disclosure(self) -> conversations.Disclosure:
        if self.role is None:
            return "customer"
        return conversations.disclosure_for_role(self.role)

    @property
    def client_key(self) -> str:
        return rate_key(self.store.id, self.client)


async def get_chat_caller(
    request: Request,
    session: SessionDep,
    limiter: RateLimiterDep,
    background: BackgroundTasks,
    x_widget_key: Annotated[
        str | None, Header(description="the store's public widget key (browser widget)")
    ] = None,
    x_store_id: Annotated[str | None, Header(description="the store, for dashboard users")] = None,
) -> ChatCaller:
    """The store from its widget key, or from an API key or dashboard user."""
    client = client_address(request)
    if x_widget_key:
        store = await chat.store_for_widget_key(session, x_widget_key.strip())
        if store is None:
            raise AuthenticationError("unknown widget key")
        origin = request.headers.get("origin")
        if origin is not None and origin != str(request.base_url).rstrip("/"):
            # A page elsewhere: only the origins the store allows (browsers enforce CORS;
            # refusing here also stops a page that skips the preflight).
            if not origin_allowed(store, origin):
                raise PermissionDeniedError("this site may not use the store's chat widget")
            request.state.widget_origin = origin
        decision = await limiter.hit(rate_key("widget", store.id, client), WIDGET_REQUESTS)
        if not decision.allowed:
            raise RateLimitedError(
                "too many chat requests; slow down", retryAfter=decision.retry_after
            )
        return ChatCaller(store, via_widget=True, client=client)
    access = await get_current_access(request, session, background, x_store_id)
    return ChatCaller(access.store, via_widget=False, client=client, role=access.role)


ChatCallerDep = Annotated[ChatCaller, Depends(get_chat_caller)]


def _summary(inquiry: OrderInquiry | None) -> InquirySummary | None:
    return InquirySummary.model_validate(inquiry) if inquiry is not None else None


def _message_out(message: Message) -> ChatMessageOut:
    return ChatMessageOut.model_validate(message)


@router.post(
    "/conversations",
    dependencies=[CHAT],
    status_code=201,
    responses=responses(401, 403, 404, 422, 429),
)
async def start_conversation(
    body: ConversationCreate, caller: ChatCallerDep, session: SessionDep, clock: ClockDep
) -> ConversationOut:
    conversation = await chat.start_conversation(session, caller.store, body, now=clock())
    return conversations.conversation_out(conversation, None)


def optional_range_dep(
    access: CurrentAccess,
    date_range: Annotated[
        NamedRange | None,
        Query(description="7d, 30d, 90d (ending today) or custom; without it, all time"),
    ] = None,
    start: Annotated[date | None, Query(description="custom range start (store-local)")] = None,
    end: Annotated[date | None, Query(description="custom range end, inclusive")] = None,
) -> DateRange | None:
    """The analytics endpoints' range parameters, here optional."""
    if date_range is None:
        if start is not None or end is not None:
            raise ValidationError("start and end are only accepted with date_range=custom")
        return None
    return resolve_range(date_range, start, end, access.store.timezone)


@router.get(
    "/conversations",
    dependencies=[ANALYST],
    responses=responses(401, 404, 422),
)
async def list_conversations(
    access: CurrentAccess,
    session: SessionDep,
    response: Response,
    rng: Annotated[DateRange | None, Depends(optional_range_dep)],
    inquiry_type: Annotated[
        list[InquiryType] | None, Query(description="repeatable: conversations about any of them")
    ] = None,
    language: Annotated[list[Lang] | None, Query(description="repeatable")] = None,
    outcome: Annotated[
        list[Outcome] | None, Query(description="repeatable: resolved, escalated or open")
    ] = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ConversationPage:
    """The store's conversations for agents, newest first (by start); pass nextCursor for the
    next page. Store API keys, owners and admins see customers' emails and names; analysts
    see them masked."""
    response.headers["Cache-Control"] = "no-store"
    filters = conversations.ConversationFilters(
        inquiry_types=inquiry_type or (),
        languages=language or (),
        outcomes=outcome or (),
        range=rng,
    )
    return await conversations.list_conversations(
        session,
        access.store.id,
        access.store.timezone,
        filters,
        disclosure=conversations.disclosure_for_role(access.role),
        cursor=cursor,
        limit=limit,
    )


@router.get(
    "/conversations/{conversation_id}", dependencies=[CHAT], responses=responses(401, 403, 404, 429)
)
async def get_conversation(
    conversation_id: uuid.UUID, caller: ChatCallerDep, session: SessionDep, response: Response
) -> ConversationDetail:
    """The transcript with its inquiries (messages may hold order details: not cacheable).

    Owners, admins and API keys see the customer's email and name; for analysts they are
    masked, and so are emails in the messages. The widget (its customer) sees the messages
    as written and no customer record."""
    response.headers["Cache-Control"] = "no-store"
    return await conversations.conversation_detail(
        session, caller.store.id, conversation_id, disclosure=caller.disclosure
    )


@router.post(
    "/conversations/{conversation_id}/messages",
    dependencies=[CHAT],
    status_code=201,
    responses=responses(401, 403, 404, 409, 422, 429),
)
async def post_message(
    conversation_id: uuid.UUID,
    body: MessageCreate,
    caller: ChatCallerDep,
    session: SessionDep,
    settings: SettingsDep,
    limiter: RateLimiterDep,
    clock: ClockDep,
) -> MessageResult:
    """A customer's message and the assistant's reply, or an agent's message (hand-over)."""
    if body.sender == "agent" and caller.via_widget:
        raise PermissionDeniedError("agent messages need a store API key or a dashboard login")
    conversation = await chat.get_conversation(
        session, caller.store.id, conversation_id, for_update=True
    )
    turn = await chat.post_message(
        session,
        caller.store,
        conversation,
        body.text,
        body.sender,
        settings=settings,
        now=clock(),
        limiter=limiter,
        # Per-client counting for the public widget only: an integration's server speaks
        # for many customers from one address (its conversations are still limited).
        client_key=caller.client_key if caller.via_widget else None,
    )
    reply = None
    if turn.reply is not None:
        reply = ReplyOut(
            id=turn.reply.id,
            sender="assistant",
            text=turn.reply.text,
            created_at=turn.reply.created_at,
            links=turn.links,
        )
    return MessageResult(
        message=_message_out(turn.message),
        language=turn.language,
        reply=reply,
        detected_inquiry_type=turn.detected_type,
        detected_order_number=turn.detected_order_number,
        verified=turn.verified,
        inquiry=_summary(turn.inquiry),
        survey=turn.survey,
    )


@router.post(
    "/conversations/{conversation_id}/close",
    dependencies=[CHAT],
    responses=responses(401, 403, 404, 429),
)
async def close_conversation(
    conversation_id: uuid.UUID,
    caller: ChatCallerDep,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> ConversationClosed:
    """Close; without an agent hand-over the conversation's open inquiries are resolved."""
    conversation = await chat.get_conversation(
        session, caller.store.id, conversation_id, for_update=True
    )
    resolved, survey = await chat.close_conversation(
        session, conversation, settings=settings, now=clock()
    )
    current = await chat.current_inquiry(session, conversation)
    base = conversations.conversation_out(conversation, current.order_number if current else None)
    return ConversationClosed(
        **base.model_dump(),
        resolved_inquiries=[InquirySummary.model_validate(i) for i in resolved],
        survey=survey,
    )
