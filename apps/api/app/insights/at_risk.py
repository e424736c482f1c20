"""The at-risk watchlist: open shipments and unfulfilled orders likely to draw a "where is my
order?" inquiry within the next days, so the merchant can reach out first.

Features of an order at a moment T (the same code computes them for past moments, from the
tracking events up to T, and for now):

- unfulfilled, and days unfulfilled beyond the store's usual time to ship (p90, from the
  rollups);
- for a shipment: no carrier scan yet (label only), days since the last tracking update, days
  past the original estimate (or the promised date), an exception or failed attempt now, one
  earlier;
- the customer already asked about the order in the 7 days before T.

The probability is learned from the store's own history: at daily snapshots over recent weeks
(same time of day as now), every then-open shipment or unfulfilled order is a labelled example
- did it draw an inquiry within the next `HORIZON_DAYS`? - described by its features as they
were at that moment. A small L2-regularised logistic regression (Newton's method, numpy) is
fitted to them. A store with fewer than `MIN_POSITIVES` labelled positives (or `MIN_EXAMPLES`
examples) gets a rule-based score instead, with the same features and reasons.

This is the one analytics feature that reads fact tables (open shipments, their events, recent
inquiries); the fitted model is cached per store and process for `MODEL_TTL`.
"""

import math
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal
from urllib.parse import quote

import numpy as np
from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.analytics import histograms, repository
from app.core.timeutils import local_date, utcnow
from app.core.vocab import CARRIER_SCAN_STATUSES, EXCEPTION_STATUSES
from app.ingestion import order_state
from app.ingestion.rollups import ALL, PROCESSING
from app.insights.schemas import AtRiskItem, AtRiskList
from app.models import Order, OrderInquiry, Shipment, Store, TrackingEvent

HORIZON_DAYS = 3
SNAPSHOT_DAYS = 56
TARGET_EXAMPLES = 20_000
OPEN_LOOKBACK_DAYS = 45  # an undelivered shipment older than this is abandoned, not at risk
UNFULFILLED_LOOKBACK_DAYS = 30
ASKED_WINDOW_DAYS = 7
MIN_EXAMPLES = 200
MIN_POSITIVES = 30
MODEL_TTL = timedelta(hours=6)
DEFAULT_P90_DAYS = 2.0
CLOSED_SHIPMENT_STATUSES = frozenset({"delivered", "returned", "expired"})

# Raw measures of a candidate (also what the reasons quote) ...
MEASURES: tuple[str, ...] = (
    "unfulfilled",
    "days_unfulfilled_over_p90",
    "no_scan_yet",
    "days_since_update",
    "days_past_estimate",
    "exception_now",
    "failed_attempt_now",
    "out_for_delivery",
    "had_exception",
    "asked_recently",
)
# ... and the model's features: indicators of ranges, because the risk is not monotonic in
# the raw measures (1-3 days late draws the most questions; 8+ days late or silent for a week
# means a lost or abandoned parcel, whose customer has usually asked already).
FEATURES: tuple[str, ...] = (
    "unfulfilled",
    "unfulfilled_over_p90",
    "unfulfilled_over_p90_by_1d",
    "label_only",
    "no_update_2_6d",
    "no_update_7d",
    "past_estimate_1_3d",
    "past_estimate_4_7d",
    "past_estimate_8d",
    "exception_now",
    "failed_attempt_now",
    "out_for_delivery",
    "had_exception",
    "asked_recently",
)
# The rule-based fallback: a logit per indicator, set by hand (not learned) from what drives
# "where is my order?" questions: lateness, failed attempts, exceptions, silence.
RULE_INTERCEPT = -3.0
RULE_WEIGHTS = {
    "unfulfilled": 0.0,
    "unfulfilled_over_p90": 1.0,
    "unfulfilled_over_p90_by_1d": 1.5,
    "label_only": 0.4,
    "no_update_2_6d": 0.9,
    "no_update_7d": 0.0,
    "past_estimate_1_3d": 1.6,
    "past_estimate_4_7d": 1.1,
    "past_estimate_8d": -0.5,
    "exception_now": 1.2,
    "failed_attempt_now": 2.0,
    "out_for_delivery": -0.4,
    "had_exception": 0.5,
    "asked_recently": 1.0,
}


