"""The metric registry (DESIGN 5): one definition per figure, served to the dashboard."""

from typing import Any

import httpx

from app.analytics.metrics import METRICS, OVERVIEW, change_pct, evaluate

# DESIGN 5, read by hand: (unit, which way is good, numerator, denominator).
DESIGN_5 = {
    "total_inquiries": ("count", "down", "total_inquiries", None),
    "total_orders": ("count", "up", "total_orders", None),
    "inquiry_rate": ("fraction", "down", "total_inquiries", "total_orders"),
    "repeat_inquiry_rate": ("fraction", "down", "repeat_inquiries", "total_inquiries"),
    "avg_resolution_seconds": ("seconds", "down", "resolution_seconds_sum", "resolved_inquiries"),
    "first_contact_resolution_rate": (
        "fraction",
        "up",
        "first_contact_resolved",
        "resolved_inquiries",
    ),
    "avg_first_response_seconds": (
        "seconds",
        "down",
        "first_response_seconds_sum",
        "first_response_count",
    ),
    "satisfaction_score": ("score", "up", "rating_sum", "rating_count"),
    "csat": ("fraction", "up", "satisfied_count", "rating_count"),
    "customer_effort_score": ("score", "down", "effort_sum", "effort_count"),
    "avg_time_to_ship_seconds": (
        "seconds",
        "down",
        "time_to_ship_seconds_sum",
        "time_to_ship_count",
    ),
    "on_time_delivery_rate": ("fraction", "up", "delivered_on_time", "delivered_with_estimate"),
    "avg_transit_seconds": ("seconds", "down", "transit_seconds_sum", "shipments_delivered"),
    "exception_rate": ("fraction", "down", "shipments_with_exception", "shipments_shipped"),
    "inquiries_per_shipment": ("fraction", "down", "total_inquiries", "shipments_shipped"),
}


def test_every_design_metric_is_defined_once_as_designed() -> None:
    for slug, (unit, good, numerator, denominator) in DESIGN_5.items():
        m = METRICS[slug]
        assert (m.unit, m.good, m.numerator, m.denominator) == (unit, good, numerator, denominator)
    assert set(OVERVIEW) <= set(METRICS)
    assert METRICS["satisfaction_score"].scale == (1, 5)
    assert METRICS["customer_effort_score"].scale == (1, 7)


def test_evaluate_counts_are_integers_and_empty_ratios_are_none() -> None:
    counters = {"total_inquiries": 12, "total_orders": 48, "rating_sum": 0, "rating_count": 0}
    total = evaluate("total_inquiries", counters)
    assert total == 12 and isinstance(total, int)
    assert evaluate("inquiry_rate", counters) == 0.25
    assert evaluate("satisfaction_score", counters) is None  # no ratings: not 0
    assert evaluate("exception_rate", {}) is None
    pct = change_pct(0.25, 0.2)
    assert pct is not None and round(pct, 9) == 25.0
    assert change_pct(3, 0) is None and change_pct(None, 4) is None


async def test_definitions_endpoint_and_integer_counts_in_the_overview(
    client: httpx.AsyncClient, store: Any
) -> None:
    r = await client.get("/api/v1/analytics/wismo/metrics", headers=store.headers)
    assert r.status_code == 200, r.text
    served = {d["key"]: d for d in r.json()}
    assert served["inquiryRate"]["label"] == "Inquiry rate"
    assert (served["inquiryRate"]["unit"], served["inquiryRate"]["good"]) == ("fraction", "down")
    assert served["satisfactionScore"]["scale"] == [1, 5]
    assert len(served) == len(METRICS)

    r = await client.put(
        "/api/v1/orders/9001", json={"createdAt": "2026-03-02T15:00:00Z"}, headers=store.headers
    )
    assert r.status_code == 201, r.text
    r = await client.get(
        "/api/v1/analytics/wismo/overview",
        params={"date_range": "custom", "start": "2026-03-02", "end": "2026-03-02"},
        headers=store.headers,
    )
    assert r.status_code == 200, r.text
    orders = r.json()["totalOrders"]
    assert orders["value"] == 1 and isinstance(orders["value"], int)
    assert r.text.count('"totalOrders":{"value":1,') == 1
    assert r.json()["inquiryRate"]["value"] == 0.0
