"""Zendesk webhooks: `POST /api/v1/webhooks/zendesk?store=<store id>`.

Signature (https://developer.zendesk.com/documentation/webhooks/verifying/):
`X-Zendesk-Webhook-Signature` = base64(HMAC-SHA256(signing secret, timestamp + raw body)) with
the timestamp from `X-Zendesk-Webhook-Signature-Timestamp`; the signing secret is the
webhook's, shown in Zendesk Admin Center and pasted into the store's settings.

Two payload shapes are read (sources in tests/data/helpdesk/SOURCES.md):

- ticket event webhooks, `{"type": "zen:event-type:ticket.<event>", "id", "time",
  "subject": "zen:ticket:<id>", "detail": <ticket>, "event": {...}}`: `ticket.created`,
  `ticket.comment_added` (a public comment by staff is a response), `ticket.status_changed`
  (to solved or closed is the resolution); idempotent on the event `id`;
- a trigger's webhook whose JSON body is the ticket in the Tickets API shape,
  `{"ticket": {id, subject, description, status, created_at, updated_at, via: {channel},
  requester: {email}, satisfaction_rating: {score, comment}}}` (the body template is in the
  README): this is how CSAT arrives, as `satisfaction_rating.score` good or bad; a solved or
  closed status resolves at `updated_at`. Idempotent on the digest of the signed timestamp
  and body, not on the unsigned invocation id header: a captured request replayed later,
  whatever its other headers, is a duplicate and cannot put back an older rating.

Zendesk CSAT is binary: good is read as rating 5 and bad as 1, so a good rating counts as
satisfied (rating 4 or more) and the 1-5 average stays meaningful next to other channels.
"""

import hmac
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from app.core.errors import ValidationError
from app.core.vocab import Channel
from app.integrations.base import ParsedDelivery, TicketUpdate, header, hmac_base64, require
from app.integrations.common import body_digest, obj, optional_timestamp, parse_json_object, string

SIGNATURE_HEADER: Final = "X-Zendesk-Webhook-Signature"
TIMESTAMP_HEADER: Final = "X-Zendesk-Webhook-Signature-Timestamp"
EVENT_PREFIX: Final = "zen:event-type:ticket."
SOLVED: Final = frozenset({"solved", "closed"})
RATINGS: Final = {"good": 5, "bad": 1}
_CHANNELS: dict[str, Channel] = {
    "email": "email",
    "mail": "email",
    "web": "email",
    "web_form": "email",
    "chat": "chat",
    "native_messaging": "chat",
    "messaging": "chat",
    "sms": "chat",
    "whatsapp": "social",
    "voice": "phone",
    "phone": "phone",
    "facebook": "social",
    "twitter": "social",
    "instagram_dm": "social",
}


def channel_of(via: Any) -> Channel:
    name = (string(via) or "").lower().replace(" ", "_")
    return _CHANNELS.get(name, "other")


def rating_of(score: Any) -> int | None:
    """good -> 5, bad -> 1; offered, unoffered or nothing -> None."""
    return RATINGS.get((string(score) or "").lower())


class ZendeskProvider:
    name = "zendesk"

    def verify(self, headers: Mapping[str, str], body: bytes, secret: str) -> None:
        signature = header(headers, SIGNATURE_HEADER)
        timestamp = header(headers, TIMESTAMP_HEADER)
        require(bool(signature and timestamp and secret), f"{SIGNATURE_HEADER} signature")
        assert signature is not None and timestamp is not None
        expected = hmac_base64(secret, timestamp.encode() + body)
        require(hmac.compare_digest(expected, signature.encode()), f"{SIGNATURE_HEADER} signature")

    def parse(self, headers: Mapping[str, str], body: bytes) -> ParsedDelivery[TicketUpdate]:
        payload = parse_json_object(body)
        kind = string(payload.get("type"))
        if kind is not None:
            return _event(payload, kind, body)
        if isinstance(payload.get("ticket"), dict):
            signed = (header(headers, TIMESTAMP_HEADER) or "").encode() + body
            delivery_id = body_digest(signed)
            update = _ticket(payload["ticket"])
            detail = None if update else "the ticket has no id"
            return ParsedDelivery(delivery_id, "ticket", update, detail)
        raise ValidationError('neither a Zendesk event ("type") nor a ticket ("ticket")')


def _event(payload: dict[str, Any], kind: str, body: bytes) -> ParsedDelivery[TicketUpdate]:
    delivery_id = string(payload.get("id"), 200) or body_digest(body)
    topic = kind.removeprefix("zen:event-type:")[:64]
    if not kind.startswith(EVENT_PREFIX):
        return ParsedDelivery(delivery_id, topic, None, f"event {kind} is not a ticket event")
    detail = obj(payload.get("detail"))
    event = obj(payload.get("event"))
    at = optional_timestamp(payload.get("time"), "time")
    base = _ticket_fields(detail)
    if base is None:
        return ParsedDelivery(delivery_id, topic, None, "the event names no ticket")
    first_response_at = resolved_at = None
    if kind == EVENT_PREFIX + "comment_added":
        comment = obj(event.get("comment"))
        author = obj(comment.get("author"))
        if comment.get("is_public") is True and author.get("is_staff") is True:
            first_response_at = at
    elif kind == EVENT_PREFIX + "status_changed":
        if (string(event.get("current")) or "").lower() in SOLVED:
            resolved_at = at
    elif (string(detail.get("status")) or "").lower() in SOLVED:
        resolved_at = optional_timestamp(detail.get("updated_at"), "updated_at")
    return ParsedDelivery(
        delivery_id,
        topic,
        TicketUpdate(**base, first_response_at=first_response_at, resolved_at=resolved_at),
    )


def _ticket(ticket: dict[str, Any]) -> TicketUpdate | None:
    base = _ticket_fields(ticket)
    if base is None:
        return None
    resolved_at: datetime | None = None
    if (string(ticket.get("status")) or "").lower() in SOLVED:
        resolved_at = optional_timestamp(ticket.get("updated_at"), "updated_at")
    rating = obj(ticket.get("satisfaction_rating"))
    return TicketUpdate(
        **base,
        requester_email=string(obj(ticket.get("requester")).get("email"), 320),
        resolved_at=resolved_at,
        rating=rating_of(rating.get("score")),
        feedback=string(rating.get("comment"), 5000),
    )


def _ticket_fields(ticket: dict[str, Any]) -> dict[str, Any] | None:
    ticket_id = string(ticket.get("id"), 100)
    if ticket_id is None:
        return None
    return {
        "ticket_id": ticket_id,
        "created_at": optional_timestamp(ticket.get("created_at"), "created_at"),
        "subject": string(ticket.get("subject"), 1000),
        "text": string(ticket.get("description"), 5000),
        "channel": channel_of(obj(ticket.get("via")).get("channel")),
    }


PROVIDER: Final = ZendeskProvider()

__all__ = ["PROVIDER", "SIGNATURE_HEADER", "TIMESTAMP_HEADER", "ZendeskProvider"]
