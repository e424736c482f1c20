import uuid
from datetime import date, datetime
from decimal import Decimal

from pydantic import AwareDatetime, EmailStr, Field

from app.core.schemas import CamelModel
from app.core.vocab import Channel, InquiryType, OrderStatus, ShipmentStatus


class OrderUpsert(CamelModel):
    created_at: AwareDatetime
    customer_email: EmailStr | None = None
    customer_name: str | None = Field(default=None, max_length=200)
    status: str | None = Field(default=None, pattern="^(open|closed|cancelled|refunded)$")
    financial_status: str | None = Field(default=None, max_length=32)
    fulfillment_status: str | None = Field(
        default=None, pattern="^(unfulfilled|partial|fulfilled)$"
    )
    total: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    currency: str | None = Field(default=None, pattern="^[A-Z]{3}$")
    shipping_postcode: str | None = Field(default=None, max_length=32)
    promised_delivery_date: date | None = None
    cancelled_at: AwareDatetime | None = None
    refunded_at: AwareDatetime | None = Field(
        default=None, description="when the order became fully refunded"
    )
    external_id: str | None = Field(default=None, min_length=1, max_length=100)


class OrderOut(CamelModel):
    id: uuid.UUID
    order_number: str
    status: str
    financial_status: str | None
    fulfillment_status: str | None
    created_at: datetime
    local_date: date
    cancelled_at: datetime | None
    refunded_at: datetime | None
    promised_delivery_date: date | None


class ShipmentCreate(CamelModel):
    carrier: str = Field(min_length=1, max_length=64)
    tracking_number: str = Field(min_length=1, max_length=100)
    shipped_at: AwareDatetime
    estimated_delivery: date | None = None
    external_id: str | None = Field(
        default=None, max_length=100, description="the source's id, e.g. a Shopify fulfillment"
    )


class ShipmentOut(CamelModel):
    id: uuid.UUID
    order_id: uuid.UUID
    carrier: str
    tracking_number: str
    status: str
    shipped_at: datetime
    shipped_local_date: date
    original_estimated_delivery: date | None
    estimated_delivery: date | None
    delivered_at: datetime | None
    exception_reason: str | None


class TrackingEventCreate(CamelModel):
    occurred_at: AwareDatetime
    status: ShipmentStatus
    subtag: str | None = Field(default=None, max_length=64)
    description: str | None = Field(default=None, max_length=2000)
    location: str | None = Field(default=None, max_length=255)
    event_id: str | None = Field(default=None, max_length=200)
    estimated_delivery: date | None = None


class TrackingEventOut(CamelModel):
    id: uuid.UUID
    shipment_id: uuid.UUID
    occurred_at: datetime
    status: str
    subtag: str | None
    description: str | None
    location: str | None
    created: bool = Field(description="false when this event id had already been received")
    shipment_status: str


class InquiryCreate(CamelModel):
    order_number: str | None = Field(default=None, max_length=100)
    customer_email: EmailStr | None = None
    inquiry_type: InquiryType
    channel: Channel = "other"
    created_at: AwareDatetime | None = None
    first_response_at: AwareDatetime | None = None
    resolved_at: AwareDatetime | None = None
    escalated: bool = False
    rating: int | None = Field(default=None, ge=1, le=5)
    effort_score: int | None = Field(default=None, ge=1, le=7)
    feedback: str | None = Field(default=None, max_length=5000)
    external_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="the helpdesk's id; a retry returns the original",
    )


class InquiryUpdate(CamelModel):
    """A later outcome of an inquiry; fields left out stay as they are."""

    first_response_at: AwareDatetime | None = None
    resolved_at: AwareDatetime | None = Field(
        default=None, description="replaces an earlier resolution (a reopened ticket solved again)"
    )
    escalated: bool | None = None
    rating: int | None = Field(default=None, ge=1, le=5)
    effort_score: int | None = Field(default=None, ge=1, le=7)
    feedback: str | None = Field(default=None, max_length=5000)


class InquiryUpsert(InquiryUpdate):
    """The inquiry a helpdesk knows by its own id: created when new, else its outcome set."""

    order_number: str | None = Field(default=None, max_length=100)
    customer_email: EmailStr | None = None
    inquiry_type: InquiryType
    channel: Channel = "other"
    created_at: AwareDatetime | None = None


class InquiryResolve(CamelModel):
    resolved_at: AwareDatetime | None = None


class InquiryOut(CamelModel):
    id: uuid.UUID
    order_number: str | None
    inquiry_type: InquiryType
    order_status: OrderStatus | None
    channel: Channel
    carrier: str | None
    created_at: datetime
    local_date: date
    is_repeat: bool
    resolved: bool
    resolved_at: datetime | None
    resolution_seconds: int | None
    first_response_at: datetime | None
    escalated: bool
    satisfaction_rating: int | None
    effort_score: int | None
