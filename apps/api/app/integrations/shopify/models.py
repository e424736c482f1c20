import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base
from app.db.types import SecretText, UTCDateTime
from app.models.common import CreatedAt


class ShopifyConnection(CreatedAt, Base):
    """A store's installed Shopify app: the shop and its offline access token (encrypted).
    Uninstalling clears the token and stops syncing; the store's data stays."""

    __tablename__ = "shopify_connections"

    store_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("stores.id", ondelete="CASCADE"), primary_key=True
    )
    shop_domain: Mapped[str] = mapped_column(String(255))
    access_token: Mapped[str | None] = mapped_column(SecretText)
    scopes: Mapped[str] = mapped_column(String(1000), default="")
    api_version: Mapped[str] = mapped_column(String(16))
    webhook_topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    installed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    uninstalled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ShopifyOAuthState(CreatedAt, Base):
    """A pending install: the state nonce sent to Shopify (only its SHA-256 kept), single-use."""

    __tablename__ = "shopify_oauth_states"

    store_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("stores.id", ondelete="CASCADE"), primary_key=True
    )
    nonce_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    shop_domain: Mapped[str] = mapped_column(String(255))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_shopify_oauth_states_store", "store_id", "expires_at"),)


class ShopifyBackfill(CreatedAt, Base):
    """One history import: the bulk operation it waits for and how far its result was read.

    `lines_done` counts result lines whose writes are committed (in the same transaction), so
    a run that dies resumes at the first line not yet applied."""

    __tablename__ = "shopify_backfills"

    store_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("stores.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    days: Mapped[int] = mapped_column(Integer)
    since: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    bulk_operation_id: Mapped[str | None] = mapped_column(String(200))
    object_count: Mapped[int | None] = mapped_column(Integer)
    lines_done: Mapped[int] = mapped_column(Integer, default=0)
    orders_done: Mapped[int] = mapped_column(Integer, default=0)
    orders_failed: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(500))
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_shopify_backfills_store", "store_id", "created_at"),)
