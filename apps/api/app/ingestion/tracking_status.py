"""The one table that maps each provider's tracking vocabulary to DESIGN section 4.

Canonical shipment statuses: pending, info_received, in_transit, out_for_delivery,
failed_attempt, available_for_pickup, delivered, exception, returned, expired.

For the statuses that feed the exception figures (exception, failed_attempt, returned) the
table also names a canonical *exception reason* (the `exception_reason` dimension of the
rollups); ingestion stores it in the event's `subtag`, which is where
`ingestion.exception_reason()` reads it. Other events keep the provider's own sub-status
(e.g. AfterShip's `InTransit_007`) in `subtag`, for the timeline.

Published vocabularies this table is built from:

- AfterShip delivery statuses ("tags"): https://www.aftership.com/docs/tracking/enum/delivery-statuses
  (Pending, InfoReceived, InTransit, OutForDelivery, AttemptFail, Delivered,
  AvailableForPickup, Exception, Expired).
- AfterShip delivery sub-statuses ("subtags"):
  https://www.aftership.com/docs/tracking/enum/delivery-sub-statuses (Exception_001..013,
  AttemptFail_001..003, ...) and, for Exception_016..018 (added 2026-03-27),
  https://support.aftership.com/en/article/learn-about-delivery-sub-statuses-1b0hdlx/
- EasyPost Tracker `status` and `status_detail`: https://docs.easypost.com/docs/trackers
  (status: unknown, pre_transit, in_transit, out_for_delivery, delivered,
  available_for_pickup, return_to_sender, failure, cancelled, error).
- Shopify fulfillment `shipment_status` (REST; the lower-case form of the GraphQL enum
  FulfillmentEventStatus): https://shopify.dev/docs/api/admin-graphql/latest/enums/FulfillmentEventStatus
  and the fulfillments/create sample of https://shopify.dev/docs/api/webhooks
  (label_printed, label_purchased, attempted_delivery, ready_for_pickup, confirmed,
  in_transit, out_for_delivery, delivered, failure; newer: carrier_picked_up, delayed,
  picked_up, ...).
"""

from dataclasses import dataclass
from typing import Literal

from app.core.vocab import ShipmentStatus

Provider = Literal["aftership", "easypost", "shopify"]

# Canonical exception reasons (keys of the `exception_reason` rollup dimension).
EXCEPTION_REASONS: tuple[str, ...] = (
    "unspecified",
    "failed_attempt",
    "recipient_unavailable",
    "business_closed",
    "customer_moved",
    "refused",
    "customs",
    "delayed",
    "weather",
    "held",
    "held_for_payment",
    "address_issue",
    "pickup_missed",
    "rejected_by_carrier",
    "missorted",
    "damaged",
    "lost",
    "documents",
    "returned_to_sender",
    "cancelled",
    "tracking_error",
)


@dataclass(frozen=True)
class Mapping:
    status: ShipmentStatus
    reason: str | None = None  # set for exception, failed_attempt and returned

    def __post_init__(self) -> None:
        assert self.reason is None or self.reason in EXCEPTION_REASONS, self.reason


M = Mapping

# ------------------------------------------------------------------------ the table
#
# (provider, provider status) -> canonical status and default exception reason.
STATUS_TABLE: dict[tuple[Provider, str], Mapping] = {
    # AfterShip tags (https://www.aftership.com/docs/tracking/enum/delivery-statuses)
    ("aftership", "Pending"): M("pending"),
    ("aftership", "InfoReceived"): M("info_received"),
    ("aftership", "InTransit"): M("in_transit"),
    ("aftership", "OutForDelivery"): M("out_for_delivery"),
    ("aftership", "AttemptFail"): M("failed_attempt", "failed_attempt"),
    ("aftership", "AvailableForPickup"): M("available_for_pickup"),
    ("aftership", "Delivered"): M("delivered"),
    ("aftership", "Exception"): M("exception", "unspecified"),
    ("aftership", "Expired"): M("expired"),
    # EasyPost Tracker.status (https://docs.easypost.com/docs/trackers)
    ("easypost", "unknown"): M("pending"),  # no carrier information yet
    ("easypost", "pre_transit"): M("info_received"),  # label created, not scanned
    ("easypost", "in_transit"): M("in_transit"),
    ("easypost", "out_for_delivery"): M("out_for_delivery"),
    ("easypost", "delivered"): M("delivered"),
    ("easypost", "available_for_pickup"): M("available_for_pickup"),
    ("easypost", "return_to_sender"): M("returned", "returned_to_sender"),
    ("easypost", "failure"): M("exception", "unspecified"),
    ("easypost", "cancelled"): M("exception", "cancelled"),  # label/tracker cancelled
    ("easypost", "error"): M("exception", "tracking_error"),
    # Shopify fulfillment.shipment_status (FulfillmentEventStatus, lower case)
    ("shopify", "label_printed"): M("info_received"),
    ("shopify", "label_purchased"): M("info_received"),
    ("shopify", "confirmed"): M("pending"),  # Shopify's default when nothing else is known
    ("shopify", "carrier_picked_up"): M("in_transit"),
    ("shopify", "in_transit"): M("in_transit"),
    ("shopify", "out_for_delivery"): M("out_for_delivery"),
    ("shopify", "attempted_delivery"): M("failed_attempt", "failed_attempt"),
    ("shopify", "ready_for_pickup"): M("available_for_pickup"),
    ("shopify", "ready_for_recipient_pickup"): M("available_for_pickup"),
    ("shopify", "delivered"): M("delivered"),
    ("shopify", "picked_up"): M("delivered"),  # collected by the customer
    ("shopify", "delayed"): M("exception", "delayed"),
    ("shopify", "buyer_action_required"): M("exception", "unspecified"),
    ("shopify", "returning_to_sender"): M("returned", "returned_to_sender"),
    ("shopify", "failure"): M("exception", "unspecified"),
}

