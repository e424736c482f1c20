"""The demo generator: deterministic, realistic, and consistent with the rules of DESIGN 4-5.

Every property is computed here from the generated facts (timestamps, events, estimates),
never read back from rollups or from the generator's own bookkeeping.
"""

import contextlib
import random
import statistics
from collections import Counter, defaultdict
from dataclasses import fields, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from app.core import clock
from app.core.timeutils import local_date, local_parts, local_today
from app.core.vocab import CHANNELS, INQUIRY_TYPES, ORDER_STATUSES, SHIPMENT_STATUSES
from app.demo import (
    DemoBatch,
    DemoConfig,
    DemoPlan,
    carriers_for_timezone,
    generate,
    generate_all,
    make_plan,
)
from app.demo.profiles import EXCEPTION_REASONS, FAILED_ATTEMPT_REASONS
from app.ingestion.rollups import seconds_between

NOW = datetime(2025, 10, 20, 18, 30, tzinfo=UTC)
TZ = "America/New_York"
CONFIG = DemoConfig(days=120, orders_per_day=40, seed=7, now=NOW)
SEVEN_DAYS = timedelta(days=7)


@pytest.fixture(scope="module")
def data() -> DemoBatch:
    return generate_all(CONFIG, TZ)


@pytest.fixture(scope="module")
def plan() -> DemoPlan:
    return make_plan(CONFIG, TZ)


def rows(batch: DemoBatch) -> list[Any]:
    return [*batch.customers, *batch.orders, *batch.shipments, *batch.events, *batch.inquiries]


# ---------------------------------------------------------------- determinism


def test_same_seed_gives_identical_rows_and_different_seed_does_not() -> None:
    config = DemoConfig(days=30, orders_per_day=15, seed=42, now=NOW)
    first = generate_all(config, TZ)
    assert generate_all(config, TZ) == first
    # Batching is only how rows are handed out, never what they are.
    small_batches = list(generate(replace(config, batch_orders=7), TZ))
    assert len(small_batches) > 10
    joined = small_batches[0]
    for b in small_batches[1:]:
        joined.extend(b)
    assert joined == first

    other = generate_all(replace(config, seed=43), TZ)
    assert other != first
    assert [o.created_at for o in other.orders] != [o.created_at for o in first.orders]


def test_global_random_state_is_left_alone() -> None:
    random.seed(1234)
    expected = random.random()
    random.seed(1234)
    generate_all(DemoConfig(days=5, orders_per_day=10, seed=1, now=NOW), TZ)
    assert random.random() == expected


# ---------------------------------------------------------------- time


def test_timestamps_are_utc_whole_seconds_and_never_in_the_future(data: DemoBatch) -> None:
    checked = 0
    for row in rows(data):
        for f in fields(row):
            value = getattr(row, f.name)
            if isinstance(value, datetime):
                assert value.utcoffset() == timedelta(0), (row, f.name)
                assert value.microsecond == 0
                assert value <= NOW, (row, f.name)
                checked += 1
    assert checked > 40_000
    # Work in flight at `now`: parcels still moving, inquiries still open.
    assert any(s.delivered_at is None and s.status == "in_transit" for s in data.shipments)
    assert any(not i.resolved for i in data.inquiries)


def test_end_date_without_now_stops_at_the_end_of_that_local_day() -> None:
    config = DemoConfig(days=5, orders_per_day=20, seed=2, end_date=date(2025, 3, 1))
    sydney = "Australia/Sydney"
    batch = generate_all(config, sydney)
    assert {o.local_date for o in batch.orders} <= {
        date(2025, 2, 25) + timedelta(days=i) for i in range(5)
    }
    limit = datetime(2025, 3, 1, 13, 0, tzinfo=UTC)  # midnight in Sydney (UTC+11)
    for row in rows(batch):
        for f in fields(row):
            value = getattr(row, f.name)
            if isinstance(value, datetime):
                assert value < limit


