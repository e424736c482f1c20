import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base
from app.db.types import SecretText, UTCDateTime
from app.models.common import CreatedAt


class Store(CreatedAt, Base):
    __tablename__ = "stores"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200))
    domain: Mapped[str | None] = mapped_column(String(255), unique=True)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    shopify_webhook_secret: Mapped[str | None] = mapped_column(SecretText)
    tracking_webhook_secret: Mapped[str | None] = mapped_column(SecretText)
    widget_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Origins ("https://shop.example.com") whose pages may embed the chat widget (CORS).
    widget_allowed_origins: Mapped[list[str]] = mapped_column(
        JSON, default=list, server_default="[]"
    )
    alert_webhook_url: Mapped[str | None] = mapped_column(SecretText)
    # Signs alert webhook deliveries (HMAC-SHA256 of the body); shown once when set.
    alert_webhook_secret: Mapped[str | None] = mapped_column(SecretText)
    # A new random value whenever a business-hours version is written (None: no versions).
    # It keys the process-wide calendar cache, so a write reads the versions only after a
    # change, whichever process made it; a rolled-back change's value is never seen again.
    business_hours_token: Mapped[str | None] = mapped_column(String(32))


class User(CreatedAt, Base):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))


class UserSession(CreatedAt, Base):
    """A dashboard login; the cookie or bearer token holds a random value, only its SHA-256
    is stored, so deleting the row ends the session (logout, password change)."""

    __tablename__ = "user_sessions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_user_sessions_user", "user_id", "expires_at"),)


class StoreMember(CreatedAt, Base):
    __tablename__ = "store_members"

    store_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("stores.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(16), default="analyst")  # owner | admin | analyst

    __table_args__ = (Index("ix_store_members_user", "user_id"),)


class ApiKey(CreatedAt, Base):
    __tablename__ = "api_keys"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stores.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200), default="default")
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(32))
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_api_keys_store", "store_id", "created_at"),)