# AfterShip subtags refine the tag: the exception reason, or a different status (returns).
AFTERSHIP_SUBTAGS: dict[str, Mapping] = {
    "Exception_001": M("exception", "unspecified"),  # Exception
    "Exception_002": M("exception", "customer_moved"),  # Customer moved
    "Exception_003": M("exception", "refused"),  # Customer refused delivery
    "Exception_004": M("exception", "customs"),  # Delayed (Customs clearance)
    "Exception_005": M("exception", "delayed"),  # Delayed (External factors)
    "Exception_006": M("exception", "held_for_payment"),  # Held for payment
    "Exception_007": M("exception", "address_issue"),  # Incorrect Address
    "Exception_008": M("exception", "pickup_missed"),  # Pick up missed
    "Exception_009": M("exception", "rejected_by_carrier"),  # Rejected by carrier
    "Exception_010": M("returned", "returned_to_sender"),  # Returning to sender
    "Exception_011": M("returned", "returned_to_sender"),  # Returned to sender
    "Exception_012": M("exception", "damaged"),  # Shipment damage
    "Exception_013": M("exception", "lost"),  # Shipment lost
    "Exception_016": M("exception", "delayed"),  # Delayed (Processing issue)
    "Exception_017": M("exception", "weather"),  # Delayed (Extreme weather)
    "Exception_018": M("exception", "documents"),  # Incorrect / missing documents
    "AttemptFail_001": M("failed_attempt", "failed_attempt"),  # Failed Attempt
    "AttemptFail_002": M("failed_attempt", "recipient_unavailable"),  # Addressee not available
    "AttemptFail_003": M("failed_attempt", "business_closed"),  # Business Closed
}

# EasyPost status_detail gives the reason of a `failure` (other statuses keep theirs).
EASYPOST_DETAIL_REASONS: dict[str, str] = {
    "address_correction": "address_issue",
    "cancelled": "cancelled",
    "damaged": "damaged",
    "delayed": "delayed",
    "delivery_exception": "unspecified",
    "expired": "unspecified",
    "failure": "unspecified",
    "held": "held",
    "lost": "lost",
    "missorted": "missorted",
    "refused": "refused",
    "return": "returned_to_sender",
    "transit_exception": "unspecified",
    "weather_delay": "weather",
}


class UnknownStatusError(ValueError):
    """A provider status that is not in the table (the event is skipped and reported)."""


def map_status(provider: Provider, status: str, detail: str | None = None) -> Mapping:
    """The canonical status (and exception reason) of a provider's status and sub-status."""
    if provider == "aftership" and detail:
        refined = AFTERSHIP_SUBTAGS.get(detail)
        # A subtag refines only its own tag (an Exception_* subtag under an Exception tag).
        if refined is not None and detail.split("_", 1)[0] == status:
            return refined
    base = STATUS_TABLE.get((provider, status))
    if base is None and provider == "shopify":
        base = STATUS_TABLE.get((provider, status.lower()))
    if base is None:
        raise UnknownStatusError(f"unknown {provider} status {status!r}")
    if provider == "easypost" and detail and status == "failure":
        # status_detail names the reason of a failure; other statuses keep their own.
        reason = EASYPOST_DETAIL_REASONS.get(detail)
        if reason is not None:
            return Mapping(base.status, reason)
    return base


def provider_statuses(provider: Provider) -> list[str]:
    """Every status of a provider the table knows (for tests and documentation)."""
    return [status for (p, status) in STATUS_TABLE if p == provider]


__all__ = [
    "AFTERSHIP_SUBTAGS",
    "EASYPOST_DETAIL_REASONS",
    "EXCEPTION_REASONS",
    "STATUS_TABLE",
    "Mapping",
    "Provider",
    "UnknownStatusError",
    "map_status",
    "provider_statuses",
]
