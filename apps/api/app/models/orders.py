import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base
from app.db.types import UTCDateTime
from app.models.common import CreatedAt, StoreScoped, utcnow


class Customer(StoreScoped, CreatedAt, Base):
    __tablename__ = "customers"

    email_hash: Mapped[str | None] = mapped_column(String(64))
    email: Mapped[str | None] = mapped_column(String(320))
    name: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (UniqueConstraint("store_id", "email_hash"),)


class Order(StoreScoped, Base):
    __tablename__ = "orders"

    order_number: Mapped[str] = mapped_column(String(100))
    external_id: Mapped[str | None] = mapped_column(String(100))
    customer_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # open | closed | cancelled | refunded (the merchant's status; fulfillment is derived)
    status: Mapped[str] = mapped_column(String(32), default="open")
    financial_status: Mapped[str | None] = mapped_column(String(32))
    fulfillment_status: Mapped[str | None] = mapped_column(String(32))
    total: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    shipping_postcode: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    local_date: Mapped[date] = mapped_column(Date)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    refunded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    promised_delivery_date: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("store_id", "order_number"),
        ForeignKeyConstraint(
            ["store_id", "customer_id"], ["customers.store_id", "customers.id"], ondelete="SET NULL"
        ),
        Index("ix_orders_store_local_date", "store_id", "local_date"),
        Index("ix_orders_store_external", "store_id", "external_id"),
        Index("ix_orders_store_customer", "store_id", "customer_id"),
    )


class Shipment(StoreScoped, Base):
    __tablename__ = "shipments"

    order_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    external_id: Mapped[str | None] = mapped_column(String(100))
    carrier: Mapped[str] = mapped_column(String(64))
    tracking_number: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(32), default="pending")
    shipped_at: Mapped[datetime] = mapped_column(UTCDateTime)
    shipped_local_date: Mapped[date] = mapped_column(Date)
    original_estimated_delivery: Mapped[date | None] = mapped_column(Date)
    estimated_delivery: Mapped[date | None] = mapped_column(Date)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_local_date: Mapped[date | None] = mapped_column(Date)
    exception_reason: Mapped[str | None] = mapped_column(String(64))
    # Denormalised facts the rollups need, kept current by the ingestion service:
    first_scan_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_event_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    had_exception: Mapped[bool] = mapped_column(Boolean, default=False)
    is_first_for_order: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("store_id", "carrier", "tracking_number"),
        ForeignKeyConstraint(
            ["store_id", "order_id"], ["orders.store_id", "orders.id"], ondelete="CASCADE"
        ),
        Index("ix_shipments_store_order", "store_id", "order_id"),
        Index("ix_shipments_store_shipped", "store_id", "shipped_local_date"),
        Index("ix_shipments_store_delivered", "store_id", "delivered_local_date"),
        Index("ix_shipments_store_external", "store_id", "external_id"),
        Index("ix_shipments_store_tracking", "store_id", "tracking_number"),
    )


class TrackingEvent(StoreScoped, Base):
    __tablename__ = "tracking_events"

    shipment_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(32))
    subtag: Mapped[str | None] = mapped_column(String(64))
    description: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String(255))
    provider_event_id: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("store_id", "shipment_id", "provider_event_id"),
        ForeignKeyConstraint(
            ["store_id", "shipment_id"], ["shipments.store_id", "shipments.id"], ondelete="CASCADE"
        ),
        Index("ix_tracking_events_store_shipment_time", "store_id", "shipment_id", "occurred_at"),
    )


class WebhookDelivery(Base):
    """One row per processed delivery: a repeated delivery id is recognised and ignored."""

    __tablename__ = "webhook_deliveries"

    store_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("stores.id", ondelete="CASCADE"), primary_key=True
    )
    provider: Mapped[str] = mapped_column(String(32), primary_key=True)
    delivery_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    topic: Mapped[str | None] = mapped_column(String(64))
    # processed | ignored (verified, nothing to store) | parked (waits for its order/shipment)
    outcome: Mapped[str | None] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WebhookAttempt(StoreScoped, Base):
    """A tracking delivery that changed nothing, kept a few days so the settings page can
    count it: a repeat of a processed delivery ("duplicate") or one refused for its
    signature ("rejected", with the reason). Never the body."""

    __tablename__ = "webhook_attempts"

    provider: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(200))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        Index("ix_webhook_attempts_store_provider_at", "store_id", "provider", "received_at"),
    )


class ParkedWebhook(StoreScoped, Base):
    """A verified payload that names an order or shipment the store does not know yet.

    Providers do not retry a 2xx, so such a payload is kept and applied when its order
    (`waits_for` "order", key: the order's external id) or shipment ("shipment", key: the
    tracking number, upper case) appears; it is dropped after `expires_at`.
    """

    __tablename__ = "parked_webhooks"

    provider: Mapped[str] = mapped_column(String(32))
    topic: Mapped[str | None] = mapped_column(String(64))
    delivery_id: Mapped[str] = mapped_column(String(200))
    waits_for: Mapped[str] = mapped_column(String(16))
    wait_key: Mapped[str] = mapped_column(String(100))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint(
            "store_id", "provider", "delivery_id", "wait_key", name="uq_parked_webhooks_delivery"
        ),
        Index("ix_parked_webhooks_store_wait", "store_id", "waits_for", "wait_key"),
    )
