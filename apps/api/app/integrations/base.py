"""The shape of a webhook provider: verify the raw body, then parse it into ingestion's terms.

A provider module exposes an object with `name`, `verify(headers, body, secret)` (raises
`AuthenticationError`; nothing is read before it passes) and `parse(headers, body)`, which
returns a `ParsedDelivery`: the provider's delivery id (the idempotency key), its topic and
the command for ingestion, or `None` when the delivery carries nothing to store. The
receiver that owns the provider kind (helpdesks: `app.integrations.helpdesk`) does the rest:
store lookup, secret, idempotency row and the ingestion calls, in one transaction.
"""

import base64
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from app.core.errors import AuthenticationError
from app.core.vocab import Channel

CommandT = TypeVar("CommandT")


@dataclass(frozen=True)
class ParsedDelivery(Generic[CommandT]):
    delivery_id: str
    topic: str
    command: CommandT | None  # None: verified, but nothing to store
    detail: str | None = None


class WebhookProvider(Protocol[CommandT]):
    name: str

    def verify(self, headers: Mapping[str, str], body: bytes, secret: str) -> None: ...

    def parse(self, headers: Mapping[str, str], body: bytes) -> ParsedDelivery[CommandT]: ...


@dataclass(frozen=True)
class TicketUpdate:
    """What one helpdesk delivery says about one ticket; fields it does not carry are None."""

    ticket_id: str
    created_at: datetime | None = None
    subject: str | None = None
    text: str | None = None
    requester_email: str | None = None
    channel: Channel = "other"
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    rating: int | None = None  # 1-5
    feedback: str | None = None


def hmac_base64(secret: str, message: bytes) -> bytes:
    return base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest())


def require(valid: bool, what: str) -> None:
    if not valid:
        raise AuthenticationError(f"invalid or missing {what}")


def header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name) or headers.get(name.lower())
    return value.strip() if value else None
