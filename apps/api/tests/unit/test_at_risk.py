"""At-risk features, reasons, the logistic regression and the rule-based fallback."""

import math
import uuid
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from app.insights import at_risk
from app.insights.at_risk import (
    FEATURES,
    RULE_INTERCEPT,
    RULE_WEIGHTS,
    Candidate,
    build_model,
    compute_measures,
    encode,
    fit_logistic,
    matrix,
    reasons,
)

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
TODAY = date(2026, 3, 10)
P90 = 2 * 86400.0


def shipment(**kw: object) -> Candidate:
    c = Candidate(
        "shipment",
        uuid.uuid4(),
        "1001",
        NOW - timedelta(days=6),
        NOW,
        carrier="UPS",
        tracking_number="1Z1",
        status="in_transit",
        shipped_at=NOW - timedelta(days=5),
        estimate=date(2026, 3, 8),
        last_update_at=NOW - timedelta(days=3, hours=12),
        first_scan_at=NOW - timedelta(days=4),
    )
    for k, v in kw.items():
        setattr(c, k, v)
    c.measures = compute_measures(c, TODAY, P90)
    c.features = encode(c.measures)
    return c


def test_measures_of_a_late_silent_shipment() -> None:
    c = shipment()
    m = c.measures
    assert m["days_past_estimate"] == 2  # estimate Mar 8, today Mar 10
    assert m["days_since_update"] == pytest.approx(3.5)
    assert m["no_scan_yet"] == 0 and m["unfulfilled"] == 0 and m["exception_now"] == 0
    f = c.features
    assert f["past_estimate_1_3d"] == 1 and f["no_update_2_6d"] == 1
    assert sum(f.values()) == 2
    assert reasons(c, P90) == [
        "2 days past the original estimate (2026-03-08)",
        "No tracking update for 3.5 days",
    ]


def test_a_failed_attempt_and_an_earlier_ask() -> None:
    c = shipment(
        status="failed_attempt",
        exception_reason="recipient_unavailable",
        had_exception=True,
        last_update_at=NOW - timedelta(hours=5),
        estimate=date(2026, 3, 10),
        last_asked_at=NOW - timedelta(days=2, hours=1),
    )
    assert c.features["failed_attempt_now"] == 1 and c.features["had_exception"] == 1
    assert c.features["asked_recently"] == 1 and c.features["past_estimate_1_3d"] == 0
    assert reasons(c, P90) == [
        "Failed delivery attempt: recipient unavailable",
        "Customer already asked 2.0 days ago",
    ]


def test_a_label_that_was_never_scanned() -> None:
    c = shipment(status="info_received", first_scan_at=None, last_update_at=NOW - timedelta(days=4))
    assert c.features["label_only"] == 1 and c.features["no_update_2_6d"] == 1
    assert "Label created 4.0 days ago, no carrier scan yet" in reasons(c, P90)


def test_an_unfulfilled_order_past_the_usual_time_to_ship() -> None:
    c = Candidate("unfulfilled_order", uuid.uuid4(), "1002", NOW - timedelta(days=3, hours=12), NOW)
    c.measures = compute_measures(c, TODAY, P90)
    c.features = encode(c.measures)
    assert c.measures["days_unfulfilled_over_p90"] == pytest.approx(1.5)
    assert c.features["unfulfilled_over_p90"] == 1 and c.features["unfulfilled_over_p90_by_1d"] == 1
    assert reasons(c, P90) == ["Unfulfilled for 3.5 days (9 in 10 orders ship within 2.0 days)"]


def test_the_rule_score_by_hand() -> None:
    c = shipment()  # 1-3 days late, 2-6 days silent
    model = build_model([c], [0], P90, NOW)  # one example: the rules
    assert model.method == "rules"
    logit = RULE_INTERCEPT + RULE_WEIGHTS["past_estimate_1_3d"] + RULE_WEIGHTS["no_update_2_6d"]
    assert float(model.score(matrix([c]))[0]) == pytest.approx(1 / (1 + math.exp(-logit)))


def test_logistic_regression_recovers_known_coefficients() -> None:
    rng = np.random.default_rng(0)
    n = 40_000
    X = (rng.random((n, 3)) < [0.3, 0.1, 0.5]).astype(float)
    true = np.array([-2.0, 1.5, 2.5, 0.0])  # intercept, then per feature (raw scale)
    p = 1 / (1 + np.exp(-(true[0] + X @ true[1:])))
    y = (rng.random(n) < p).astype(float)
    coef, mean, scale = fit_logistic(X, y, l2=0.0)
    raw = coef[1:] / scale  # back to the raw scale
    intercept = coef[0] - float((coef[1:] * mean / scale).sum())
    assert raw == pytest.approx(true[1:], abs=0.12)
    assert intercept == pytest.approx(true[0], abs=0.1)


def test_enough_history_gives_a_learned_model() -> None:
    rng = np.random.default_rng(1)
    candidates = []
    labels = []
    for i in range(600):
        late = i % 3 == 0
        c = shipment(estimate=date(2026, 3, 8) if late else date(2026, 3, 12))
        candidates.append(c)
        labels.append(int(rng.random() < (0.4 if late else 0.05)))
    model = build_model(candidates, labels, P90, NOW)
    assert model.method == "learned"
    assert model.examples == 600 and model.positives == sum(labels)
    scores = model.score(matrix(candidates))
    assert scores[0] > scores[1]  # the late one ranks first
    late_score = float(scores[0])
    assert late_score == pytest.approx(
        np.mean([y for i, y in enumerate(labels) if i % 3 == 0]), abs=0.05
    )


def test_feature_names_line_up() -> None:
    assert set(RULE_WEIGHTS) == set(FEATURES)
    assert list(encode(dict.fromkeys(at_risk.MEASURES, 0.0))) == list(FEATURES)
