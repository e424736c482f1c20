"""Pure, deterministic demo data: the same config, time zone and currency give the same rows.

Each order gets a whole "life story" drawn up front (processing, cancellation, shipments with
carrier scans, exceptions, returns, refunds, the customer's inquiries and how support handled
them), which is then cut at `now`: nothing in the generated rows lies in the future.

The rows carry every denormalised column exactly as the per-row ingestion path would set it
(shipment status and first scan from its events, an inquiry's order status and carrier at the
moment it was asked, repeat/follow-up links within 7 days), so the bulk loader can insert them
as they are. Stories never interact across orders except through the customer-level repeat
rule, which the generator keeps local (see `_settle_customer_inquiries`), so a batch's rows
are final when they are yielded and memory stays bounded by the batch size.

Randomness: one `random.Random` per local day, seeded from (seed, days before the end date);
never the global RNG, never the calendar date, never a clock: the rows are a pure function of
(config, time zone, currency), so the same seed tells the same story whatever day it is.
"""

import math
import random
import uuid
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate
from zoneinfo import ZoneInfo

from app.core.security import hash_email
from app.core.timeutils import local_date, local_parts, zone
from app.core.vocab import CARRIER_SCAN_STATUSES, EXCEPTION_STATUSES
from app.demo.profiles import (
    EXCEPTION_DESCRIPTIONS,
    EXCEPTION_REASONS,
    FAILED_ATTEMPT_REASONS,
    FEEDBACK,
    CarrierProfile,
    Region,
    region_for_timezone,
)
from app.ingestion.order_state import exception_cause, order_state
from app.ingestion.rollups import seconds_between
from app.ingestion.service import REPEAT_WINDOW

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
MONTHLY_GROWTH = 1.15  # order volume grows 15% a month
# Order volume by local weekday (Monday first): weekends are quieter.
WEEKDAY_FACTORS = (1.12, 1.08, 1.04, 1.0, 0.94, 0.74, 0.86)
_WEEKDAY_MEAN = sum(WEEKDAY_FACTORS) / 7
# Local hour of day an order is placed (lunch and evening peaks).
ORDER_HOUR_WEIGHTS = (
    *(0.4, 0.25, 0.15, 0.1, 0.1, 0.2, 0.5, 1.0, 1.6, 2.0, 2.3, 2.5),  # 00-11
    *(2.8, 2.7, 2.5, 2.4, 2.4, 2.5, 2.8, 3.2, 3.5, 3.2, 2.3, 1.2),  # 12-23
)
_ORDER_HOUR_CUM = list(accumulate(ORDER_HOUR_WEIGHTS))
INCIDENT_START_DAYS_BEFORE_END = 23
INCIDENT_LENGTH_DAYS = 7
INCIDENT_HIT_RATE = 0.8  # in-transit parcels of the incident carrier caught by it
INCIDENT_SPILLOVER_RATE = 0.12  # other carriers' parcels in the region

CHANNEL_WEIGHTS = {"chat": 0.42, "email": 0.30, "phone": 0.13, "social": 0.10, "other": 0.05}
# (median seconds, sigma) of a lognormal per channel
FIRST_RESPONSE = {
    "chat": (25.0, 1.0),
    "email": (3 * 3600.0, 1.0),
    "phone": (90.0, 0.8),
    "social": (1.2 * 3600.0, 1.0),
    "other": (5 * 3600.0, 1.0),
}
RESOLUTION = {
    "chat": (20 * 60.0, 1.1),
    "email": (7 * 3600.0, 1.0),
    "phone": (12 * 60.0, 0.7),
    "social": (4 * 3600.0, 1.1),
    "other": (10 * 3600.0, 1.0),
}


# ---------------------------------------------------------------- config and plan


@dataclass(frozen=True, slots=True)
class DemoConfig:
    """What to generate. `orders_per_day` is the mean daily volume at the end of the range.

    Give `end_date` (the last local day), `now` (the moment nothing may follow), or both:
    `end_date` alone ends at the last second of that local day; `now` alone ends on its local
    date; both end on `end_date`, cut at `now` when that falls within it. The generator never
    reads the clock: `wismo demo` passes the clock's now (`app.core.clock`).
    """

    days: int = 120
    orders_per_day: float = 40
    seed: int = 7
    end_date: date | None = None
    now: datetime | None = None
    batch_orders: int = 2000  # orders per insert batch (the loader's memory bound)

    def __post_init__(self) -> None:
        if self.days < 1:
            raise ValueError("days must be at least 1")
        if self.orders_per_day < 0:
            raise ValueError("orders_per_day must not be negative")
        if self.batch_orders < 1:
            raise ValueError("batch_orders must be at least 1")
        if self.now is not None and self.now.tzinfo is None:
            raise ValueError("now must be timezone-aware")


@dataclass(frozen=True, slots=True)
class DemoPlan:
    """The calendar of one store's demo data."""

    timezone: str
    region: Region
    start_date: date
    end_date: date
    now: datetime
    daily_orders: tuple[tuple[date, int], ...]  # planned; orders after `now` are dropped
    incident_start: date
    incident_end: date  # inclusive
    incident_carrier: str

    @property
    def total_orders(self) -> int:
        return sum(n for _, n in self.daily_orders)


def _end_of_day(day: date, tz: ZoneInfo) -> datetime:
    """The last whole second of a local day, in UTC."""
    return datetime.combine(day + DAY, time(), tzinfo=tz).astimezone(UTC) - timedelta(seconds=1)


