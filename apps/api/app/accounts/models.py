import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base
from app.db.types import UTCDateTime
from app.models.common import CreatedAt, StoreScoped, utcnow


class Installation(Base):
    """One row once the first owner signed up: a second sign-up, even a concurrent one,
    collides on the primary key."""

    __tablename__ = "installation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    signed_up_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Invite(StoreScoped, CreatedAt, Base):
    """An emailed invitation to join a store with a role; its link is signed, expires and
    works once (`accepted_at`); deleting the row revokes it."""

    __tablename__ = "invites"

    email: Mapped[str] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(16))
    invited_by: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="SET NULL")
    )
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_invites_store_email", "store_id", "email"),)


class AuditEvent(StoreScoped, Base):
    __tablename__ = "audit_events"

    actor: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(500))
    ip: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_audit_events_store_at", "store_id", "at", "id"),)
