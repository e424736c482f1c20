"""The one definition of an order's state (DESIGN 4 and 9).

Used by the timeline, the status recorded with an inquiry, the at-risk ranking, the assistant
and the demo generator, so no two places can disagree:

1. Cancelled and refunded come first (cancelled before refunded: a cancelled order is usually
   refunded too, and "cancelled" is what happened to it). A known `cancelled_at` /
   `refunded_at` applies from that moment; a status without a time applies always.
2. Otherwise the order's latest shipment (shipped by then) decides, through its events up to
   then: delivered is terminal unless a later event is a return.
3. No shipment: what the shop says of its fulfilment (`fulfilled` / `partial`) when it says
   so, else unfulfilled.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol

from app.core.vocab import SHIPMENT_STATUSES


class OrderFacts(Protocol):
    @property
    def status(self) -> str: ...
    @property
    def financial_status(self) -> str | None: ...
    @property
    def fulfillment_status(self) -> str | None: ...
    @property
    def cancelled_at(self) -> datetime | None: ...
    @property
    def refunded_at(self) -> datetime | None: ...


class ShipmentFacts(Protocol):
    @property
    def carrier(self) -> str: ...
    @property
    def shipped_at(self) -> datetime: ...


class EventFacts(Protocol):
    @property
    def occurred_at(self) -> datetime: ...
    @property
    def status(self) -> str: ...


class CauseFacts(EventFacts, Protocol):
    @property
    def subtag(self) -> str | None: ...


ORDER_STATUS_FROM_SHIPMENT = {
    "pending": "fulfilled",
    "info_received": "fulfilled",
    "in_transit": "in_transit",
    "out_for_delivery": "out_for_delivery",
    "available_for_pickup": "out_for_delivery",
    "failed_attempt": "exception",
    "exception": "exception",
    "returned": "exception",
    "expired": "exception",
    "delivered": "delivered",
}


_RANK = {status: i for i, status in enumerate(SHIPMENT_STATUSES)}
EXCEPTION_CAUSE_STATUSES = frozenset(
    status
    for status, order_status in ORDER_STATUS_FROM_SHIPMENT.items()
    if order_status == "exception"
)


def is_cancelled(order: OrderFacts, at: datetime | None = None) -> bool:
    if order.cancelled_at is not None:
        return at is None or order.cancelled_at <= at
    return order.status == "cancelled"


def is_refunded(order: OrderFacts, at: datetime | None = None) -> bool:
    if order.refunded_at is not None:
        return at is None or order.refunded_at <= at
    return order.status == "refunded" or order.financial_status == "refunded"


def closed_state(order: OrderFacts, at: datetime | None = None) -> str | None:
    """ "cancelled" or "refunded" when the order was so at `at` (None: now), else None."""
    if is_cancelled(order, at):
        return "cancelled"
    if is_refunded(order, at):
        return "refunded"
    return None


def delivered_at(events: Iterable[EventFacts]) -> datetime | None:
    """The first delivery scan."""
    return min((e.occurred_at for e in events if e.status == "delivered"), default=None)


def shipment_status(events: Sequence[EventFacts]) -> str:
    """A shipment's status (DESIGN 4 vocabulary) from its events, in any order of arrival.

    The latest event decides, except that a delivery is terminal: scans stamped after it
    (carriers re-send stale ones) do not undo it, only a later return does.
    """
    if not events:
        return "pending"
    first_delivery = delivered_at(events)
    if first_delivery is not None:
        returned = any(e.status == "returned" and e.occurred_at > first_delivery for e in events)
        return "returned" if returned else "delivered"
    # Events at the same instant (carriers batch scans) rank by the vocabulary's order, so
    # the answer never depends on the order rows come back in.
    latest = max(events, key=lambda e: (e.occurred_at, _RANK.get(e.status, -1)))
    return latest.status


def order_state(
    order: OrderFacts,
    latest_shipment: ShipmentFacts | None,
    events: Sequence[EventFacts],
    at: datetime | None = None,
) -> tuple[str, str | None]:
    """(order status, carrier) at `at` (None: as it stands now).

    `latest_shipment` is the order's latest shipment shipped by `at`; `events` are its
    tracking events (any order; those after `at` are ignored here).
    """
    closed = closed_state(order, at)
    if closed is not None:
        return closed, None
    if latest_shipment is None:
        if order.fulfillment_status == "fulfilled":
            return "fulfilled", None
        if order.fulfillment_status == "partial":
            return "partially_fulfilled", None
        return "unfulfilled", None
    seen = [e for e in events if at is None or e.occurred_at <= at]
    status = ORDER_STATUS_FROM_SHIPMENT.get(shipment_status(seen), "fulfilled")
    if order.fulfillment_status == "partial" and status != "exception":
        status = "partially_fulfilled"
    return status, latest_shipment.carrier


def exception_cause(
    order_status: str | None, events: Sequence[CauseFacts], at: datetime | None = None
) -> str | None:
    """Why an order is in `exception` at `at`, from its latest shipment's events: the latest
    exception-type event's subtag (its status when it has none, as a shipment's
    `exception_reason`), "unknown" without one; None for any other order status."""
    if order_status != "exception":
        return None
    seen = [
        e
        for e in events
        if e.status in EXCEPTION_CAUSE_STATUSES and (at is None or e.occurred_at <= at)
    ]
    if not seen:
        return "unknown"
    latest = max(seen, key=lambda e: (e.occurred_at, _RANK.get(e.status, -1)))
    return latest.subtag or latest.status


__all__ = [
    "EXCEPTION_CAUSE_STATUSES",
    "ORDER_STATUS_FROM_SHIPMENT",
    "closed_state",
    "delivered_at",
    "exception_cause",
    "is_cancelled",
    "is_refunded",
    "order_state",
    "shipment_status",
]