def make_plan(config: DemoConfig, timezone: str) -> DemoPlan:
    """The calendar: a pure function of the config and the time zone (it never reads a clock).

    Random draws are seeded by (seed, days before the end date), never by the calendar date,
    so the same seed gives the same story whatever the end date; only what is meant to
    follow the calendar does (weekdays, weekends, local hours and DST).
    """
    tz = zone(timezone)
    if config.now is not None:
        now = config.now.astimezone(UTC).replace(microsecond=0)
        end = config.end_date or local_date(now, timezone)
        if config.end_date is not None:
            if now < datetime.combine(end, time(), tzinfo=tz).astimezone(UTC):
                raise ValueError(f"end_date {end} has not begun in {timezone} at now ({now})")
            now = min(now, _end_of_day(end, tz))
    elif config.end_date is not None:
        end = config.end_date
        now = _end_of_day(end, tz)
    else:
        raise ValueError("give the demo data an end_date or a now (e.g. the clock's now)")
    start = end - timedelta(days=config.days - 1)
    daily: list[tuple[date, int]] = []
    for i in range(config.days):
        day = start + timedelta(days=i)
        rng = random.Random(f"wismo-demo/{config.seed}/volume/{(end - day).days}")
        growth = MONTHLY_GROWTH ** ((day - end).days / 30)
        mean = config.orders_per_day * growth * WEEKDAY_FACTORS[day.weekday()] / _WEEKDAY_MEAN
        mean *= rng.lognormvariate(0, 0.06)
        count = round(rng.gauss(mean, math.sqrt(mean))) if mean > 0 else 0
        daily.append((day, max(0, count)))
    region = region_for_timezone(timezone)
    incident_start = end - timedelta(days=INCIDENT_START_DAYS_BEFORE_END)
    return DemoPlan(
        timezone=timezone,
        region=region,
        start_date=start,
        end_date=end,
        now=now,
        daily_orders=tuple(daily),
        incident_start=incident_start,
        incident_end=incident_start + timedelta(days=INCIDENT_LENGTH_DAYS - 1),
        incident_carrier=region.incident_carrier,
    )


# ---------------------------------------------------------------- rows


@dataclass(slots=True)
class DemoCustomer:
    id: uuid.UUID
    email_hash: str
    email: str
    name: str
    created_at: datetime


@dataclass(slots=True)
class DemoOrder:
    id: uuid.UUID
    order_number: str
    external_id: str
    customer_id: uuid.UUID
    status: str
    financial_status: str
    fulfillment_status: str
    total: Decimal
    currency: str
    shipping_postcode: str
    created_at: datetime
    local_date: date
    cancelled_at: datetime | None
    promised_delivery_date: date | None
    refunded_at: datetime | None = None


@dataclass(slots=True)
class DemoShipment:
    id: uuid.UUID
    order_id: uuid.UUID
    external_id: str | None
    carrier: str
    tracking_number: str
    status: str
    shipped_at: datetime
    shipped_local_date: date
    original_estimated_delivery: date | None
    estimated_delivery: date | None
    delivered_at: datetime | None
    delivered_local_date: date | None
    exception_reason: str | None
    first_scan_at: datetime | None
    last_event_at: datetime | None
    had_exception: bool
    is_first_for_order: bool
    # The carrier's estimate when the label was created (what a shipment create would send;
    # `original_estimated_delivery` falls back to the first estimate from an event).
    carrier_estimate: date | None


@dataclass(slots=True)
class DemoEvent:
    id: uuid.UUID
    shipment_id: uuid.UUID
    occurred_at: datetime
    status: str
    subtag: str | None
    description: str
    location: str | None
    provider_event_id: str
    estimated_delivery: date | None  # a revised carrier estimate (not a column of its own)


@dataclass(slots=True)
class DemoInquiry:
    id: uuid.UUID
    conversation_id: uuid.UUID | None
    order_id: uuid.UUID | None
    order_number: str | None
    customer_id: uuid.UUID | None
    external_id: str
    inquiry_type: str
    order_status: str | None
    channel: str
    carrier: str | None
    exception_reason: str | None
    created_at: datetime
    local_date: date
    local_hour: int
    local_weekday: int
    is_repeat: bool
    followed_up: bool
    first_response_at: datetime | None
    resolved: bool
    resolved_at: datetime | None
    resolution_seconds: int | None
    escalated: bool
    customer_satisfied: bool | None
    satisfaction_rating: int | None
    effort_score: int | None
    feedback_text: str | None
    # Set by the loader from the store's business hours.
    first_response_business_seconds: int | None = None
    resolution_business_seconds: int | None = None


@dataclass(slots=True)
class DemoBatch:
    """The rows of the orders placed on local dates [first_date, last_date]."""

    first_date: date
    last_date: date
    customers: list[DemoCustomer] = field(default_factory=list)
    orders: list[DemoOrder] = field(default_factory=list)
    shipments: list[DemoShipment] = field(default_factory=list)
    events: list[DemoEvent] = field(default_factory=list)
    inquiries: list[DemoInquiry] = field(default_factory=list)

    def extend(self, other: "DemoBatch") -> None:
        self.last_date = other.last_date
        self.customers.extend(other.customers)
        self.orders.extend(other.orders)
        self.shipments.extend(other.shipments)
        self.events.extend(other.events)
        self.inquiries.extend(other.inquiries)


# ---------------------------------------------------------------- the story of one order


@dataclass(slots=True)
class _Trigger:
    """A reason for the customer to get in touch, at a moment."""

    at: datetime
    inquiry_type: str
    severity: int  # 0 routine, 1 a problem (late, exception), 2 a serious one (lost, damaged)
    until: datetime | None  # when the cause goes away (no reason to ask again after it)


@dataclass(slots=True)
class _ShipmentPlan:
    shipment: DemoShipment
    events: list[DemoEvent]  # all planned events, chronological (cut at `now` later)
    carrier: CarrierProfile
    estimate: date | None
    delivered_at: datetime | None  # planned
    deliver_day: date | None
    first_scan_at: datetime
    exceptions: list[tuple[datetime, str]]  # (time, reason) incl. failed attempts
    returned_at: datetime | None
    lost: bool
    incident: bool


_MS_MASK = (1 << 48) - 1
_RAND_A_SHIFT = 62
_RAND_B_MASK = (1 << 62) - 1