def encode(m: dict[str, float]) -> dict[str, float]:
    late = m["days_past_estimate"]
    gap = m["days_since_update"]
    over = m["days_unfulfilled_over_p90"]
    return {
        "unfulfilled": m["unfulfilled"],
        "unfulfilled_over_p90": float(m["unfulfilled"] > 0 and over > 0),
        "unfulfilled_over_p90_by_1d": float(over > 1),
        "label_only": m["no_scan_yet"],
        "no_update_2_6d": float(2 <= gap < 7),
        "no_update_7d": float(gap >= 7),
        "past_estimate_1_3d": float(1 <= late <= 3),
        "past_estimate_4_7d": float(4 <= late <= 7),
        "past_estimate_8d": float(late >= 8),
        "exception_now": m["exception_now"],
        "failed_attempt_now": m["failed_attempt_now"],
        "out_for_delivery": m["out_for_delivery"],
        "had_exception": m["had_exception"],
        "asked_recently": m["asked_recently"],
    }


# ---------------------------------------------------------------- candidates and features


@dataclass
class EventView:
    occurred_at: datetime
    status: str
    subtag: str | None


@dataclass
class Candidate:
    """An open shipment (the latest of its order) or an unfulfilled order, at a moment."""

    kind: Literal["shipment", "unfulfilled_order"]
    order_id: uuid.UUID
    order_number: str
    order_created_at: datetime
    at: datetime
    carrier: str | None = None
    tracking_number: str | None = None
    status: str = "unfulfilled"
    shipped_at: datetime | None = None
    estimate: date | None = None
    last_update_at: datetime | None = None
    first_scan_at: datetime | None = None
    exception_reason: str | None = None
    had_exception: bool = False
    last_asked_at: datetime | None = None
    measures: dict[str, float] = field(default_factory=dict)
    features: dict[str, float] = field(default_factory=dict)


def compute_measures(c: Candidate, today: date, p90_seconds: float) -> dict[str, float]:
    """Raw measures of a candidate at `c.at` (`today` is that moment's local date)."""
    day = 86400.0
    f = dict.fromkeys(MEASURES, 0.0)
    if c.kind == "unfulfilled_order":
        f["unfulfilled"] = 1.0
        age = (c.at - c.order_created_at).total_seconds()
        f["days_unfulfilled_over_p90"] = max(0.0, (age - p90_seconds) / day)
    else:
        assert c.shipped_at is not None
        f["no_scan_yet"] = float(c.first_scan_at is None or c.first_scan_at > c.at)
        last = c.last_update_at or c.shipped_at
        f["days_since_update"] = max(0.0, (c.at - last).total_seconds() / day)
        if c.estimate is not None:
            f["days_past_estimate"] = float(max(0, (today - c.estimate).days))
        f["exception_now"] = float(c.status == "exception")
        f["failed_attempt_now"] = float(c.status in ("failed_attempt", "available_for_pickup"))
        f["out_for_delivery"] = float(c.status == "out_for_delivery")
        f["had_exception"] = float(c.had_exception)
    if c.last_asked_at is not None and c.at - c.last_asked_at <= timedelta(days=ASKED_WINDOW_DAYS):
        f["asked_recently"] = 1.0
    return f


def _words(code: str) -> str:
    return code.replace("_", " ")


def _ago(days: float) -> str:
    if days < 1:
        hours = max(1, round(days * 24))
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{days:.1f} days"


def reasons(c: Candidate, p90_seconds: float) -> list[str]:
    f = c.measures
    out: list[str] = []
    if c.kind == "unfulfilled_order":
        age_days = (c.at - c.order_created_at).total_seconds() / 86400
        usual = p90_seconds / 86400
        if f["days_unfulfilled_over_p90"] > 0:
            out.append(
                f"Unfulfilled for {age_days:.1f} days (9 in 10 orders ship within {usual:.1f} days)"
            )
        else:
            out.append(f"Not shipped yet ({_ago(age_days)} since the order)")
    else:
        if f["failed_attempt_now"]:
            what = "held at a pickup point" if c.status == "available_for_pickup" else ""
            detail = what or (c.exception_reason or "failed attempt").replace("_", " ")
            out.append(f"Failed delivery attempt: {detail}")
        elif f["exception_now"]:
            out.append(f"Exception: {_words(c.exception_reason or 'exception')}")
        elif f["had_exception"]:
            out.append(f"Had an exception earlier ({_words(c.exception_reason or 'exception')})")
        if f["days_past_estimate"] >= 1 and c.estimate is not None:
            n = int(f["days_past_estimate"])
            out.append(
                f"{n} day{'s' if n != 1 else ''} past the original estimate "
                f"({c.estimate.isoformat()})"
            )
        if f["no_scan_yet"] and f["days_since_update"] >= 1:
            out.append(f"Label created {_ago(f['days_since_update'])} ago, no carrier scan yet")
        elif f["days_since_update"] >= 2:
            out.append(f"No tracking update for {_ago(f['days_since_update'])}")
    if f["asked_recently"] and c.last_asked_at is not None:
        days = (c.at - c.last_asked_at).total_seconds() / 86400
        out.append(f"Customer already asked {_ago(days)} ago")
    return out


