"""Inquiry patterns, satisfaction drivers and period changes on synthetic counters."""

import pytest

from app.insights import changes, patterns, satisfaction


def test_type_concentration() -> None:
    found = patterns.top_share({"tracking": 60, "status": 25, "delivery": 15})
    assert found is not None
    assert (found.key, found.count, found.total, found.share) == ("tracking", 60, 100, 0.6)
    assert patterns.top_share({"tracking": 35, "status": 35, "delivery": 30}) is None
    assert patterns.top_share({"tracking": 30}) is None  # too few inquiries to say


def test_pre_shipment_share() -> None:
    found = patterns.pre_shipment_share(
        {"unfulfilled": 30, "partially_fulfilled": 5, "in_transit": 65}
    )
    assert found is not None and found.count == 35 and found.share == 0.35
    assert patterns.pre_shipment_share({"unfulfilled": 10, "in_transit": 90}) is None


def test_repeat_hot_spots() -> None:
    segments = {
        "carrier": {"OnTrac": (100, 40), "UPS": (300, 30), "FedEx": (200, 20)},
        "inquiry_type": {"status": (300, 45), "tracking": (300, 45)},
    }
    spots = patterns.repeat_hot_spots(segments, total=600, repeats=90)
    assert [(s.dimension, s.key) for s in spots] == [("carrier", "OnTrac")]
    spot = spots[0]
    assert spot.rate == 0.4
    assert spot.rest_rate == pytest.approx(50 / 500)
    assert spot.p_value < 0.01


def test_no_hot_spot_when_rates_are_alike() -> None:
    segments = {"carrier": {"A": (200, 30), "B": (200, 30), "C": (200, 30)}}
    assert patterns.repeat_hot_spots(segments, 600, 90) == []


def test_satisfaction_drivers() -> None:
    segs = [
        satisfaction.SegmentRatings("inquiry_type", "refund", 100, 250, 40),  # CSAT 40%
        satisfaction.SegmentRatings("inquiry_type", "status", 200, 880, 170),  # 85%
        satisfaction.SegmentRatings("inquiry_type", "tracking", 100, 430, 82),
    ]
    drivers = satisfaction.segment_drivers(segs)
    assert [d.segment.key for d in drivers] == ["refund"]
    assert drivers[0].rest_csat == pytest.approx(252 / 300)
    assert drivers[0].rest_score == pytest.approx(1310 / 300)


def test_resolution_effect_finds_the_cut() -> None:
    bands = ["< 1 h", "1-4 h", "4-24 h", "1-3 d", "> 3 d"]
    ratings = {
        0: {5: 40, 4: 10},  # 4.8
        1: {5: 30, 4: 20},  # 4.6
        2: {3: 20, 2: 20, 4: 10},  # 2.8
        3: {2: 20, 1: 10},
    }
    effect = satisfaction.resolution_effect(
        bands, ratings, ["1 hour", "4 hours", "24 hours", "3 days"]
    )
    assert effect is not None
    assert effect.cut_label == "4 hours"
    assert effect.fast_score == pytest.approx((40 * 5 + 10 * 4 + 30 * 5 + 20 * 4) / 100)
    assert effect.fast_count == 100 and effect.slow_count == 80
    assert effect.band_scores[0] == ("< 1 h", 50, pytest.approx(4.8))
    assert effect.band_scores[4] == ("> 3 d", 0, None)


def test_changes_improved_and_worsened() -> None:
    rates = [
        changes.RateInput(
            "repeat_inquiry_rate", "Repeat inquiry rate", "lower", (50, 500), (100, 500)
        ),
        changes.RateInput("on_time_rate", "On-time rate", "higher", (400, 500), (450, 500)),
        changes.RateInput("exception_rate", "Exception rate", "lower", (50, 1000), (52, 1000)),
    ]
    found = {c.metric: c for c in changes.significant_changes(rates, [])}
    assert set(found) == {"repeat_inquiry_rate", "on_time_rate"}
    assert found["repeat_inquiry_rate"].improved
    assert found["repeat_inquiry_rate"].relative == pytest.approx(-0.5)
    assert not found["on_time_rate"].improved
    assert found["on_time_rate"].current == 0.8


def test_duration_change_uses_the_distributions() -> None:
    faster = changes.DistributionInput(
        "resolution_time",
        "Average resolution time",
        "lower",
        {10.0: 60, 11.0: 40},
        {14.0: 50, 15.0: 50},
        3600.0,
        7200.0,
    )
    found = changes.significant_changes([], [faster])
    assert len(found) == 1 and found[0].improved and found[0].relative == pytest.approx(-0.5)
    small_sample = changes.DistributionInput(
        "resolution_time", "x", "lower", {10.0: 5}, {14.0: 5}, 3600.0, 7200.0
    )
    assert changes.significant_changes([], [small_sample]) == []