@pytest.mark.dated
@pytest.mark.parametrize("at", [None, datetime(2026, 3, 8, 2, 0, tzinfo=UTC)])
def test_the_clock_s_now_ends_the_window_on_today_in_the_store_time_zone(
    at: datetime | None,
) -> None:
    # What `wismo demo` passes: the clock's now (the one clock; here also frozen at an
    # instant that is still the 7th in New York and already the 8th in Sydney).
    with contextlib.ExitStack() as stack:
        if at is not None:
            stack.enter_context(clock.frozen(at))
        for tz in ("Australia/Sydney", "America/New_York"):
            plan = make_plan(DemoConfig(days=3, now=clock.now()), tz)
            assert plan.end_date == local_today(tz)
            assert plan.start_date == plan.end_date - timedelta(days=2)
            assert plan.now <= clock.now()
        if at is not None:
            assert local_today("America/New_York") == date(2026, 3, 7)
            assert local_today("Australia/Sydney") == date(2026, 3, 8)


def test_an_end_date_or_a_now_is_required() -> None:
    with pytest.raises(ValueError, match="end_date or a now"):
        make_plan(DemoConfig(days=3), TZ)
    with pytest.raises(ValueError, match="has not begun"):
        make_plan(DemoConfig(days=3, end_date=date(2025, 10, 21), now=NOW), TZ)
    # both: ends on end_date, cut at now when that falls within it
    plan = make_plan(DemoConfig(days=3, end_date=date(2025, 10, 20), now=NOW), TZ)
    assert (plan.end_date, plan.now) == (date(2025, 10, 20), NOW)
    plan = make_plan(DemoConfig(days=3, end_date=date(2025, 10, 18), now=NOW), TZ)
    assert plan.now == datetime(2025, 10, 19, 3, 59, 59, tzinfo=UTC)  # end of the 18th, EDT


def test_the_data_never_depends_on_when_it_is_generated() -> None:
    config = DemoConfig(days=20, orders_per_day=15, seed=9, end_date=date(2025, 10, 20))
    with clock.frozen(datetime(2025, 10, 21, 3, tzinfo=UTC)):
        first = generate_all(config, TZ)
    with clock.frozen(datetime(2031, 1, 1, 12, tzinfo=UTC)):
        assert generate_all(config, TZ) == first
    assert generate_all(config, TZ) == first  # the real clock


def test_the_same_seed_tells_the_same_story_whatever_the_end_date() -> None:
    # Random draws are seeded by days before the end, not by the calendar date: with end
    # dates on the same weekday (the weekly pattern is meant to follow the calendar), the
    # daily volumes and the planted incident are the same, only moved.
    a = make_plan(DemoConfig(days=90, orders_per_day=40, seed=7, end_date=date(2026, 3, 8)), TZ)
    b = make_plan(DemoConfig(days=90, orders_per_day=40, seed=7, end_date=date(2026, 11, 1)), TZ)
    assert [n for _, n in a.daily_orders] == [n for _, n in b.daily_orders]
    assert a.end_date - a.incident_start == b.end_date - b.incident_start
    data_a = generate_all(DemoConfig(days=30, orders_per_day=20, seed=7, end_date=a.end_date), TZ)
    data_b = generate_all(DemoConfig(days=30, orders_per_day=20, seed=7, end_date=b.end_date), TZ)
    assert len(data_a.orders) == len(data_b.orders)
    assert [(b.end_date - o.local_date).days for o in data_b.orders] == [
        (a.end_date - o.local_date).days for o in data_a.orders
    ]
    # (what happens to each order may differ: the local clock changes on both end dates)


@pytest.mark.parametrize("tz", ["America/New_York", "Europe/London", "Australia/Sydney"])
def test_local_dates_and_hours_use_the_store_time_zone(tz: str) -> None:
    batch = generate_all(DemoConfig(days=40, orders_per_day=25, seed=5, now=NOW), tz)
    for o in batch.orders:
        assert o.local_date == local_date(o.created_at, tz)
    for s in batch.shipments:
        assert s.shipped_local_date == local_date(s.shipped_at, tz)
        if s.delivered_at is not None:
            assert s.delivered_local_date == local_date(s.delivered_at, tz)
    for i in batch.inquiries:
        assert (i.local_date, i.local_hour, i.local_weekday) == local_parts(i.created_at, tz)
    # People write during their day: few inquiries between midnight and 7am local time
    # (computed in UTC, Sydney or New York would put most of them there).
    night = sum(i.local_hour < 7 for i in batch.inquiries)
    assert night / len(batch.inquiries) < 0.1
    deliveries = Counter(
        local_parts(s.delivered_at, tz)[1] for s in batch.shipments if s.delivered_at
    )
    assert sum(n for h, n in deliveries.items() if 8 <= h <= 20) / sum(deliveries.values()) > 0.95


