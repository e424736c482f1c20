"""EasyPost tracker webhooks.

Format: https://docs.easypost.com/docs/events and https://docs.easypost.com/guides/webhooks-guide
(an `Event` object: `id` "evt_...", `description` "tracker.updated" / "tracker.created",
`result` a Tracker: tracking_code, carrier, status, status_detail, est_delivery_date,
tracking_details[] with datetime, status, status_detail, message, tracking_location).

Signature: the `X-Hmac-Signature` header is "hmac-sha256-hex=" + the hex HMAC-SHA256 of the
raw body, keyed with the webhook secret after Unicode NFKD normalisation and UTF-8
encoding -- exactly what EasyPost's own client does (`validate_webhook` in
easypost-python, easypost/util.py).

- Idempotent on the Event `id` (recorded in `webhook_deliveries` with the writes), and per
  tracking detail on an id derived from the tracking code, datetime, status, status_detail
  and message (each event carries the tracker's whole history).
"""

import hashlib
import hmac
import unicodedata
from functools import partial
from typing import Any, Final

from sqlalchemy.ext.asyncio import AsyncSession

from app.ingestion.schemas import TrackingEventCreate
from app.integrations.common import (
    TrackingUpdate,
    WebhookOutcome,
    body_digest,
    derived_id,
    ignore,
    obj,
    optional_timestamp,
    parse_date,
    parse_json_object,
    parse_timestamp,
    receive_tracking,
    require_signature,
    scan_event,
    string,
    tracking_secret,
)
from app.models import Store

PROVIDER: Final = "easypost"
SIGNATURE_HEADER = "X-Hmac-Signature"
SIGNATURE_PREFIX = "hmac-sha256-hex="
EVENTS = frozenset({"tracker.updated", "tracker.created"})


def signature_for(secret: str, body: bytes) -> str:
    key = unicodedata.normalize("NFKD", secret).encode("utf-8")
    return SIGNATURE_PREFIX + hmac.new(key, body, hashlib.sha256).hexdigest()


def verify_signature(secret: str, body: bytes, header: str | None) -> bool:
    if not header or not secret:
        return False
    return hmac.compare_digest(signature_for(secret, body).encode(), header.strip().encode())


async def handle(
    session: AsyncSession, store: Store, body: bytes, signature: str | None
) -> WebhookOutcome:
    require_signature(verify_signature(tracking_secret(store), body, signature), SIGNATURE_HEADER)
    payload = parse_json_object(body)
    description = string(payload.get("description")) or ""
    delivery_id = string(payload.get("id"), 200) or body_digest(body)
    outcome = WebhookOutcome("processed", PROVIDER, delivery_id=delivery_id, topic=description)
    if description not in EVENTS:
        return await ignore(
            session, store.id, outcome, f"event {description or '(none)'} is not used"
        )
    update = read_update(payload, outcome)
    if update is None:
        return await ignore(session, store.id, outcome, "the event carries no tracker")
    return await receive_tracking(session, store, body, update, outcome)


def read_update(payload: dict[str, Any], outcome: WebhookOutcome) -> TrackingUpdate | None:
    """The tracking update in a verified Event (None: no Tracker in `result`)."""
    tracker = obj(payload.get("result"))
    tracking_code = string(tracker.get("tracking_code"), 100)
    if tracking_code is None:
        return None
    return TrackingUpdate(
        tracking_number=tracking_code,
        carrier=string(tracker.get("carrier")),
        events=tracker_events(tracking_code, tracker, outcome),
        estimate=parse_date(tracker.get("est_delivery_date")),
    )


def tracker_events(
    tracking_code: str, tracker: dict[str, Any], outcome: WebhookOutcome
) -> list[TrackingEventCreate]:
    events: list[TrackingEventCreate] = []
    details = tracker.get("tracking_details")
    for index, raw in enumerate(details if isinstance(details, list) else []):
        detail = obj(raw)
        label = f"tracking_details[{index}]"
        status = string(detail.get("status"))
        status_detail = string(detail.get("status_detail"))
        raw_time = string(detail.get("datetime"))
        if status is None or raw_time is None:
            outcome.skipped.append(f"{label}: no status or datetime")
            continue
        message = string(detail.get("message"), 2000) or string(detail.get("description"), 2000)
        event = scan_event(
            PROVIDER,
            label,
            outcome,
            status=status,
            detail=status_detail,
            occurred_at=partial(parse_timestamp, raw_time, "datetime"),
            event_id=derived_id(
                "easypost", tracking_code, raw_time, status, status_detail, message
            ),
            description=message,
            location=tracking_location(obj(detail.get("tracking_location"))),
        )
        if event is not None:
            events.append(event)
    if not events and not details:
        # No scan yet: the tracker's own status is the event, when EasyPost last updated it.
        status = string(tracker.get("status"))
        at = optional_timestamp(tracker.get("updated_at"), "updated_at")
        if status and status != "unknown" and at is not None:
            event = scan_event(
                PROVIDER,
                "tracker",
                outcome,
                status=status,
                detail=string(tracker.get("status_detail")),
                occurred_at=lambda: at,
                event_id=derived_id("easypost", tracking_code, "status", status),
            )
            if event is not None:
                events.append(event)
    return events


def tracking_location(location: dict[str, Any]) -> str | None:
    city, state, country, zip_code = (
        string(location.get(k)) for k in ("city", "state", "country", "zip")
    )
    region = " ".join(p for p in (state, zip_code) if p)
    text = ", ".join(p for p in (city, region, country) if p)
    return text[:255] or None


__all__ = [
    "SIGNATURE_HEADER",
    "handle",
    "read_update",
    "signature_for",
    "tracker_events",
    "verify_signature",
]