# ---------------------------------------------------------------- the model


@dataclass
class Model:
    method: Literal["learned", "rules"]
    coef: np.ndarray  # on standardised features, intercept first
    mean: np.ndarray
    scale: np.ndarray
    examples: int
    positives: int
    base_rate: float | None
    fitted_at: datetime
    p90_seconds: float

    def score(self, X: np.ndarray) -> np.ndarray:
        if self.method == "rules":
            w = np.array([RULE_WEIGHTS[n] for n in FEATURES])
            return _sigmoid(RULE_INTERCEPT + X @ w)
        Z = (X - self.mean) / self.scale
        return _sigmoid(self.coef[0] + Z @ self.coef[1:])


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))), dtype=float)


def fit_logistic(
    X: np.ndarray, y: np.ndarray, l2: float = 1.0, iterations: int = 50
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """L2-regularised logistic regression by Newton's method on standardised features.

    Returns (coef with the intercept first, feature means, feature scales)."""
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale == 0] = 1.0
    Z = np.hstack([np.ones((X.shape[0], 1)), (X - mean) / scale])
    beta = np.zeros(Z.shape[1])
    penalty = np.full(Z.shape[1], l2)
    penalty[0] = 0.0  # the intercept is not shrunk
    for _ in range(iterations):
        p = _sigmoid(Z @ beta)
        gradient = Z.T @ (y - p) - penalty * beta
        weights = p * (1 - p)
        hessian = (Z * weights[:, None]).T @ Z + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        beta = beta + step
        if float(np.max(np.abs(step))) < 1e-8:
            break
    return beta, mean, scale


def matrix(candidates: Sequence[Candidate]) -> np.ndarray:
    return np.array([[c.features[n] for n in FEATURES] for c in candidates], dtype=float).reshape(
        len(candidates), len(FEATURES)
    )


def build_model(
    candidates: Sequence[Candidate], labels: Sequence[int], p90_seconds: float, now: datetime
) -> Model:
    y = np.array(labels, dtype=float)
    positives = int(y.sum())
    n = len(candidates)
    base_rate = positives / n if n else None
    if n < MIN_EXAMPLES or positives < MIN_POSITIVES:
        empty = np.zeros(len(FEATURES))
        return Model(
            "rules",
            np.zeros(len(FEATURES) + 1),
            empty,
            empty + 1,
            n,
            positives,
            base_rate,
            now,
            p90_seconds,
        )
    coef, mean, scale = fit_logistic(matrix(candidates), y)
    return Model("learned", coef, mean, scale, n, positives, base_rate, now, p90_seconds)


# ---------------------------------------------------------------- loading history


@dataclass(frozen=True)
class OrderView:
    id: uuid.UUID
    order_number: str
    status: str
    created_at: datetime
    cancelled_at: datetime | None
    promised_delivery_date: date | None
    financial_status: str | None = None
    refunded_at: datetime | None = None
    fulfillment_status: str | None = None


@dataclass(frozen=True)
class ShipmentView:
    id: uuid.UUID
    order_id: uuid.UUID
    carrier: str
    tracking_number: str
    shipped_at: datetime
    delivered_at: datetime | None
    original_estimated_delivery: date | None
    # its state now (denormalised by ingestion): stands in for the events when the
    # candidates are wanted only for the present moment
    status: str = "pending"
    first_scan_at: datetime | None = None
    last_event_at: datetime | None = None
    had_exception: bool = False
    exception_reason: str | None = None