# ---------------------------------------------------------------- volume


def test_weekends_differ_from_weekdays_and_volume_grows(data: DemoBatch, plan: DemoPlan) -> None:
    per_day = Counter(o.local_date for o in data.orders)
    full_days = [plan.start_date + timedelta(days=i) for i in range(CONFIG.days - 1)]
    weekday = statistics.mean(per_day[d] for d in full_days if d.weekday() < 5)
    weekend = statistics.mean(per_day[d] for d in full_days if d.weekday() >= 5)
    assert weekday / weekend > 1.15
    first_month = statistics.mean(per_day[d] for d in full_days[:28])
    last_month = statistics.mean(per_day[d] for d in full_days[-28:])
    assert last_month / first_month > 1.3
    assert 30 < last_month < 50  # orders_per_day is the mean at the end of the range


def test_order_mix(data: DemoBatch) -> None:
    n = len(data.orders)
    status = Counter(o.status for o in data.orders)
    assert 0.01 < status["cancelled"] / n < 0.06
    assert 0.01 < status["refunded"] / n < 0.08
    unfulfilled = [o for o in data.orders if o.fulfillment_status == "unfulfilled"]
    assert any(o.status == "open" for o in unfulfilled)  # recent orders not shipped yet
    assert all(o.cancelled_at is not None for o in data.orders if o.status == "cancelled")
    assert len({o.customer_id for o in data.orders}) < n  # returning customers


# ---------------------------------------------------------------- integrity


def test_rows_reference_each_other_consistently(data: DemoBatch) -> None:
    orders = {o.id: o for o in data.orders}
    shipments = {s.id: s for s in data.shipments}
    customers = {c.id for c in data.customers}
    assert len(orders) == len(data.orders) and len(shipments) == len(data.shipments)
    assert len({o.order_number for o in data.orders}) == len(data.orders)
    assert len({(s.carrier, s.tracking_number) for s in data.shipments}) == len(data.shipments)
    assert len({c.email for c in data.customers}) == len(data.customers)
    assert {o.customer_id for o in data.orders} <= customers
    for s in data.shipments:
        order = orders[s.order_id]  # every shipment belongs to an order of this store
        assert order.status != "cancelled"
        assert s.shipped_at > order.created_at
        if s.delivered_at is not None:
            assert s.delivered_at > s.shipped_at
    firsts = Counter(s.order_id for s in data.shipments if s.is_first_for_order)
    assert set(firsts.values()) == {1}
    for e in data.events:
        assert e.shipment_id in shipments
    for i in data.inquiries:
        assert i.customer_id in customers
        if i.order_id is not None:
            assert orders[i.order_id].order_number == i.order_number
            assert i.created_at >= orders[i.order_id].created_at


def test_tracking_events_form_realistic_sequences(data: DemoBatch) -> None:
    by_shipment: defaultdict[Any, list[Any]] = defaultdict(list)
    for e in data.events:
        by_shipment[e.shipment_id].append(e)
    scans = []
    for s in data.shipments:
        events = by_shipment[s.id]
        if not events:
            assert s.status == "pending"
            continue
        times = [e.occurred_at for e in events]
        assert times == sorted(times) and len(set(times)) == len(times)
        statuses = [e.status for e in events]
        assert statuses[0] == "info_received"
        assert s.status == statuses[-1]  # the latest event decides
        assert statuses.count("delivered") <= 1
        if "delivered" in statuses:
            assert statuses[-1] == "delivered"
            before = statuses[statuses.index("delivered") - 1]
            assert before in ("out_for_delivery", "available_for_pickup")
        if "returned" in statuses:
            assert statuses[-1] == "returned" and "exception" in statuses
        for e in events:
            if e.status == "exception":
                assert e.subtag in EXCEPTION_REASONS
            if e.status == "failed_attempt":
                assert e.subtag in {tag for tag, _ in FAILED_ATTEMPT_REASONS}
            if e.status == "in_transit":
                assert e.location
        scans.append(statuses.count("in_transit"))
        assert s.had_exception == any(st in ("exception", "failed_attempt") for st in statuses)
    assert statistics.mean(scans) >= 2.5  # several scans with locations
    subtags = Counter(e.subtag for e in data.events if e.status == "exception")
    assert {"address_issue", "weather_delay", "damaged", "customs"} <= set(subtags)


