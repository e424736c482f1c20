"""Underperforming carriers: significance, effect size and sample size all required."""

import pytest

from app.insights.carriers import CarrierStats, detect_underperformers


def carrier(
    name: str,
    shipped: int,
    on_time_rate: float,
    exception_rate: float,
    inq: float,
    hist: dict[int, int] | None = None,
) -> CarrierStats:
    delivered = shipped
    return CarrierStats(
        carrier=name,
        shipped=shipped,
        delivered=delivered,
        with_estimate=delivered,
        on_time=round(delivered * on_time_rate),
        exceptions=round(shipped * exception_rate),
        inquiries=round(shipped * inq),
        delivery_hist=hist or {},
    )


FAST = {100: 40, 101: 40, 102: 20}  # histogram buckets
SLOW = {102: 20, 104: 40, 106: 40}


def test_the_bad_carrier_is_flagged_on_every_measure_it_fails() -> None:
    stats = [
        carrier("UPS", 400, 0.95, 0.04, 0.10, FAST),
        carrier("FedEx", 300, 0.94, 0.05, 0.11, FAST),
        carrier("OnTrac", 200, 0.74, 0.14, 0.25, SLOW),
    ]
    found = detect_underperformers(stats)
    assert [f.carrier for f in found] == ["OnTrac"]
    gaps = {g.measure: g for g in found[0].gaps}
    assert set(gaps) == {
        "on_time_rate",
        "exception_rate",
        "inquiries_per_shipment",
        "delivery_time",
    }
    # the others pooled: on time (380 + 282) / 700, exceptions (16 + 15) / 700
    assert gaps["on_time_rate"].value == pytest.approx(148 / 200)
    assert gaps["on_time_rate"].others == pytest.approx(662 / 700)
    assert gaps["exception_rate"].others == pytest.approx(31 / 700)
    assert found[0].share == pytest.approx(200 / 900)
    assert all(g.p_value < 0.01 for g in found[0].gaps)


def test_small_samples_are_never_flagged() -> None:
    stats = [
        carrier("UPS", 400, 0.95, 0.04, 0.10),
        carrier("Tiny", 20, 0.50, 0.30, 0.50),  # awful, but 20 shipments
    ]
    assert detect_underperformers(stats) == []


def test_a_significant_but_tiny_gap_is_not_flagged() -> None:
    stats = [
        carrier("A", 20000, 0.95, 0.050, 0.10),
        carrier("B", 20000, 0.93, 0.055, 0.11),  # 2 points worse: significant, too small
    ]
    assert detect_underperformers(stats) == []


def test_similar_carriers_are_not_flagged() -> None:
    stats = [carrier(n, 300, 0.92, 0.06, 0.12, FAST) for n in ("A", "B", "C")]
    assert detect_underperformers(stats) == []


def test_one_carrier_has_nobody_to_compare_with() -> None:
    assert detect_underperformers([carrier("Only", 500, 0.5, 0.3, 0.5)]) == []
