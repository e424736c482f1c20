"""Business hours in Chromium: the demo store's hours in settings, a version scheduled for next
week that changes no figure today, and the dashboard's calendar / business-hours switch, whose
cards must equal the mean of the inquiries' own business seconds (read row by row from the
drill-down, not from the rollups the cards read)."""

import re
from datetime import timedelta
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.support import (
    LiveServer,
    api_get,
    check_axe,
    format_metric,
    js_number,
    screenshot,
    store_url,
)
from tests.e2e.test_dashboard import OVERVIEW, store_today, wait_loaded

HOURS = "/api/v1/stores/current/business-hours"
DRILL = "/api/v1/analytics/wismo/drilldown/inquiries"


def business_means(page: Page, store: Any, date_range: str) -> dict[str, float | None]:
    """Mean business seconds over the range's inquiries, from their rows."""
    sums = {"resolutionBusinessSeconds": [0, 0], "firstResponseBusinessSeconds": [0, 0]}
    cursor = None
    while True:
        params = {"date_range": date_range, "limit": 200} | ({"cursor": cursor} if cursor else {})
        body = api_get(page, DRILL, store, **params)
        for row in body["items"]:
            for field, acc in sums.items():
                value = row[field]
                if value is not None and (field != "resolutionBusinessSeconds" or row["resolved"]):
                    acc[0] += value
                    acc[1] += 1
        cursor = body["nextCursor"]
        if not cursor:
            break
    return {field: (s / n if n else None) for field, (s, n) in sums.items()}


def test_business_hours_settings_and_the_dashboard_switch(page: Page, server: LiveServer) -> None:
    store = server.store
    page.goto(store_url("/settings/business-hours", store))
    versions = page.get_by_role("table")
    # The demo store opens on weekdays 09:00-17:00 from its first day.
    expect(versions).to_contain_text("Mon–Fri 09:00–17:00")
    expect(versions).to_contain_text("In effect")
    expect(page.get_by_label("Monday opens")).to_have_value("09:00")
    check_axe(page, "settings-business-hours")
    screenshot(page, "settings-business-hours")

    before = api_get(page, OVERVIEW, store, date_range="30d")
    next_week = (store_today(store).date() + timedelta(days=7)).isoformat()
    page.get_by_role("button", name="Add hours on Saturday").click()
    page.get_by_label("Saturday opens").fill("10:00")
    page.get_by_label("Saturday closes").fill("14:00")
    page.get_by_label("Takes effect on").fill(next_week)
    page.get_by_role("button", name="Save business hours").click()
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    expect(versions).to_contain_text("Scheduled")
    expect(versions).to_contain_text("Mon–Fri 09:00–17:00 · Sat 10:00–14:00")
    saved = api_get(page, HOURS, store)
    assert saved["versions"][-1]["effectiveFrom"] == next_week
    assert saved["versions"][-1]["weekly"]["sat"] == [["10:00", "14:00"]]
    assert saved["current"]["weekly"]["sat"] == []
    # A version of next week changes no figure of today.
    assert api_get(page, OVERVIEW, store, date_range="30d") == before

    page.goto(store_url("/analytics/wismo/inquiries", store))
    wait_loaded(page)
    switch = page.get_by_role("group", name="Count response and resolution times in")
    switch.get_by_role("button", name="Business hours").click()
    expect(page).to_have_url(re.compile(r"hours=business"))
    means = business_means(page, store, "30d")
    overview = api_get(page, OVERVIEW, store, date_range="30d")
    for key, field in (
        ("avgResolutionBusinessSeconds", "resolutionBusinessSeconds"),
        ("avgFirstResponseBusinessSeconds", "firstResponseBusinessSeconds"),
    ):
        assert means[field] is not None
        assert overview[key]["value"] == means[field]
        # Open 40 of 168 hours a week: business time is well under calendar time.
        calendar = overview[key.replace("Business", "")]["value"]
        assert means[field] < calendar
        shown = page.get_by_test_id(f"metric-{key}").get_by_test_id("metric-value")
        expect(shown).to_have_attribute("data-raw", js_number(means[field]))
        expect(shown).to_have_text(format_metric("duration", means[field]))
    expect(page.get_by_test_id("metric-avgResolutionSeconds")).to_have_count(0)
    screenshot(page, "inquiries-business-hours")

    # The choice is in the link, and calendar time is one click back.
    page.reload()
    wait_loaded(page)
    expect(switch.get_by_role("button", name="Business hours")).to_have_attribute(
        "aria-pressed", "true"
    )
    switch.get_by_role("button", name="Calendar time").click()
    expect(page.get_by_test_id("metric-avgResolutionSeconds")).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"hours=business"))