def test_vocabularies_and_scales(data: DemoBatch) -> None:
    assert {s.status for s in data.shipments} <= set(SHIPMENT_STATUSES)
    assert {e.status for e in data.events} <= set(SHIPMENT_STATUSES)
    assert {i.channel for i in data.inquiries} == set(CHANNELS)
    assert {i.inquiry_type for i in data.inquiries} == set(INQUIRY_TYPES)
    assert {i.order_status for i in data.inquiries} - {None} <= set(ORDER_STATUSES)
    for i in data.inquiries:
        assert i.resolved == (i.resolved_at is not None)
        if i.resolved_at is not None:
            assert i.resolution_seconds == seconds_between(i.created_at, i.resolved_at)
            if i.first_response_at is not None:
                assert i.first_response_at <= i.resolved_at
        if i.satisfaction_rating is not None:
            assert i.resolved and 1 <= i.satisfaction_rating <= 5
            assert i.customer_satisfied == (i.satisfaction_rating >= 4)
        else:
            assert i.effort_score is None and i.customer_satisfied is None
        if i.effort_score is not None:
            assert 1 <= i.effort_score <= 7
    assert any(i.escalated for i in data.inquiries)
    assert len({r for i in data.inquiries if (r := i.satisfaction_rating)}) == 5


# ---------------------------------------------------------------- behaviour


def test_inquiries_follow_late_deliveries_and_exceptions(data: DemoBatch) -> None:
    asked = {i.order_id for i in data.inquiries if i.order_id is not None}
    groups: dict[str, list[bool]] = {"exception": [], "late": [], "on_time": []}
    for s in data.shipments:
        if not s.is_first_for_order:
            continue
        if s.had_exception:
            groups["exception"].append(s.order_id in asked)
        elif s.delivered_local_date and s.original_estimated_delivery:
            late = s.delivered_local_date > s.original_estimated_delivery
            groups["late" if late else "on_time"].append(s.order_id in asked)
    rate = {k: sum(v) / len(v) for k, v in groups.items()}
    assert len(groups["late"]) > 50 and len(groups["exception"]) > 100
    assert rate["exception"] > 3 * rate["on_time"]
    assert rate["late"] > 2.5 * rate["on_time"]
    assert rate["on_time"] < 0.15


def test_the_incident_week_is_an_obvious_spike(data: DemoBatch, plan: DemoPlan) -> None:
    per_day = Counter(i.local_date for i in data.inquiries)
    days = [plan.start_date + timedelta(days=i) for i in range(CONFIG.days)]
    median = statistics.median(per_day[d] for d in days)
    window = [d for d in days if plan.incident_start <= d <= plan.incident_end]
    assert len(window) == 7 and plan.end_date - plan.incident_start == timedelta(days=23)
    assert statistics.mean(per_day[d] for d in window) >= 2.5 * median
    # ... caused by a surge of weather exceptions at the incident carrier
    hit = Counter(
        s.shipped_local_date
        for s in data.shipments
        if s.carrier == plan.incident_carrier and s.exception_reason == "weather_delay"
    )
    in_window = sum(
        n for d, n in hit.items() if plan.incident_start - SEVEN_DAYS <= d <= plan.incident_end
    )
    assert in_window > 0.8 * sum(hit.values())


def test_ratings_fall_and_effort_rises_with_resolution_time(data: DemoBatch) -> None:
    rated = [i for i in data.inquiries if i.satisfaction_rating is not None]
    fast = [i for i in rated if i.resolution_seconds is not None and i.resolution_seconds < 3600]
    slow = [i for i in rated if i.resolution_seconds is not None and i.resolution_seconds > 86400]
    assert len(fast) > 30 and len(slow) > 15
    assert statistics.mean(i.satisfaction_rating for i in fast) > (
        statistics.mean(i.satisfaction_rating for i in slow) + 0.75
    )
    fast_effort = [i.effort_score for i in fast if i.effort_score is not None]
    slow_effort = [i.effort_score for i in slow if i.effort_score is not None]
    assert statistics.mean(slow_effort) > statistics.mean(fast_effort)
    overall = statistics.mean(i.satisfaction_rating for i in rated)
    assert 3.6 < overall < 4.6


