"""What the assistant says, in the conversation's language.

`say(lang, key, **values)` renders any fixed sentence (greeting, prompts, errors...).
`order_reply` writes the answer about a verified order: one wording function per order
state (DESIGN 4), each built from the order's facts only. Lateness is decided once per
parcel (`_estimate_line`): a parcel past its estimate is described as late and never as
on schedule.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from babel.dates import format_date, format_datetime

from app.assistant.language import DEFAULT_LANGUAGE, Lang
from app.assistant.texts import DAY_PATTERN, DAYS, MOMENT_PATTERN, TEXTS
from app.core.timeutils import zone

__all__ = [
    "EXCEPTION_ADVICE",
    "OrderView",
    "ParcelView",
    "fmt_day",
    "fmt_moment",
    "order_reply",
    "rate_limited",
    "say",
]


def say(lang: Lang | None, key: str, **values: object) -> str:
    return TEXTS[lang or DEFAULT_LANGUAGE][key].format(**values)


def fmt_day(day: date, lang: Lang) -> str:
    return format_date(day, DAY_PATTERN[lang], locale=lang)


def fmt_moment(moment: datetime, tz: str, lang: Lang) -> str:
    local = moment.astimezone(zone(tz))
    return f"{format_datetime(local, MOMENT_PATTERN[lang], locale=lang)} {local.tzname()}"


def days(n: int, lang: Lang) -> str:
    one, many = DAYS[lang]
    return one if n == 1 else many.format(n=n)


def rate_limited(lang: Lang | None, retry_after_seconds: int) -> str:
    return say(lang, "rate_limited", minutes=max(1, math.ceil(retry_after_seconds / 60)))


# Canonical exception reasons (services/tracking_status.py) -> the advice given for them.
EXCEPTION_ADVICE: dict[str, str] = {
    "failed_attempt": "advice_retry",
    "recipient_unavailable": "advice_unavailable",
    "business_closed": "advice_retry",
    "customer_moved": "advice_address",
    "address_issue": "advice_address",
    "refused": "advice_refused",
    "customs": "advice_customs",
    "documents": "advice_customs",
    "held_for_payment": "advice_fees",
    "held": "advice_held",
    "delayed": "advice_delay",
    "weather": "advice_delay",
    "missorted": "advice_delay",
    "pickup_missed": "advice_pickup_missed",
    "damaged": "advice_damaged",
    "lost": "advice_lost",
    "rejected_by_carrier": "advice_label",
    "cancelled": "advice_label",
    "returned_to_sender": "advice_returned",
    "tracking_error": "advice_tracking_error",
}


@dataclass(frozen=True)
class ParcelView:
    """One shipment as the reply describes it, at the moment of the reply."""

    carrier: str
    tracking_number: str
    status: str  # shipment status (DESIGN 4) at the moment
    url: str
    delivered_at: datetime | None = None
    delivered_where: str | None = None
    exception_reason: str | None = None
    last_scan_at: datetime | None = None
    last_scan_status: str | None = None
    last_scan_text: str | None = None  # the carrier's own description, quoted as is
    last_scan_where: str | None = None
    estimate: date | None = None
    original_estimate: date | None = None


@dataclass(frozen=True)
class OrderView:
    """The facts of a verified order the reply is built from."""

    number: str
    status: str  # order status (DESIGN 4) from ingestion.order_status_at
    timezone: str
    today: date  # the store-local date of the reply
    placed_on: date
    promised: date | None = None
    cancelled_at: datetime | None = None
    parcels: list[ParcelView] = field(default_factory=list)


# ---------------------------------------------------------------- parcels


def _parcel_headline(lang: Lang, order: OrderView, p: ParcelView) -> str:
    values = {"number": order.number, "carrier": p.carrier}
    if p.status == "delivered" and p.delivered_at is not None:
        place = f" ({p.delivered_where})" if p.delivered_where else ""
        when = fmt_moment(p.delivered_at, order.timezone, lang)
        return say(lang, "p_delivered", when=when, place=place, **values)
    key = f"p_{p.status}"
    if key not in TEXTS[lang] or p.status == "delivered":
        key = "p_pending"  # info_received reads as pending
    return say(lang, key, **values)


def _estimate_line(lang: Lang, order: OrderView, p: ParcelView) -> str | None:
    """The expected delivery. A parcel past its estimate is late, whatever the original
    estimate was; only a parcel that is not late can be 'on schedule'."""
    estimate = p.estimate or order.promised
    if estimate is None or p.status in ("delivered", "returned"):
        return None
    original = p.original_estimate
    moved = original is not None and original != estimate
    if estimate < order.today:
        late = days((order.today - estimate).days, lang)
        if moved and original is not None:
            return say(
                lang,
                "late_moved",
                estimate=fmt_day(estimate, lang),
                original=fmt_day(original, lang),
                late=late,
            )
        return say(lang, "late", estimate=fmt_day(estimate, lang), late=late)
    if original is None:
        return say(lang, "estimate", estimate=fmt_day(estimate, lang))
    if not moved:
        return say(lang, "estimate_on_schedule", estimate=fmt_day(estimate, lang))
    shift = (estimate - original).days
    return say(
        lang,
        "estimate_later" if shift > 0 else "estimate_earlier",
        estimate=fmt_day(estimate, lang),
        original=fmt_day(original, lang),
        shift=days(abs(shift), lang),
    )


def _advice(lang: Lang, p: ParcelView) -> str | None:
    if p.status not in ("exception", "failed_attempt", "returned", "expired"):
        return None
    reason = p.exception_reason
    if p.status == "returned":
        reason = "returned_to_sender"
    elif p.status == "failed_attempt" and reason not in EXCEPTION_ADVICE:
        reason = "failed_attempt"
    elif p.status == "expired":
        reason = "tracking_error"
    return say(lang, EXCEPTION_ADVICE.get(reason or "", "advice_default"), carrier=p.carrier)


def _parcel_lines(lang: Lang, order: OrderView, p: ParcelView, focus: str) -> list[str]:
    lines = [
        _parcel_headline(lang, order, p),
        say(lang, "tracking_number", tracking_number=p.tracking_number, carrier=p.carrier),
    ]
    if (
        p.last_scan_at is not None
        and p.status != "delivered"
        and focus in ("status", "tracking", "full")
    ):
        what = p.last_scan_text or say(lang, f"label_{p.last_scan_status or 'pending'}")
        place = f", {p.last_scan_where}" if p.last_scan_where else ""
        when = fmt_moment(p.last_scan_at, order.timezone, lang)
        lines.append(say(lang, "latest_scan", what=what, place=place, when=when))
    if (estimate := _estimate_line(lang, order, p)) is not None:
        lines.append(estimate)
    if (advice := _advice(lang, p)) is not None:
        lines.append(advice)
    if p.status == "delivered" and focus in ("delivery", "full_delivery"):
        lines.append(say(lang, "not_received", carrier=p.carrier))
    return lines


def _shipped(lang: Lang, order: OrderView, focus: str) -> list[str]:
    lines: list[str] = []
    several = len(order.parcels) > 1
    if several:
        lines.append(say(lang, "parcels", number=order.number, count=len(order.parcels)))
    for index, parcel in enumerate(order.parcels, start=1):
        parcel_lines = _parcel_lines(lang, order, parcel, focus)
        if several:
            parcel_lines[0] = say(lang, "parcel_prefix", index=index, line=parcel_lines[0])
        lines.extend(parcel_lines)
    lines.extend(say(lang, "track_here", url=p.url) for p in order.parcels)
    return lines


# ---------------------------------------------------------------- one function per state


def _unfulfilled(lang: Lang, order: OrderView, focus: str) -> list[str]:
    line = say(lang, "unfulfilled", number=order.number, placed=fmt_day(order.placed_on, lang))
    if order.promised is not None:
        line += " " + say(lang, "promised", promised=fmt_day(order.promised, lang))
    return [f"{line} {say(lang, 'unfulfilled_advice')}"]


def _partially_fulfilled(lang: Lang, order: OrderView, focus: str) -> list[str]:
    return [say(lang, "partial", number=order.number), *_shipped(lang, order, focus)]


def _cancelled(lang: Lang, order: OrderView, focus: str) -> list[str]:
    if order.cancelled_at is None:
        return [say(lang, "cancelled_undated", number=order.number)]
    when = fmt_moment(order.cancelled_at, order.timezone, lang)
    return [say(lang, "cancelled", number=order.number, when=when)]


def _refunded(lang: Lang, order: OrderView, focus: str) -> list[str]:
    return [say(lang, "refunded", number=order.number)]


# fulfilled (label created), in_transit, out_for_delivery, delivered and exception are told
# parcel by parcel: each parcel's own status says where it is.
_Wording = Callable[[Lang, OrderView, str], list[str]]
ORDER_STATE_WORDING: dict[str, _Wording] = {
    "unfulfilled": _unfulfilled,
    "partially_fulfilled": _partially_fulfilled,
    "fulfilled": _shipped,
    "in_transit": _shipped,
    "out_for_delivery": _shipped,
    "delivered": _shipped,
    "exception": _shipped,
    "cancelled": _cancelled,
    "refunded": _refunded,
}


def order_reply(lang: Lang, order: OrderView, inquiry_type: str, *, first: bool) -> str:
    """The answer about a verified order. `first`: the first answer about it (says that
    the order was found and gives every detail); later answers focus on the question."""
    focus = "full" if first else inquiry_type
    if inquiry_type == "delivery":
        focus = "full_delivery" if first else "delivery"
    wording = ORDER_STATE_WORDING[order.status]
    if wording is _shipped and not order.parcels:
        wording = _unfulfilled
    lines = [say(lang, "found")] if first else []
    lines.extend(wording(lang, order, focus))
    if inquiry_type == "refund":
        lines.append(say(lang, "refund_advice"))
    return "\n".join(lines)
