"""The canonical vocabularies of DESIGN section 4."""

from typing import Literal, get_args

InquiryType = Literal["status", "tracking", "delivery", "refund", "other"]
ShipmentStatus = Literal[
    "pending",
    "info_received",
    "in_transit",
    "out_for_delivery",
    "failed_attempt",
    "available_for_pickup",
    "delivered",
    "exception",
    "returned",
    "expired",
]
OrderStatus = Literal[
    "unfulfilled",
    "partially_fulfilled",
    "fulfilled",
    "in_transit",
    "out_for_delivery",
    "delivered",
    "exception",
    "cancelled",
    "refunded",
]
Channel = Literal["chat", "email", "phone", "social", "other"]

INQUIRY_TYPES: tuple[str, ...] = get_args(InquiryType)
SHIPMENT_STATUSES: tuple[str, ...] = get_args(ShipmentStatus)
ORDER_STATUSES: tuple[str, ...] = get_args(OrderStatus)
CHANNELS: tuple[str, ...] = get_args(Channel)

# Statuses that mean the carrier has physically scanned the parcel.
CARRIER_SCAN_STATUSES = frozenset(
    {
        "in_transit",
        "out_for_delivery",
        "failed_attempt",
        "available_for_pickup",
        "delivered",
        "exception",
        "returned",
    }
)
EXCEPTION_STATUSES = frozenset({"exception", "failed_attempt"})