@dataclass
class History:
    orders: dict[uuid.UUID, OrderView]
    shipments: dict[uuid.UUID, list[ShipmentView]]  # by order, oldest first
    events: dict[uuid.UUID, list[EventView]]  # by shipment, chronological
    inquiries: dict[uuid.UUID, list[datetime]]  # by order, chronological
    events_loaded: bool = True


_MODELS: dict[uuid.UUID, Model] = {}


class AtRiskService:
    def __init__(self, session: AsyncSession) -> None:
        self.db = session

    # -- public

    async def watchlist(
        self, store: Store, *, limit: int = 50, now: datetime | None = None, use_cache: bool = True
    ) -> AtRiskList:
        now = now or utcnow()
        model = _MODELS.get(store.id) if use_cache else None
        if model is None or now - model.fitted_at > MODEL_TTL or model.fitted_at > now:
            model = await self.train(store, now)
            if use_cache:
                _MODELS[store.id] = model
        history = await self.load(store, now, now, now, with_events=False)
        candidates = self.candidates_at(store, history, now, model.p90_seconds)
        scores = model.score(matrix(candidates)) if candidates else np.zeros(0)
        order = sorted(
            range(len(candidates)),
            key=lambda i: (
                -float(scores[i]),
                candidates[i].order_created_at,
                candidates[i].order_number,
            ),
        )[:limit]
        items = [
            AtRiskItem(
                order_number=c.order_number,
                kind=c.kind,
                carrier=c.carrier,
                tracking_number=c.tracking_number,
                status=c.status,
                order_created_at=c.order_created_at,
                shipped_at=c.shipped_at,
                original_estimated_delivery=c.estimate,
                reasons=reasons(c, model.p90_seconds),
                score=round(float(scores[i]), 4),
                timeline_url=f"/api/v1/orders/{quote(c.order_number, safe='')}/timeline",
            )
            for i in order
            for c in (candidates[i],)
        ]
        return AtRiskList(
            method=model.method,
            horizon_days=HORIZON_DAYS,
            trained_on=model.examples if model.method == "learned" else 0,
            base_rate=model.base_rate,
            generated_at=now,
            items=items,
        )

    async def p90_time_to_ship(self, store: Store, now: datetime) -> float:
        today = local_date(now, store.timezone)
        hist = await repository.histogram(
            self.db, store.id, today - timedelta(days=29), today, PROCESSING, [ALL]
        )
        p90 = histograms.quantile(hist, 0.9)
        return p90 if p90 is not None else DEFAULT_P90_DAYS * 86400

    def snapshot_times(self, now: datetime, days: int) -> list[datetime]:
        """Daily moments, same time of day as `now`, whose horizon has fully passed."""
        last = now - timedelta(days=HORIZON_DAYS)
        return [last - timedelta(days=k) for k in range(days)]

    async def train(
        self, store: Store, now: datetime, *, until: datetime | None = None, days: int | None = None
    ) -> Model:
        """Fit on snapshots up to `until` (default now - horizon), labels up to `until` +
        horizon; `days` snapshots (default: enough for ~20k examples, 7 to 28)."""
        p90 = await self.p90_time_to_ship(store, now)
        if days is None:
            days = await self._snapshot_days(store, now)
        last = until or now - timedelta(days=HORIZON_DAYS)
        times = [last - timedelta(days=k) for k in range(days)]
        candidates, labels = await self.examples(store, times, p90)
        return build_model(candidates, labels, p90, now)

    async def examples(
        self, store: Store, times: Sequence[datetime], p90_seconds: float
    ) -> tuple[list[Candidate], list[int]]:
        """Every open shipment/unfulfilled order at each moment, with its label: an inquiry
        about the order within the horizon after that moment."""
        if not times:
            return [], []
        history = await self.load(
            store, min(times), max(times), max(times) + timedelta(days=HORIZON_DAYS)
        )
        candidates: list[Candidate] = []
        labels: list[int] = []
        horizon = timedelta(days=HORIZON_DAYS)
        for t in times:
            for c in self.candidates_at(store, history, t, p90_seconds):
                asked = history.inquiries.get(c.order_id, [])
                labels.append(int(any(t < a <= t + horizon for a in asked)))
                candidates.append(c)
        return candidates, labels

    # -- internals

    async def _snapshot_days(self, store: Store, now: datetime) -> int:
        today = local_date(now, store.timezone)
        days = await repository.daily(self.db, store.id, today - timedelta(days=27), today)
        per_day = sum(c["total_orders"] for c in days.values()) / 28
        open_per_day = max(1.0, per_day * 6)  # orders stay open about six days
        return int(min(SNAPSHOT_DAYS, max(7, math.ceil(TARGET_EXAMPLES / open_per_day))))

    async def load(
        self,
        store: Store,
        t_min: datetime,
        t_max: datetime,
        inquiries_until: datetime,
        *,
        with_events: bool = True,
    ) -> History:
        """What the candidates of moments in [t_min, t_max] need, and only that: shipments
        open at some moment of the window (shipped by t_max, not delivered by t_min, within
        the open lookback) with every shipment of their orders and their events up to t_max;
        orders still unfulfilled at t_min (within the unfulfilled lookback); the inquiries
        of those orders up to `inquiries_until`. For "now" (t_min = t_max) that is the open
        shipments and unfulfilled orders - the watchlist never reads delivered history."""
        tz = store.timezone
        sid = store.id
        o, s, e = Order, Shipment, TrackingEvent
        ship_first = local_date(t_min - timedelta(days=OPEN_LOOKBACK_DAYS), tz) - timedelta(days=1)
        order_first = local_date(t_min - timedelta(days=UNFULFILLED_LOOKBACK_DAYS), tz) - timedelta(
            days=1
        )
        last_day = local_date(t_max, tz) + timedelta(days=1)
        # Every read starts from the open shipments (an index range on the shipped date) and
        # joins on keys, so it costs what is open, not what the store ever shipped.
        opened = aliased(Shipment)
        open_filter = (
            opened.store_id == sid,
            opened.shipped_local_date.between(ship_first, last_day),
            opened.shipped_at <= t_max,
            or_(opened.delivered_at.is_(None), opened.delivered_at > t_min),
        )
        order_cols = (
            o.id,
            o.order_number,
            o.status,
            o.created_at,
            o.cancelled_at,
            o.promised_delivery_date,
            o.financial_status,
            o.refunded_at,
            o.fulfillment_status,
        )
        orders: dict[uuid.UUID, OrderView] = {}
        by_shipment = await self.db.execute(
            select(*order_cols)
            .join(opened, and_(opened.store_id == o.store_id, opened.order_id == o.id))
            .where(*open_filter)
        )
        shipped_early = (
            select(s.id)
            .where(s.store_id == o.store_id, s.order_id == o.id, s.shipped_at <= t_min)
            .exists()
        )
        unfulfilled = await self.db.execute(
            select(*order_cols).where(
                o.store_id == sid,
                o.local_date.between(order_first, last_day),
                o.created_at <= t_max,
                ~shipped_early,
            )
        )
        for order_row in [*by_shipment.all(), *unfulfilled.all()]:
            orders[order_row[0]] = OrderView(*order_row)
        # every shipment of those orders (a later, delivered one closes an order)
        sibling = and_(s.store_id == opened.store_id, s.order_id == opened.order_id)
        ship_rows = await self.db.execute(
            select(
                s.id,
                s.order_id,
                s.carrier,
                s.tracking_number,
                s.shipped_at,
                s.delivered_at,
                s.original_estimated_delivery,
                s.status,
                s.first_scan_at,
                s.last_event_at,
                s.had_exception,
                s.exception_reason,
            )
            .join(opened, sibling)
            .where(*open_filter, s.shipped_at <= t_max)
        )
        seen_shipments: set[uuid.UUID] = set()
        shipments: dict[uuid.UUID, list[ShipmentView]] = defaultdict(list)
        for ship_row in ship_rows.all():
            view = ShipmentView(*ship_row)
            if view.id not in seen_shipments:
                seen_shipments.add(view.id)
                shipments[view.order_id].append(view)
        for order_shipments in shipments.values():
            order_shipments.sort(key=lambda sh: (sh.shipped_at, sh.id))
        if not with_events:
            inquiries_now = await self._inquiries(store, orders, t_min, inquiries_until)
            return History(orders, shipments, {}, inquiries_now, events_loaded=False)
        wanted = select(s.id).join(opened, sibling).where(*open_filter, s.shipped_at <= t_max)
        event_rows = await self.db.execute(
            select(e.id, e.shipment_id, e.occurred_at, e.status, e.subtag).where(
                e.store_id == sid, e.shipment_id.in_(wanted), e.occurred_at <= t_max
            )
        )
        seen_events: set[uuid.UUID] = set()
        events: dict[uuid.UUID, list[EventView]] = defaultdict(list)
        for event_id, shipment_id, occurred_at, status, subtag in event_rows.all():
            if event_id not in seen_events:
                seen_events.add(event_id)
                events[shipment_id].append(EventView(occurred_at, status, subtag))
        for shipment_events in events.values():
            shipment_events.sort(key=lambda ev: ev.occurred_at)
        inquiries = await self._inquiries(store, orders, t_min, inquiries_until)
        return History(orders, shipments, events, inquiries)

    async def _inquiries(
        self,
        store: Store,
        orders: dict[uuid.UUID, OrderView],
        t_min: datetime,
        inquiries_until: datetime,
    ) -> dict[uuid.UUID, list[datetime]]:
        tz, sid, q = store.timezone, store.id, OrderInquiry
        inquiries: dict[uuid.UUID, list[datetime]] = defaultdict(list)
        inquiry_rows = await self.db.execute(
            select(q.order_id, q.created_at)
            .where(
                q.store_id == sid,
                q.order_id.is_not(None),
                q.local_date.between(
                    local_date(t_min - timedelta(days=ASKED_WINDOW_DAYS), tz) - timedelta(days=1),
                    local_date(inquiries_until, tz) + timedelta(days=1),
                ),
                q.created_at <= inquiries_until,
            )
            .order_by(q.created_at)
        )
        for order_id, created_at in inquiry_rows.all():
            if order_id in orders:
                inquiries[order_id].append(created_at)
        return inquiries

    def candidates_at(
        self, store: Store, h: History, at: datetime, p90_seconds: float
    ) -> list[Candidate]:
        today = local_date(at, store.timezone)
        out: list[Candidate] = []
        for order in h.orders.values():
            if order.created_at > at:
                continue
            if order_state.closed_state(order, at) is not None:
                continue
            asked = [a for a in h.inquiries.get(order.id, []) if a <= at]
            shipped = [sh for sh in h.shipments.get(order.id, []) if sh.shipped_at <= at]
            if not shipped:
                if at - order.created_at > timedelta(days=UNFULFILLED_LOOKBACK_DAYS):
                    continue
                c = Candidate(
                    "unfulfilled_order",
                    order.id,
                    order.order_number,
                    order.created_at,
                    at,
                    last_asked_at=asked[-1] if asked else None,
                )
            else:
                sh = shipped[-1]
                if at - sh.shipped_at > timedelta(days=OPEN_LOOKBACK_DAYS):
                    continue
                if sh.delivered_at is not None and sh.delivered_at <= at:
                    continue
                if h.events_loaded:
                    seen = [ev for ev in h.events.get(sh.id, []) if ev.occurred_at <= at]
                    status = order_state.shipment_status(seen)
                    scans = [ev.occurred_at for ev in seen if ev.status in CARRIER_SCAN_STATUSES]
                    problems = [ev for ev in seen if ev.status in EXCEPTION_STATUSES]
                    last_update = seen[-1].occurred_at if seen else None
                    first_scan = min(scans) if scans else None
                    reason = (problems[-1].subtag or problems[-1].status) if problems else None
                    had_exception = bool(problems)
                else:  # the present: the shipment's own state columns
                    status, last_update = sh.status, sh.last_event_at
                    first_scan, reason = sh.first_scan_at, sh.exception_reason
                    had_exception = sh.had_exception
                if status in CLOSED_SHIPMENT_STATUSES:
                    continue
                c = Candidate(
                    "shipment",
                    order.id,
                    order.order_number,
                    order.created_at,
                    at,
                    carrier=sh.carrier,
                    tracking_number=sh.tracking_number,
                    status=status,
                    shipped_at=sh.shipped_at,
                    estimate=sh.original_estimated_delivery or order.promised_delivery_date,
                    last_update_at=last_update,
                    first_scan_at=first_scan,
                    exception_reason=reason,
                    had_exception=had_exception,
                    last_asked_at=asked[-1] if asked else None,
                )
            c.measures = compute_measures(c, today, p90_seconds)
            c.features = encode(c.measures)
            out.append(c)
        return out


def clear_cache() -> None:
    _MODELS.clear()
