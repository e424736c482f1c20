import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKeyConstraint, Index, Integer, String, Text, Uuid, false
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base
from app.db.types import UTCDateTime
from app.models.common import StoreScoped, utcnow


class Conversation(StoreScoped, Base):
    __tablename__ = "conversations"

    customer_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    channel: Mapped[str] = mapped_column(String(16), default="chat")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    verified_order_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    pending_order_number: Mapped[str | None] = mapped_column(String(100))
    failed_verifications: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_verification_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The language replies are written in (app.assistant.language); pinned when the widget
    # asked for one, otherwise detected from the customer's messages.
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    language_pinned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (
        ForeignKeyConstraint(
            ["store_id", "customer_id"], ["customers.store_id", "customers.id"], ondelete="SET NULL"
        ),
        Index("ix_conversations_store_started", "store_id", "started_at"),
    )


class Message(StoreScoped, Base):
    __tablename__ = "messages"

    conversation_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    sender: Mapped[str] = mapped_column(String(16))  # customer | assistant | agent
    text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        ForeignKeyConstraint(
            ["store_id", "conversation_id"],
            ["conversations.store_id", "conversations.id"],
            ondelete="CASCADE",
        ),
        Index("ix_messages_store_conversation", "store_id", "conversation_id", "created_at"),
        Index("ix_messages_store_created", "store_id", "created_at"),
    )