def _uuid(rng: random.Random, at: datetime) -> uuid.UUID:
    """A time-ordered id (UUIDv7 layout: 48-bit Unix milliseconds, then random bits).

    Rows of one batch then land side by side in the primary-key indexes, which keeps bulk
    loads of millions of rows fast (random v4 ids scatter every insert across the index).
    """
    ms = int(at.timestamp()) * 1000 & _MS_MASK
    bits = rng.getrandbits(128)
    return uuid.UUID(
        int=ms << 80 | 0x7 << 76 | (bits >> 116) << 64 | 0b10 << 62 | (bits & _RAND_B_MASK)
    )


def _lognormal_seconds(rng: random.Random, median: float, sigma: float) -> float:
    return median * math.exp(rng.gauss(0.0, sigma))


def _next_business_day(day: date, n: int = 1) -> date:
    """n business days (Monday-Friday) after `day`."""
    while n > 0:
        day += DAY
        if day.weekday() < 5:
            n -= 1
    return day


def _previous_business_day(day: date, n: int) -> date:
    while n > 0:
        day -= DAY
        if day.weekday() < 5:
            n -= 1
    return day


def _weekend_days(first: date, last: date) -> int:
    """Saturdays and Sundays in (first, last]."""
    return sum(
        (first + timedelta(days=i)).weekday() >= 5 for i in range(1, (last - first).days + 1)
    )


def _delivery_day(day: date) -> date:
    """Carriers deliver Monday to Saturday."""
    return day + DAY if day.weekday() == 6 else day


