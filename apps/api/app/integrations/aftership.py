"""AfterShip Tracking webhooks.

Format: https://www.aftership.com/docs/tracking/webhook/webhook-specifications (body
`{event, event_id, is_tracking_first_tag, msg: <Tracking>, ts}`; events tracking_update,
edd_revise, tracking_pending_time) and the Checkpoint model
(https://www.aftership.com/docs/tracking/model/checkpoint: checkpoint_time, tag, subtag,
message, location, city, state, country_iso3 / country_region, created_at).
Signature: https://www.aftership.com/docs/tracking/webhook/webhook-signature
(`aftership-hmac-sha256` = base64 HMAC-SHA256 of the raw body with the webhook secret).

- Idempotent on `event_id` (recorded in `webhook_deliveries` with the writes), and per
  checkpoint on an id derived from the tracking number, checkpoint time, tag, subtag and
  message: AfterShip re-sends the whole checkpoint history with every update, so a
  checkpoint is stored once however many webhooks carry it.
- `checkpoint_time` is the carrier's local time, often without an offset: it is read as
  UTC and bounded by the checkpoint's `created_at` (when AfterShip recorded it).
- The delivery estimate is `latest_estimated_delivery.datetime`, else
  `aftership_estimated_delivery_date.estimated_delivery_date`, else `expected_delivery`.
"""

from datetime import date, datetime
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
    verify_base64_signature,
)
from app.models import Store

PROVIDER: Final = "aftership"
SIGNATURE_HEADER = "aftership-hmac-sha256"
EVENTS = frozenset({"tracking_update", "edd_revise"})


async def handle(
    session: AsyncSession, store: Store, body: bytes, signature: str | None
) -> WebhookOutcome:
    require_signature(
        verify_base64_signature(tracking_secret(store), body, signature), SIGNATURE_HEADER
    )
    payload = parse_json_object(body)
    event_name = string(payload.get("event")) or "tracking_update"
    delivery_id = string(payload.get("event_id"), 200) or body_digest(body)
    outcome = WebhookOutcome("processed", PROVIDER, delivery_id=delivery_id, topic=event_name)
    if event_name not in EVENTS:
        return await ignore(session, store.id, outcome, f"event {event_name} is not used")
    update = read_update(payload, outcome)
    if update is None:
        return await ignore(session, store.id, outcome, "the event names no tracking number")
    return await receive_tracking(session, store, body, update, outcome)


def read_update(payload: dict[str, Any], outcome: WebhookOutcome) -> TrackingUpdate | None:
    """The tracking update in a verified body (None: it carries nothing to store)."""
    msg = obj(payload.get("msg"))
    tracking_number = string(msg.get("tracking_number"), 100)
    if tracking_number is None:
        return None
    return TrackingUpdate(
        tracking_number=tracking_number,
        carrier=string(msg.get("slug")),
        events=checkpoint_events(tracking_number, msg, outcome),
        estimate=expected_delivery(msg),
    )


def checkpoint_events(
    tracking_number: str, msg: dict[str, Any], outcome: WebhookOutcome
) -> list[TrackingEventCreate]:
    events: list[TrackingEventCreate] = []
    checkpoints = msg.get("checkpoints")
    for index, raw in enumerate(checkpoints if isinstance(checkpoints, list) else []):
        checkpoint = obj(raw)
        label = f"checkpoint {index}"
        tag = string(checkpoint.get("tag"))
        subtag = string(checkpoint.get("subtag"))
        raw_time = string(checkpoint.get("checkpoint_time"))
        if tag is None or raw_time is None:
            outcome.skipped.append(f"{label}: no tag or checkpoint_time")
            continue
        message = string(checkpoint.get("message"), 2000)
        event = scan_event(
            PROVIDER,
            label,
            outcome,
            status=tag,
            detail=subtag,
            occurred_at=partial(checkpoint_time, checkpoint, raw_time),
            event_id=derived_id("aftership", tracking_number, raw_time, tag, subtag, message),
            description=message,
            location=checkpoint_location(checkpoint),
        )
        if event is not None:
            events.append(event)
    if not events and not checkpoints:
        # No checkpoints (e.g. Expired, InfoReceived from the shipper's data): the tracking's
        # own tag is the event, at the time AfterShip last updated the tracking.
        tag = string(msg.get("tag"))
        at = optional_timestamp(msg.get("updated_at"), "updated_at")
        if tag and tag != "Pending" and at is not None:
            event = scan_event(
                PROVIDER,
                "tracking",
                outcome,
                status=tag,
                detail=string(msg.get("subtag")),
                occurred_at=lambda: at,
                event_id=derived_id("aftership", tracking_number, "tag", tag),
                description=string(msg.get("subtag_message"), 2000),
            )
            if event is not None:
                events.append(event)
    return events


def checkpoint_time(checkpoint: dict[str, Any], raw_time: str) -> datetime:
    """When the scan happened; a time without an offset is read as no later than when
    AfterShip recorded it."""
    recorded = optional_timestamp(checkpoint.get("created_at"), "created_at")
    return parse_timestamp(raw_time, "checkpoint_time", naive_ceiling=recorded)


def checkpoint_location(checkpoint: dict[str, Any]) -> str | None:
    location = string(checkpoint.get("location"))
    if location is None:
        parts = [
            string(checkpoint.get(k))
            for k in ("city", "state", "country_region", "country_iso3", "country_name")
        ]
        unique: list[str] = []
        for part in parts:
            if part and part not in unique:
                unique.append(part)
        location = ", ".join(unique[:3]) or None
    return location[:255] if location else None


def expected_delivery(msg: dict[str, Any]) -> date | None:
    for value in (
        obj(msg.get("latest_estimated_delivery")).get("datetime"),
        obj(msg.get("aftership_estimated_delivery_date")).get("estimated_delivery_date"),
        msg.get("expected_delivery"),
    ):
        day = parse_date(value)
        if day is not None:
            return day
    return None


__all__ = ["SIGNATURE_HEADER", "checkpoint_events", "handle", "read_update"]
