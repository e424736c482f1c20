"""The order-status assistant's chat API (DESIGN 6, Chat).

Callers: a store API key or dashboard user (server-side integrations, helpdesks, agents), or
the store's public widget key in `X-Widget-Key` (the browser widget: customer messages
only, rate-limited per widget key and client address).
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Header, Request, Response

from app.api.deps import (
    RateLimiterDep,
    SessionDep,
    SettingsDep,
    client_address,
    get_current_store,
)
from app.api.errors import responses
from app.core.errors import AuthenticationError, PermissionDeniedError, RateLimitedError
from app.core.timeutils import utcnow
from app.models import Conversation, Message, OrderInquiry, Store
from app.schemas.chat import (
    ChatMessageOut,
    ConversationClosed,
    ConversationCreate,
    ConversationDetail,
    ConversationOut,
    InquirySummary,
    MessageCreate,
    MessageResult,
    ReplyOut,
)
from app.services import chat
from app.services.rate_limit import Limit, rate_key

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
        decision = await limiter.hit(rate_key("widget", store.id, client), WIDGET_REQUESTS)
        if not decision.allowed:
            raise RateLimitedError(
                "too many chat requests; slow down", retryAfter=decision.retry_after
            )
        return ChatCaller(store, via_widget=True, client=client)
    store = await get_current_store(request, session, background, x_store_id)
    return ChatCaller(store, via_widget=False, client=client)


ChatCallerDep = Annotated[ChatCaller, Depends(get_chat_caller)]


def _summary(inquiry: OrderInquiry | None) -> InquirySummary | None:
    return InquirySummary.model_validate(inquiry) if inquiry is not None else None


def _conversation_out(conversation: Conversation, verified_number: str | None) -> ConversationOut:
    return ConversationOut(
        id=conversation.id,
        channel=conversation.channel,
        started_at=conversation.started_at,
        first_response_at=conversation.first_response_at,
        closed_at=conversation.closed_at,
        escalated=conversation.escalated,
        verified=conversation.verified_order_id is not None,
        verified_order_number=verified_number,
    )


def _message_out(message: Message) -> ChatMessageOut:
    return ChatMessageOut.model_validate(message)


@router.post("/conversations", status_code=201, responses=responses(401, 404, 422, 429))
async def start_conversation(
    body: ConversationCreate, caller: ChatCallerDep, session: SessionDep, clock: ClockDep
) -> ConversationOut:
    conversation = await chat.start_conversation(session, caller.store, body, now=clock())
    return _conversation_out(conversation, None)


@router.get("/conversations/{conversation_id}", responses=responses(401, 404, 429))
async def get_conversation(
    conversation_id: uuid.UUID, caller: ChatCallerDep, session: SessionDep, response: Response
) -> ConversationDetail:
    """The conversation with its messages (they may hold order details: not cacheable)."""
    response.headers["Cache-Control"] = "no-store"
    conversation = await chat.get_conversation(session, caller.store.id, conversation_id)
    messages = await chat.list_messages(session, conversation)
    inquiries = await chat.conversation_inquiries(session, conversation)
    current = await chat.current_inquiry(session, conversation)
    base = _conversation_out(conversation, current.order_number if current else None)
    return ConversationDetail(
        **base.model_dump(),
        messages=[_message_out(m) for m in messages],
        inquiries=[InquirySummary.model_validate(i) for i in inquiries],
    )


@router.post(
    "/conversations/{conversation_id}/messages",
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
        reply=reply,
        detected_inquiry_type=turn.detected_type,
        detected_order_number=turn.detected_order_number,
        verified=turn.verified,
        inquiry=_summary(turn.inquiry),
        survey=turn.survey,
    )


@router.post("/conversations/{conversation_id}/close", responses=responses(401, 404, 429))
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
    base = _conversation_out(conversation, current.order_number if current else None)
    return ConversationClosed(
        **base.model_dump(),
        resolved_inquiries=[InquirySummary.model_validate(i) for i in resolved],
        survey=survey,
    )