class StoreDataGenerator:
    """Generates one store's rows, day by day. Use `generate()` rather than this directly."""

    def __init__(self, config: DemoConfig, timezone: str, currency: str = "USD") -> None:
        self.config = config
        self.plan = make_plan(config, timezone)
        self.timezone = timezone
        self.zone = zone(timezone)
        self.currency = currency.upper()
        self.region = self.plan.region
        self.now = self.plan.now
        self.carriers = self.region.carriers
        self._carrier_cum = list(accumulate(c.share for c in self.carriers))
        reasons = [(k, v[0]) for k, v in EXCEPTION_REASONS.items() if v[0] > 0]
        self._reasons = [k for k, _ in reasons]
        self._reason_cum = list(accumulate(w for _, w in reasons))
        self._channels = list(CHANNEL_WEIGHTS)
        self.order_seq = 0
        self.customer_seq = 0
        self.inquiry_seq = 0
        self._pool: list[DemoCustomer] = []
        # customer id -> times of its order-less inquiries (from earlier stories)
        self._loose_inquiries: dict[uuid.UUID, list[datetime]] = {}

    # ------------------------------------------------------------ time helpers

    def _local(self, day: date, hours: float) -> datetime:
        """A whole-second UTC instant at `hours` after local midnight of `day`."""
        seconds = min(int(hours * 3600), 86399)
        local = datetime.combine(day, time(), tzinfo=self.zone) + timedelta(seconds=seconds)
        return local.astimezone(UTC)

    def _day(self, moment: datetime) -> date:
        """The store-local date (what `timeutils.local_date` gives, minus a zone lookup)."""
        return moment.astimezone(self.zone).date()

    def _hour(self, moment: datetime) -> float:
        local = moment.astimezone(self.zone)
        return local.hour + local.minute / 60

    # ------------------------------------------------------------ days

    def days(self) -> Iterator[DemoBatch]:
        for day, count in self.plan.daily_orders:
            offset = (self.plan.end_date - day).days  # days before the end: see make_plan
            rng = random.Random(f"wismo-demo/{self.config.seed}/orders/{offset}")
            batch = DemoBatch(day, day)
            self._forget_old_loose_inquiries(day)
            times = sorted(self._order_time(rng, day) for _ in range(count))
            for created_at in times:
                if created_at > self.now:
                    break
                self._order_story(rng, created_at, batch)
            yield batch

    def _order_time(self, rng: random.Random, day: date) -> datetime:
        hour = bisect_right(_ORDER_HOUR_CUM, rng.random() * _ORDER_HOUR_CUM[-1])
        return self._local(day, min(hour, 23) + rng.random())

    # ------------------------------------------------------------ customers

    def _customer(self, rng: random.Random, at: datetime, batch: DemoBatch) -> DemoCustomer:
        if self._pool and rng.random() < 0.22:
            return self._pool[rng.randrange(len(self._pool))]
        self.customer_seq += 1
        first = rng.choice(self.region.first_names)
        last = rng.choice(self.region.last_names)
        domain = rng.choice(("example.com", "example.org", "example.net"))
        email = f"{first}.{last}{self.customer_seq}@{domain}".lower()
        customer = DemoCustomer(_uuid(rng, at), hash_email(email), email, f"{first} {last}", at)
        batch.customers.append(customer)
        self._pool.append(customer)
        if len(self._pool) > 40_000:
            del self._pool[:10_000]
        return customer

    def _postcode(self, rng: random.Random) -> str:
        kind = self.region.postcode_kind
        if kind == "uk":
            area = rng.choice(("SW", "E", "N", "M", "LS", "BS", "G", "CF", "B", "EH", "NR", "YO"))
            letters = "ABDEFGHJLNPQRSTUWXYZ"
            return (
                f"{area}{rng.randint(1, 20)} {rng.randint(1, 9)}"
                f"{rng.choice(letters)}{rng.choice(letters)}"
            )
        if kind == "au":
            return f"{rng.randint(2000, 7999)}"
        return f"{rng.randint(1001, 99950):05d}"

    # ------------------------------------------------------------ processing

    def _label_time(self, rng: random.Random, after: datetime, express: bool) -> datetime:
        """When the warehouse creates the shipping label (business days, 09:00-18:00)."""
        local = after.astimezone(self.zone)
        day = local.date()
        hour = local.hour + local.minute / 60
        same_day = day.weekday() < 5 and hour < 13 and rng.random() < (0.9 if express else 0.55)
        if same_day:
            start = max(hour + 0.5, 9.0)
            return self._local(day, start + rng.random() * (18.0 - start))
        extra = 0 if express else int(rng.random() < 0.25) + int(rng.random() < 0.08)
        ship_day = _next_business_day(day, 1 + extra)
        return self._local(ship_day, 9.0 + rng.random() * 9.0)

    # ------------------------------------------------------------ shipments

    def _pick_carrier(self, rng: random.Random) -> CarrierProfile:
        index = bisect_right(self._carrier_cum, rng.random() * self._carrier_cum[-1])
        return self.carriers[min(index, len(self.carriers) - 1)]

    def _tracking_number(self, rng: random.Random, carrier: CarrierProfile, k: int) -> str:
        unique = f"{self.order_seq * 10 + k:09d}"
        extra = carrier.tracking_digits - len(unique)
        noise = f"{rng.randrange(10**extra):0{extra}d}" if extra > 0 else ""
        # The sequence leads, so that new numbers land together in the tracking-number index.
        return f"{carrier.tracking_prefix}{unique}{noise}"

    def _plan_shipment(
        self,
        rng: random.Random,
        order: DemoOrder,
        label_at: datetime,
        carrier: CarrierProfile,
        k: int,
        first: bool,
    ) -> _ShipmentPlan:
        plan = self.plan
        label_day = self._day(label_at)
        tracking = self._tracking_number(rng, carrier, k)
        city = rng.choice(self.region.cities)
        international = rng.random() < carrier.international
        est_days = rng.randint(*carrier.transit_days) + (2 if international else 0)

        # pickup: the first carrier scan (no pickups at weekends)
        pickup = _lognormal_seconds(rng, carrier.pickup_hours * 3600, 0.5)
        first_scan = label_at + timedelta(seconds=int(pickup))
        if self._day(first_scan).weekday() >= 5:
            monday = _next_business_day(self._day(first_scan))
            first_scan = self._local(monday, 17.0 + rng.random() * 3)
        # The carrier's estimate counts from its scheduled pickup.
        nominal_estimate = _next_business_day(max(label_day, self._day(first_scan)), est_days)
        estimate = nominal_estimate if rng.random() < 0.96 else None
        if rng.random() < carrier.stuck_label_rate:  # label printed, parcel not handed over
            first_scan = self._local(
                _next_business_day(self._day(first_scan), rng.randint(2, 4)),
                16.0 + rng.random() * 4,
            )
        scan_day = self._day(first_scan)

        # The delivery day without accidents, aiming at the carrier's on-time rate given that
        # exceptions, failed attempts and stuck labels are mostly late.
        ex_rate = carrier.exception_rate
        troubled = ex_rate + carrier.failed_attempt_rate + carrier.stuck_label_rate
        p_on_time = (carrier.on_time - 0.4 * troubled) / (1 - troubled)
        if rng.random() < min(0.995, max(0.0, p_on_time)):
            early = rng.choices((0, 1, 2), (0.6, 0.3, 0.1))[0]
            deliver_day = _previous_business_day(nominal_estimate, early)
        else:
            late = 1
            while late < 6 and rng.random() < 0.45:
                late += 1
            deliver_day = _delivery_day(nominal_estimate + timedelta(days=late))
        deliver_day = _delivery_day(max(deliver_day, scan_day + DAY))

        # accidents: the incident week, or an ordinary exception
        exceptions: list[tuple[datetime, str]] = []
        reason: str | None = None
        exc_day: date | None = None
        incident = False
        if scan_day <= plan.incident_end and deliver_day >= plan.incident_start:
            hit = (
                INCIDENT_HIT_RATE
                if carrier.name == plan.incident_carrier
                else (INCIDENT_SPILLOVER_RATE)
            )
            if rng.random() < hit:
                incident = True
                reason = "weather_delay"
                exc_day = max(scan_day, plan.incident_start)
        if reason is None and rng.random() < ex_rate:
            if international and rng.random() < 0.5:
                reason = "customs"
            else:
                index = bisect_right(self._reason_cum, rng.random() * self._reason_cum[-1])
                reason = self._reasons[min(index, len(self._reasons) - 1)]
            span = max(0, (deliver_day - scan_day).days - 1)
            exc_day = scan_day + timedelta(days=rng.randint(0, span))

        events: list[tuple[datetime, str, str | None, str, str | None, date | None]] = []
        label_event = label_at + timedelta(seconds=rng.randint(60, 1500))
        events.append(
            (
                label_event,
                "info_received",
                None,
                f"Shipping label created, {carrier.name} awaiting item",
                self.region.origin,
                None,
            )
        )
        events.append(
            (first_scan, "in_transit", None, "Picked up by carrier", self.region.origin, None)
        )

        def hub_scans(after: datetime, before_day: date, limit: int) -> None:
            day = self._day(after) + DAY
            n = 0
            while day < before_day and n < limit:
                at = self._local(day, 0.5 + rng.random() * 22.5)
                text = rng.choice(
                    (
                        f"Arrived at {carrier.name} facility",
                        f"Departed {carrier.name} facility",
                        "In transit to next facility",
                    )
                )
                events.append((at, "in_transit", None, text, carrier.hub, None))
                day += DAY
                n += 1

        delivered_at: datetime | None = None
        returned_at: datetime | None = None
        lost = False
        final_day: date | None = deliver_day
        if reason is not None and exc_day is not None:
            exc_at = self._local(exc_day, 6.0 + rng.random() * 15)
            if exc_at <= first_scan:
                exc_at = first_scan + timedelta(seconds=rng.randint(3600, 6 * 3600))
                exc_day = self._day(exc_at)
            hub_scans(first_scan, exc_day, 2)
            _, (lo, hi), p_return, _ = EXCEPTION_REASONS[reason]
            if incident:
                resume = plan.incident_end + timedelta(days=rng.randint(1, 3))
                final_day = _delivery_day(max(deliver_day, resume) + timedelta(days=1))
                description = f"Severe weather: operations suspended at the {carrier.hub} hub"
            else:
                description = EXCEPTION_DESCRIPTIONS[reason]
                if reason == "lost":
                    lost = True
                    final_day = None
                elif rng.random() < p_return:
                    final_day = None
                else:
                    final_day = _delivery_day(
                        max(deliver_day, exc_day + DAY) + timedelta(days=rng.randint(lo, hi))
                    )
            revised = final_day
            events.append((exc_at, "exception", reason, description, carrier.hub, revised))
            exceptions.append((exc_at, reason))
            if final_day is None and not lost:
                back = exc_at + timedelta(hours=rng.uniform(20, 40))
                events.append((back, "in_transit", None, "Returning to sender", carrier.hub, None))
                returned_at = exc_at + timedelta(hours=rng.uniform(72, 160))
                returned_at = returned_at.replace(microsecond=0)
                events.append(
                    (
                        returned_at,
                        "returned",
                        None,
                        "Delivered back to sender",
                        self.region.origin,
                        None,
                    )
                )
            elif final_day is not None:
                resume_at = self._local(final_day - DAY, 19.0 + rng.random() * 4)
                if resume_at > exc_at + HOUR:
                    events.append(
                        (resume_at, "in_transit", None, "In transit - back on schedule", city, None)
                    )
        else:
            hub_scans(first_scan, deliver_day, 3)

        if final_day is not None:
            day = final_day
            ofd = self._local(day, 7.0 + rng.random() * 2.5)
            customer_pickup = False
            if rng.random() < carrier.failed_attempt_rate:
                failed_at = self._local(day, 11.0 + rng.random() * 8)
                subtag, text = rng.choice(FAILED_ATTEMPT_REASONS)
                events.append((ofd, "out_for_delivery", None, "Out for delivery", city, None))
                events.append((failed_at, "failed_attempt", subtag, text, city, None))
                exceptions.append((failed_at, subtag))
                if rng.random() < 0.6:
                    day = _delivery_day(day + DAY)
                    ofd = self._local(day, 7.0 + rng.random() * 2.5)
                else:
                    pickup_point = self._local(day + DAY, 9.0 + rng.random() * 2)
                    events.append(
                        (
                            pickup_point,
                            "available_for_pickup",
                            None,
                            f"Held at a {carrier.name} pickup point in {city}",
                            city,
                            None,
                        )
                    )
                    day = day + timedelta(days=rng.randint(1, 4))
                    ofd = pickup_point
                    customer_pickup = True
            if not customer_pickup:
                events.append((ofd, "out_for_delivery", None, "Out for delivery", city, None))
            start = max(10.0, self._hour(ofd) + 0.5) if self._day(ofd) == day else 10.0
            delivered_at = self._local(day, start + rng.random() * max(0.5, 19.5 - start))
            text = rng.choice(
                (
                    "Delivered, left at front door",
                    "Delivered to recipient",
                    "Delivered to parcel locker",
                    "Delivered, signed for",
                )
            )
            events.append((delivered_at, "delivered", None, text, city, None))
            final_day = day

        events.sort(key=lambda e: e[0])
        shipment_id = _uuid(rng, label_at)
        rows: list[DemoEvent] = []
        previous: datetime | None = None
        for i, (at, status, tag, note, location, revised_estimate) in enumerate(events):
            at = at.replace(microsecond=0)
            if previous is not None and at <= previous:
                at = previous + timedelta(seconds=1)
            previous = at
            if status == "delivered":
                delivered_at = at
            rows.append(
                DemoEvent(
                    id=_uuid(rng, at),
                    shipment_id=shipment_id,
                    occurred_at=at,
                    status=status,
                    subtag=tag,
                    description=note,
                    location=location,
                    provider_event_id=f"{tracking}-{i + 1:02d}",
                    estimated_delivery=revised_estimate,
                )
            )
        shipment = DemoShipment(
            id=shipment_id,
            order_id=order.id,
            external_id=None,
            carrier=carrier.name,
            tracking_number=tracking,
            status="pending",
            shipped_at=label_at,
            shipped_local_date=label_day,
            original_estimated_delivery=estimate,
            estimated_delivery=estimate,
            delivered_at=None,
            delivered_local_date=None,
            exception_reason=None,
            first_scan_at=None,
            last_event_at=None,
            had_exception=False,
            is_first_for_order=first,
            carrier_estimate=estimate,
        )
        return _ShipmentPlan(
            shipment=shipment,
            events=rows,
            carrier=carrier,
            estimate=estimate,
            delivered_at=delivered_at,
            deliver_day=final_day if delivered_at is not None else None,
            first_scan_at=first_scan,
            exceptions=exceptions,
            returned_at=returned_at,
            lost=lost,
            incident=incident,
        )

    def _settle_shipment(self, plan: _ShipmentPlan) -> list[DemoEvent]:
        """Cut the events at `now` and set the shipment's columns as ingestion would."""
        s = plan.shipment
        events = [e for e in plan.events if e.occurred_at <= self.now]
        for e in events:  # chronological, as the per-row path would receive them
            if e.status in CARRIER_SCAN_STATUSES and s.first_scan_at is None:
                s.first_scan_at = max(e.occurred_at, s.shipped_at)
            if e.status in EXCEPTION_STATUSES:
                s.had_exception = True
                s.exception_reason = e.subtag or (
                    "failed_attempt" if e.status == "failed_attempt" else "exception"
                )
            if e.status == "delivered" and s.delivered_at is None:
                s.delivered_at = max(e.occurred_at, s.shipped_at)
                s.delivered_local_date = self._day(s.delivered_at)
            if e.estimated_delivery is not None:
                s.estimated_delivery = e.estimated_delivery
                if s.original_estimated_delivery is None:
                    s.original_estimated_delivery = e.estimated_delivery
            s.last_event_at = e.occurred_at
            s.status = e.status
        return events

    # ------------------------------------------------------------ the order

    def _order_story(self, rng: random.Random, created_at: datetime, batch: DemoBatch) -> None:
        self.order_seq += 1
        seq = self.order_seq
        now = self.now
        customer = self._customer(rng, created_at, batch)
        order_day = self._day(created_at)
        express = rng.random() < 0.08
        total = Decimal(
            f"{max(5.0, self.region.order_total_median * math.exp(rng.gauss(0, 0.55))):.2f}"
        )
        order = DemoOrder(
            id=_uuid(rng, created_at),
            order_number=str(1000 + seq),
            external_id=str(5_512_000_000_000 + seq * 1117),
            customer_id=customer.id,
            status="open",
            financial_status="paid",
            fulfillment_status="unfulfilled",
            total=total,
            currency=self.currency,
            shipping_postcode=self._postcode(rng),
            created_at=created_at,
            local_date=order_day,
            cancelled_at=None,
            promised_delivery_date=_next_business_day(order_day, 2) if express else None,
        )

        # processing, backorders, cancellation
        label_at = self._label_time(rng, created_at, express)
        if rng.random() < 0.02:  # an item on backorder
            later = created_at + timedelta(days=rng.uniform(4, 12))
            label_at = self._label_time(rng, later, False)
        cancel_at: datetime | None = None
        waiting = label_at - created_at
        if rng.random() < (0.15 if waiting > 3 * DAY else 0.022):
            window = min(waiting * 0.9, waiting - HOUR)
            cancel_at = created_at + max(timedelta(minutes=20), window * rng.uniform(0.05, 1.0))
            cancel_at = cancel_at.replace(microsecond=0)

        plans: list[_ShipmentPlan] = []
        if cancel_at is None:
            carrier = self._pick_carrier(rng)
            plans.append(self._plan_shipment(rng, order, label_at, carrier, 0, True))
            if rng.random() < 0.04:  # split fulfillment: the rest ships a few days later
                second_at = self._label_time(
                    rng, label_at + timedelta(days=rng.randint(1, 5)), False
                )
                carrier2 = carrier if rng.random() < 0.7 else self._pick_carrier(rng)
                plans.append(self._plan_shipment(rng, order, second_at, carrier2, 1, False))

        # refunds: returned or lost parcels, damaged goods, and customer returns
        refund_at: datetime | None = None
        for p in plans:
            candidates: list[datetime] = []
            if p.returned_at is not None:
                candidates.append(p.returned_at + timedelta(hours=rng.uniform(20, 72)))
            if p.lost:
                candidates.append(p.exceptions[0][0] + timedelta(days=rng.uniform(7, 12)))
            if p.delivered_at is not None:
                damaged = any(r == "damaged" for _, r in p.exceptions)
                if (damaged and rng.random() < 0.5) or rng.random() < 0.03:
                    candidates.append(p.delivered_at + timedelta(days=rng.uniform(2, 20)))
            for c in candidates:
                c = c.replace(microsecond=0)
                refund_at = c if refund_at is None else min(refund_at, c)

        # the order as it stands at `now`
        shipped = [p for p in plans if p.shipment.shipped_at <= now]
        if cancel_at is not None and cancel_at <= now:
            order.status = "cancelled"
            order.cancelled_at = cancel_at
            order.financial_status = "refunded" if rng.random() < 0.6 else "voided"
            if order.financial_status == "refunded":
                order.refunded_at = cancel_at
        elif refund_at is not None and refund_at <= now:
            order.status = "refunded"
            order.financial_status = "refunded"
            order.refunded_at = refund_at
        elif plans and all(p.delivered_at is not None and p.delivered_at <= now for p in plans):
            order.status = "closed"
        if shipped:
            order.fulfillment_status = "fulfilled" if len(shipped) == len(plans) else "partial"
        batch.orders.append(order)
        settled: list[tuple[DemoShipment, list[DemoEvent]]] = []
        for p in shipped:
            events = self._settle_shipment(p)
            batch.shipments.append(p.shipment)
            batch.events.extend(events)
            settled.append((p.shipment, events))

        triggers = self._triggers(rng, order, label_at, cancel_at, refund_at, plans)
        self._inquiries(rng, order, customer, triggers, settled, batch)

    # ------------------------------------------------------------ why customers get in touch

    def _triggers(
        self,
        rng: random.Random,
        order: DemoOrder,
        label_at: datetime,
        cancel_at: datetime | None,
        refund_at: datetime | None,
        plans: list[_ShipmentPlan],
    ) -> list[_Trigger]:
        created = order.created_at
        out: list[_Trigger] = []

        def after(start: datetime, seconds: float) -> datetime:
            return (start + timedelta(seconds=max(60.0, seconds))).replace(microsecond=0)

        # before shipping
        wait_end = cancel_at or label_at
        waiting_days = (wait_end - created).total_seconds() / 86400
        if waiting_days > 4:
            if rng.random() < min(0.6, 0.2 * (waiting_days - 4)):
                at = after(created, rng.uniform(2.5, waiting_days) * 86400)
                out.append(_Trigger(at, "status", 1, wait_end))
        elif rng.random() < 0.012:
            at = after(created, rng.uniform(2 * 3600, max(3 * 3600, waiting_days * 86400)))
            out.append(_Trigger(at, "status", 0, label_at))
        if cancel_at is not None:
            if rng.random() < 0.25:  # asking to cancel
                span = (cancel_at - created).total_seconds()
                out.append(
                    _Trigger(after(created, span * rng.uniform(0.2, 0.95)), "refund", 0, cancel_at)
                )
            if rng.random() < 0.3:  # where is my refund?
                at = after(cancel_at, rng.uniform(1, 6) * 86400)
                out.append(_Trigger(at, "refund", 1, cancel_at + 5 * DAY))
        if rng.random() < 0.01:
            out.append(_Trigger(after(created, rng.uniform(0, 10) * 86400), "other", 0, None))

        for p in plans:
            s = p.shipment
            end = p.delivered_at or refund_at or p.returned_at
            span = ((end or s.shipped_at + 6 * DAY) - s.shipped_at).total_seconds()
            if rng.random() < 0.02:  # routine curiosity while in transit
                kind = rng.choices(("tracking", "status", "delivery"), (0.45, 0.35, 0.2))[0]
                out.append(
                    _Trigger(after(s.shipped_at, span * rng.uniform(0.1, 1.0)), kind, 0, end)
                )
            gap = (p.first_scan_at - s.shipped_at).total_seconds()
            gap -= 86400 * _weekend_days(s.shipped_local_date, self._day(p.first_scan_at))
            if gap > 2 * 86400 and rng.random() < 0.3:  # label created, tracking not moving
                at = after(s.shipped_at, rng.uniform(2 * 86400, gap))
                out.append(_Trigger(at, "tracking", 1, p.first_scan_at))
            if p.estimate is not None:
                late_days = (p.deliver_day - p.estimate).days if p.deliver_day is not None else 5
                if late_days >= 1 and rng.random() < min(0.7, 0.22 + 0.12 * late_days):
                    start = self._local(p.estimate + DAY, 7.0)
                    at = after(start, rng.uniform(0, late_days * 86400))
                    if p.delivered_at is None or at < p.delivered_at:
                        kind = rng.choices(("delivery", "status", "tracking"), (0.5, 0.3, 0.2))[0]
                        out.append(_Trigger(at, kind, 1, end))
            for exc_at, reason in p.exceptions:
                info = EXCEPTION_REASONS.get(reason)
                p_ask = info[3] if info else 0.35
                if rng.random() >= p_ask:
                    continue
                at = after(exc_at, _lognormal_seconds(rng, 5 * 3600, 0.8))
                if reason == "address_issue" or reason not in EXCEPTION_REASONS:
                    kind = "delivery"
                elif reason in ("damaged", "lost"):
                    kind = rng.choice(("refund", "status" if reason == "lost" else "delivery"))
                elif reason == "customs":
                    kind = "status"
                else:
                    kind = rng.choice(("status", "tracking"))
                severity = 2 if reason in ("damaged", "lost") else 1
                out.append(_Trigger(at, kind, severity, end))
            if p.incident and rng.random() < 0.06:
                at = self._local(self.plan.incident_start, 8 + rng.random() * 12)
                if at > s.shipped_at:
                    out.append(_Trigger(at, "status", 1, end))
            if p.delivered_at is not None and rng.random() < 0.008:  # delivered, not received
                at = after(p.delivered_at, rng.uniform(3600, 36 * 3600))
                out.append(_Trigger(at, "delivery", 2, p.delivered_at + 4 * DAY))
            if p.returned_at is not None and rng.random() < 0.55:
                at = after(p.returned_at, rng.uniform(12 * 3600, 4 * 86400))
                out.append(_Trigger(at, "refund", 1, refund_at))
        if refund_at is not None and plans and plans[0].delivered_at is not None:
            delivered_at = plans[0].delivered_at
            if refund_at > delivered_at and rng.random() < 0.3:  # returns and refunds
                span = (refund_at - delivered_at).total_seconds()
                out.append(
                    _Trigger(
                        after(delivered_at, span * rng.uniform(0.1, 1.2)), "refund", 1, refund_at
                    )
                )

        # customers ask again while the cause persists
        repeats: list[_Trigger] = []
        for t in out:
            current = t
            for p_again in (0.18 + 0.1 * min(t.severity, 1), 0.15):
                again = current.at + timedelta(seconds=rng.uniform(0.8, 5) * 86400)
                if current.until is not None and again >= current.until:
                    break
                if rng.random() >= p_again:
                    break
                current = _Trigger(
                    again.replace(microsecond=0), current.inquiry_type, max(1, t.severity), t.until
                )
                repeats.append(current)
            if rng.random() < 0.03:
                quick = t.at + timedelta(seconds=rng.uniform(4 * 3600, 3 * 86400))
                repeats.append(
                    _Trigger(quick.replace(microsecond=0), t.inquiry_type, t.severity, t.until)
                )
        return out + repeats

    # ------------------------------------------------------------ inquiries

    def _human_time(self, rng: random.Random, at: datetime) -> datetime:
        """People rarely write between midnight and 7am: most such moments move to the morning."""
        local = at.astimezone(self.zone)
        if local.hour < 7 and rng.random() < 0.85:
            return self._local(local.date(), rng.triangular(7.0, 13.0, 8.5))
        return at

    def _inquiries(
        self,
        rng: random.Random,
        order: DemoOrder,
        customer: DemoCustomer,
        triggers: list[_Trigger],
        shipments: list[tuple[DemoShipment, list[DemoEvent]]],
        batch: DemoBatch,
    ) -> None:
        now = self.now
        drafts: list[tuple[datetime, _Trigger, bool]] = []  # (at, trigger, about the order?)
        for t in sorted(triggers, key=lambda t: t.at):
            at = self._human_time(rng, max(t.at, order.created_at + timedelta(minutes=5)))
            if at > now:
                continue
            if drafts and (at - drafts[-1][0]) < 2 * HOUR:
                continue  # the same conversation, really
            drafts.append((at, t, rng.random() >= 0.06))
        if not drafts:
            return
        # An order-less inquiry is linked by customer; keep those of different stories more
        # than 7 days apart so that a batch never changes an earlier batch's rows.
        loose = self._loose_inquiries.get(order.customer_id, [])
        settled: list[tuple[datetime, _Trigger, bool]] = []
        for at, t, about_order in drafts:
            if not about_order and any(abs(at - other) <= REPEAT_WINDOW + HOUR for other in loose):
                about_order = True
            settled.append((at, t, about_order))
        mine = [at for at, _, about_order in settled if not about_order]
        if mine:
            self._loose_inquiries.setdefault(order.customer_id, []).extend(mine)

        rows: list[DemoInquiry] = []
        for at, t, about_order in settled:
            rows.append(self._inquiry(rng, order, customer, at, t, about_order, shipments))
        for subject in (True, False):
            same = [r for r in rows if (r.order_id is not None) == subject]
            for i, r in enumerate(same):
                r.is_repeat = i > 0 and r.created_at - same[i - 1].created_at <= REPEAT_WINDOW
                r.followed_up = (
                    i + 1 < len(same) and same[i + 1].created_at - r.created_at <= REPEAT_WINDOW
                )
        for r in rows:
            # having to ask twice shows in the rating
            if (
                r.satisfaction_rating is not None
                and (r.is_repeat or r.followed_up)
                and rng.random() < 0.5
            ):
                r.satisfaction_rating = max(1, r.satisfaction_rating - 1)
                r.customer_satisfied = r.satisfaction_rating >= 4
        batch.inquiries.extend(rows)

    def _inquiry(
        self,
        rng: random.Random,
        order: DemoOrder,
        customer: DemoCustomer,
        at: datetime,
        trigger: _Trigger,
        about_order: bool,
        shipments: list[tuple[DemoShipment, list[DemoEvent]]],
    ) -> DemoInquiry:
        now = self.now
        self.inquiry_seq += 1
        weights = dict(CHANNEL_WEIGHTS)
        if trigger.severity >= 2:
            weights["phone"] *= 1.8
        if trigger.inquiry_type == "refund":
            weights["email"] *= 1.5
        if not about_order:
            weights["email"] *= 1.5
            weights["social"] *= 1.5
        channel = rng.choices(self._channels, [weights[c] for c in self._channels])[0]

        escalated = rng.random() < (0.04 + 0.08 * trigger.severity + 0.03 * (channel == "phone"))
        median, sigma = FIRST_RESPONSE[channel]
        response = _lognormal_seconds(rng, median, sigma)
        median, sigma = RESOLUTION[channel]
        resolution = _lognormal_seconds(rng, median, sigma) * (1.0, 2.0, 3.0)[trigger.severity]
        if escalated:
            resolution *= rng.uniform(3, 8)
        resolution = max(resolution, response + 30)
        first_response_at: datetime | None = at + timedelta(seconds=int(response))
        resolved_at: datetime | None = at + timedelta(seconds=int(resolution))
        if rng.random() < 0.02:
            resolved_at = None  # abandoned
        if first_response_at is not None and first_response_at > now:
            first_response_at = None
        if resolved_at is not None and resolved_at > now:
            resolved_at = None

        rating: int | None = None
        effort: int | None = None
        feedback: str | None = None
        if resolved_at is not None and rng.random() < 0.4:
            hours = resolution / 3600
            quality = (
                5.5
                - 0.45 * math.log1p(hours)
                - 0.8 * escalated
                - 0.3 * min(trigger.severity, 1)
                + rng.gauss(0, 0.6)
            )
            rating = min(5, max(1, round(quality)))
            if rng.random() < 0.8:
                strain = (
                    1.6
                    + 0.45 * math.log1p(hours)
                    + 0.8 * escalated
                    + 0.5 * (channel == "email")
                    + rng.gauss(0, 0.8)
                )
                effort = min(7, max(1, round(strain)))
            if rng.random() < 0.35:
                feedback = rng.choice(FEEDBACK[rating])

        if about_order:
            order_status, carrier, cause = self._status_at(order, shipments, at)
        else:
            order_status, carrier, cause = None, None, None
        day, hour, weekday = local_parts(at, self.timezone)
        return DemoInquiry(
            id=_uuid(rng, at),
            conversation_id=None,
            order_id=order.id if about_order else None,
            order_number=order.order_number if about_order else None,
            customer_id=customer.id,
            external_id=f"T{self.inquiry_seq:08d}",
            inquiry_type=trigger.inquiry_type,
            order_status=order_status,
            channel=channel,
            carrier=carrier,
            exception_reason=cause,
            created_at=at,
            local_date=day,
            local_hour=hour,
            local_weekday=weekday,
            is_repeat=False,
            followed_up=False,
            first_response_at=first_response_at,
            resolved=resolved_at is not None,
            resolved_at=resolved_at,
            resolution_seconds=seconds_between(at, resolved_at) if resolved_at else None,
            escalated=escalated,
            customer_satisfied=(rating >= 4) if rating is not None else None,
            satisfaction_rating=rating,
            effort_score=effort,
            feedback_text=feedback,
        )

    @staticmethod
    def _status_at(
        order: DemoOrder, shipments: list[tuple[DemoShipment, list[DemoEvent]]], at: datetime
    ) -> tuple[str, str | None, str | None]:
        """`ingestion.order_context_at`, computed from the rows instead of queried."""
        candidates = [(s, ev) for s, ev in shipments if s.shipped_at <= at]
        if not candidates:
            return (*order_state(order, None, [], at), None)
        shipment, events = max(candidates, key=lambda c: (c[0].shipped_at, c[0].id))
        status, carrier = order_state(order, shipment, events, at)
        return status, carrier, exception_cause(status, events, at)

    def _forget_old_loose_inquiries(self, day: date) -> None:
        """Stories start on `day` or later: older order-less inquiries can no longer clash."""
        horizon = self._local(day, 0.0) - REPEAT_WINDOW - 2 * DAY
        stale = [k for k, times in self._loose_inquiries.items() if max(times) < horizon]
        for k in stale:
            del self._loose_inquiries[k]


# ---------------------------------------------------------------- entry points


def batches(gen: StoreDataGenerator, batch_orders: int) -> Iterator[DemoBatch]:
    """Whole days grouped into batches of at least `batch_orders` orders (the last may be less)."""
    pending: DemoBatch | None = None
    for day_batch in gen.days():
        if pending is None:
            pending = day_batch
        else:
            pending.extend(day_batch)
        if len(pending.orders) >= batch_orders:
            yield pending
            pending = None
    if pending is not None:
        yield pending


def generate(config: DemoConfig, timezone: str, currency: str = "USD") -> Iterator[DemoBatch]:
    """One store's rows in batches of about `config.batch_orders` orders, oldest first."""
    return batches(StoreDataGenerator(config, timezone, currency), config.batch_orders)


def generate_all(config: DemoConfig, timezone: str, currency: str = "USD") -> DemoBatch:
    """Every row in one batch (small configs: tests and exploration)."""
    whole: DemoBatch | None = None
    for batch in generate(config, timezone, currency):
        if whole is None:
            whole = batch
        else:
            whole.extend(batch)
    assert whole is not None  # days >= 1
    return whole