def test_carrier_on_time_rates_differ_as_configured(data: DemoBatch, plan: DemoPlan) -> None:
    configured = {c.name: c for c in carriers_for_timezone(TZ)}
    assert len(configured) >= 4
    calm_from = plan.incident_start - timedelta(days=12)
    delivered: defaultdict[str, list[bool]] = defaultdict(list)
    exceptions: defaultdict[str, list[bool]] = defaultdict(list)
    for s in data.shipments:
        if calm_from <= s.shipped_local_date <= plan.incident_end:
            continue  # the incident week is not the carrier's usual self
        exceptions[s.carrier].append(s.exception_reason in EXCEPTION_REASONS)
        if s.delivered_local_date is not None and s.original_estimated_delivery is not None:
            delivered[s.carrier].append(s.delivered_local_date <= s.original_estimated_delivery)
    measured = {c: sum(v) / len(v) for c, v in delivered.items()}
    assert set(measured) == set(configured)
    for name, profile in configured.items():
        assert len(delivered[name]) > 100
        assert abs(measured[name] - profile.on_time) < 0.05, (name, measured[name])
    worst = min(configured.values(), key=lambda c: c.on_time)
    assert min(measured, key=lambda c: measured[c]) == worst.name
    assert max(measured.values()) - measured[worst.name] > 0.12
    exception_rate = {c: sum(v) / len(v) for c, v in exceptions.items()}
    assert max(exception_rate, key=lambda c: exception_rate[c]) == worst.name


def test_inquiry_types_fit_the_order_state(data: DemoBatch) -> None:
    by_status: defaultdict[str | None, Counter[str]] = defaultdict(Counter)
    for i in data.inquiries:
        by_status[i.order_status][i.inquiry_type] += 1
    cancelled = by_status["cancelled"]
    assert set(cancelled) <= {"refund", "status", "other"}
    assert cancelled["refund"] > sum(cancelled.values()) / 2
    moving = by_status["in_transit"] + by_status["out_for_delivery"] + by_status["fulfilled"]
    where = moving["tracking"] + moving["status"] + moving["delivery"]
    assert where / sum(moving.values()) > 0.85
    assert by_status["exception"]["delivery"] + by_status["exception"]["status"] > 0
    # Before shipping, customers whose order is later cancelled or refunded mostly ask for
    # their money back (the status at the inquiry is what the order was then), and no one
    # whose order stays open asks for a refund (such inquiries are one or two per 4,800
    # orders: too few for a share).
    closed_later = {o.id for o in data.orders if o.status in ("cancelled", "refunded")}
    waiting: Counter[str] = Counter()
    leaving: Counter[str] = Counter()
    for i in data.inquiries:
        if i.order_status == "unfulfilled":
            (leaving if i.order_id in closed_later else waiting)[i.inquiry_type] += 1
    assert waiting["refund"] == 0
    assert leaving["refund"] > sum(leaving.values()) / 2


def test_repeats_and_follow_ups_follow_the_seven_day_rule(data: DemoBatch) -> None:
    """Recomputed over the whole store (not per order story) by brute force."""
    subjects: defaultdict[Any, list[Any]] = defaultdict(list)
    for i in data.inquiries:
        subjects[i.order_id if i.order_id else ("customer", i.customer_id)].append(i)
    for same in subjects.values():
        for i in same:
            others = [o for o in same if o is not i]
            assert i.is_repeat == any(
                o.created_at <= i.created_at and i.created_at - o.created_at <= SEVEN_DAYS
                for o in others
            )
            assert i.followed_up == any(
                o.created_at > i.created_at and o.created_at - i.created_at <= SEVEN_DAYS
                for o in others
            )
    repeats = sum(i.is_repeat for i in data.inquiries) / len(data.inquiries)
    assert 0.08 < repeats < 0.35
    assert any(i.order_id is None for i in data.inquiries)  # linked by customer
