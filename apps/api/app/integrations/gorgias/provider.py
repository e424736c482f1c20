"""Gorgias HTTP integration: `POST /api/v1/webhooks/gorgias?store=<store id>`.

Gorgias HTTP integrations (https://developers.gorgias.com/reference/integrations: `http.url`,
`method`, `headers`, `form`, `triggers` ticket-created / ticket-updated /
ticket-message-created) send the request the merchant configures and sign nothing. The proof
is a shared secret: the store's settings generate it, and the merchant adds it as the header
`X-Wismo-Token: <secret>` in the integration; it is compared in constant time.

The body is the ticket in the shape of Gorgias' Ticket object (the README has the body
template): `{"ticket": {id, subject, status, channel, created_datetime, updated_datetime,
closed_datetime, excerpt, customer: {email}, messages: [{from_agent, public, body_text,
created_datetime}], satisfaction_survey: {score, body_text, scored_datetime}}}`, or a
SatisfactionSurvey object alone, `{"satisfaction_survey": {ticket_id, score, body_text,
scored_datetime}}` (https://developers.gorgias.com/reference/satisfaction-surveys). Sources
of the test payloads: tests/data/helpdesk/SOURCES.md.

- the customer's text is the first message not from an agent, else the ticket's excerpt;
- the first response is the earliest public message from an agent;
- a closed ticket resolves at `closed_datetime`;
- a survey's score (1-5) is the rating and its `body_text` the feedback.

Idempotent on the body's digest (Gorgias sends no delivery id); applying the same ticket
state twice changes nothing anyway.
"""

import hmac
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from app.core.errors import ValidationError
from app.core.vocab import Channel
from app.integrations.base import ParsedDelivery, TicketUpdate, header, require
from app.integrations.common import body_digest, obj, optional_timestamp, parse_json_object, string

PROOF_HEADER: Final = "X-Wismo-Token"
_CHANNELS: dict[str, Channel] = {
    "email": "email",
    "contact_form": "email",
    "help-center": "email",
    "chat": "chat",
    "sms": "chat",
    "whatsapp": "social",
    "phone": "phone",
    "facebook": "social",
    "facebook-messenger": "social",
    "instagram-direct-message": "social",
    "instagram-comment": "social",
    "twitter": "social",
}


class GorgiasProvider:
    name = "gorgias"

    def verify(self, headers: Mapping[str, str], body: bytes, secret: str) -> None:
        token = header(headers, PROOF_HEADER)
        require(
            bool(token and secret) and hmac.compare_digest((token or "").encode(), secret.encode()),
            f"{PROOF_HEADER} header",
        )

    def parse(self, headers: Mapping[str, str], body: bytes) -> ParsedDelivery[TicketUpdate]:
        payload = parse_json_object(body)
        delivery_id = body_digest(body)
        if isinstance(payload.get("ticket"), dict):
            update = _ticket(payload["ticket"])
            return ParsedDelivery(
                delivery_id, "ticket", update, None if update else "the ticket has no id"
            )
        if isinstance(payload.get("satisfaction_survey"), dict):
            survey = payload["satisfaction_survey"]
            ticket_id = string(survey.get("ticket_id"), 100)
            if ticket_id is None:
                return ParsedDelivery(delivery_id, "survey", None, "the survey names no ticket")
            rating, feedback = _survey(survey)
            return ParsedDelivery(
                delivery_id,
                "survey",
                TicketUpdate(ticket_id=ticket_id, rating=rating, feedback=feedback),
            )
        raise ValidationError('neither a Gorgias "ticket" nor a "satisfaction_survey"')


def _survey(survey: dict[str, Any]) -> tuple[int | None, str | None]:
    score = survey.get("score")
    rating = score if isinstance(score, int) and 1 <= score <= 5 else None
    if rating is None and isinstance(score, str) and score.strip() in {"1", "2", "3", "4", "5"}:
        rating = int(score)
    return rating, string(survey.get("body_text"), 5000) if rating else None


def _ticket(ticket: dict[str, Any]) -> TicketUpdate | None:
    ticket_id = string(ticket.get("id"), 100)
    if ticket_id is None:
        return None
    created_at = optional_timestamp(ticket.get("created_datetime"), "created_datetime")
    messages = [obj(m) for m in ticket.get("messages") or [] if isinstance(m, dict)]
    customer_text = next(
        (string(m.get("body_text"), 5000) for m in messages if m.get("from_agent") is False),
        None,
    )
    replies: list[datetime] = []
    for m in messages:
        at = optional_timestamp(m.get("created_datetime"), "created_datetime")
        if m.get("from_agent") is True and m.get("public") is not False and at is not None:
            replies.append(at)
    resolved_at = None
    if (string(ticket.get("status")) or "").lower() == "closed":
        resolved_at = optional_timestamp(ticket.get("closed_datetime"), "closed_datetime")
    rating, feedback = _survey(obj(ticket.get("satisfaction_survey")))
    return TicketUpdate(
        ticket_id=ticket_id,
        created_at=created_at,
        subject=string(ticket.get("subject"), 1000),
        text=customer_text or string(ticket.get("excerpt"), 5000),
        requester_email=string(obj(ticket.get("customer")).get("email"), 320),
        channel=_CHANNELS.get((string(ticket.get("channel")) or "").lower(), "other"),
        first_response_at=min(replies) if replies else None,
        resolved_at=resolved_at,
        rating=rating,
        feedback=feedback,
    )


PROVIDER: Final = GorgiasProvider()

__all__ = ["PROOF_HEADER", "PROVIDER", "GorgiasProvider"]
