import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base
from app.db.types import SecretText, UTCDateTime
from app.models.common import CreatedAt, utcnow


class HelpdeskConnection(CreatedAt, Base):
    """A store's link to a helpdesk (zendesk, gorgias): the secret its webhooks prove."""

    __tablename__ = "helpdesk_connections"

    store_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("stores.id", ondelete="CASCADE"), primary_key=True
    )
    provider: Mapped[str] = mapped_column(String(16), primary_key=True)
    secret: Mapped[str] = mapped_column(SecretText)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
