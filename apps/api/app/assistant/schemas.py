"""Chat (the order-status assistant) and satisfaction survey requests and responses."""

import uuid
from datetime import datetime
from typing import Literal

from pydantic import EmailStr, Field

from app.analytics.schemas import RollingSatisfaction, SatisfactionMetrics
from app.assistant.language import Lang
from app.core.schemas import CamelModel
from app.core.vocab import Channel, InquiryType, OrderStatus

Sender = Literal["customer", "assistant", "agent"]


class ConversationCreate(CamelModel):
    channel: Channel = "chat"
    customer_email: EmailStr | None = Field(
        default=None,
        description="the customer's email when the caller knows it (counts as the email "
        "factor of the verification, exactly as if the customer had typed it)",
    )
    lang: str | None = Field(
        default=None,
        max_length=35,
        description="the language to reply in for the whole conversation (en, es, fr, de, it, "
        "pt or nl; a locale such as es-MX counts as es; anything else is ignored). Without "
        "it the language is detected from the customer's messages.",
    )


class MessageCreate(CamelModel):
    text: str = Field(min_length=1, max_length=2000)
    sender: Literal["customer", "agent"] = Field(
        default="customer",
        description="agent messages need a store API key or a dashboard user (not a widget key)",
    )


class ChatMessageOut(CamelModel):
    id: uuid.UUID
    sender: Sender
    text: str | None
    created_at: datetime


class Link(CamelModel):
    label: str
    url: str


class ReplyOut(ChatMessageOut):
    links: list[Link] = Field(default_factory=list, description="e.g. the carrier's tracking page")


class InquirySummary(CamelModel):
    id: uuid.UUID
    inquiry_type: InquiryType
    order_number: str | None
    order_status: OrderStatus | None
    is_repeat: bool
    resolved: bool
    escalated: bool


class SurveyOffer(CamelModel):
    inquiry_id: uuid.UUID
    token: str = Field(description="signed, single-use; POST it to /satisfaction/{inquiryId}")
    url: str
    expires_at: datetime


class ConversationOut(CamelModel):
    id: uuid.UUID
    channel: Channel
    language: Lang = Field(description="the language the assistant replies in")
    started_at: datetime
    first_response_at: datetime | None
    closed_at: datetime | None
    escalated: bool
    verified: bool
    verified_order_number: str | None


Outcome = Literal["resolved", "escalated", "open"]
OUTCOME_HELP = (
    "escalated: an agent took over (or an inquiry was escalated); resolved: otherwise, "
    "closed, or every inquiry resolved; open: the rest"
)


class ConversationCustomer(CamelModel):
    email: str | None = Field(
        description="b***@mail.example.com unless the caller's role may see customer data"
    )
    name: str | None = Field(description="masked like the email (B*** Q***)")


class ConversationRow(CamelModel):
    id: uuid.UUID
    started_at: datetime
    closed_at: datetime | None
    channel: Channel
    language: Lang
    message_count: int
    inquiry_types: list[InquiryType] = Field(description="distinct, in the order first asked")
    order_numbers: list[str] = Field(description="the orders asked about, in order")
    outcome: Outcome = Field(description=OUTCOME_HELP)
    rating: float | None = Field(description="mean survey rating (1-5) of its inquiries")
    customer: ConversationCustomer | None


class ConversationPage(CamelModel):
    items: list[ConversationRow]
    next_cursor: str | None
    pii_masked: bool = Field(description="customer emails and names are masked for this caller")


class ConversationInquiry(InquirySummary):
    created_at: datetime
    rating: int | None


class ConversationDetail(ConversationOut):
    messages: list[ChatMessageOut] = Field(
        description="oldest first; emails in the text are masked when piiMasked"
    )
    inquiries: list[ConversationInquiry]
    outcome: Outcome = Field(description=OUTCOME_HELP)
    rating: float | None = Field(description="mean survey rating (1-5) of its inquiries")
    customer: ConversationCustomer | None = Field(
        description="null for the widget (the customer is the caller) and without a customer"
    )
    pii_masked: bool


class ConversationClosed(ConversationOut):
    resolved_inquiries: list[InquirySummary]
    survey: SurveyOffer | None


class MessageResult(CamelModel):
    message: ChatMessageOut
    language: Lang = Field(description="the conversation's language after this message")
    reply: ReplyOut | None = Field(description="null for agent messages and after a hand-over")
    detected_inquiry_type: InquiryType | None = Field(
        description="the classifier's label for a customer message (a bare order number, "
        "email or postcode carries the conversation's previous type forward); null for agents"
    )
    detected_order_number: str | None
    verified: bool
    inquiry: InquirySummary | None
    survey: SurveyOffer | None


# ---------------------------------------------------------------- widget settings


class WidgetSettingsOut(CamelModel):
    widget_key: str | None = Field(description="public: it goes into the store's pages")
    allowed_origins: list[str] = Field(
        description="origins (scheme://host[:port]) whose pages may embed the widget"
    )
    embed_snippet: str


class WidgetSettingsUpdate(CamelModel):
    allowed_origins: list[str] = Field(max_length=20)


# ---------------------------------------------------------------- satisfaction


class SatisfactionCreate(CamelModel):
    token: str = Field(min_length=1, max_length=2000)
    rating: int = Field(ge=1, le=5)
    effort_score: int | None = Field(default=None, ge=1, le=7)
    feedback: str | None = Field(default=None, max_length=2000)


class SatisfactionOut(CamelModel):
    inquiry_id: uuid.UUID
    rating: int
    effort_score: int | None
    feedback: str | None
    customer_satisfied: bool
    created_at: datetime


class SatisfactionTrends(CamelModel):
    trends: SatisfactionMetrics
    rolling7: RollingSatisfaction
    rolling30: RollingSatisfaction


__all__ = [
    "ChatMessageOut",
    "ConversationClosed",
    "ConversationCreate",
    "ConversationCustomer",
    "ConversationDetail",
    "ConversationInquiry",
    "ConversationOut",
    "ConversationPage",
    "ConversationRow",
    "InquirySummary",
    "Link",
    "MessageCreate",
    "MessageResult",
    "Outcome",
    "ReplyOut",
    "RollingSatisfaction",
    "SatisfactionCreate",
    "SatisfactionOut",
    "SatisfactionTrends",
    "SurveyOffer",
    "WidgetSettingsOut",
    "WidgetSettingsUpdate",
]
