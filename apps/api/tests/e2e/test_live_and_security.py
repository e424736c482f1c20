"""Live updates over the WebSocket, untrusted text rendered as text, and the customer's survey
(with the alert a low rating raises for the merchant)."""

import re
import time
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import quote

from playwright.sync_api import Page, expect

from app.core import clock
from tests.e2e.support import (
    LiveServer,
    api_get,
    api_send,
    check_axe,
    js_number,
    screenshot,
    store_url,
    survey_token,
    unique,
)

DASHBOARD = "/analytics/wismo"
OVERVIEW = "/api/v1/analytics/wismo/overview"


def utc_now(minus_minutes: int = 0) -> str:
    return (clock.now() - timedelta(minutes=minus_minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_new_inquiry_updates_the_open_dashboard_without_a_reload(
    page: Page, server: LiveServer
) -> None:
    store = server.store
    page.goto(store_url(DASHBOARD, store, date_range="7d"))
    expect(page.get_by_test_id("live-indicator")).to_have_attribute("data-status", "live")
    expect(page.get_by_test_id("live-indicator")).to_have_text(re.compile("^Live"))
    total = page.get_by_test_id("metric-totalInquiries").get_by_test_id("metric-value")
    before = api_get(page, OVERVIEW, store, date_range="7d")["totalInquiries"]["value"]
    expect(total).to_have_attribute("data-raw", js_number(before))
    page.evaluate("() => { window.__sameDocument = true; }")

    started = time.monotonic()
    api_send(
        page,
        "POST",
        "/api/v1/inquiries",
        store,
        {
            "customerEmail": f"{unique('live')}@example.com",
            "inquiryType": "status",
            "channel": "chat",
            "createdAt": utc_now(),
        },
    )
    expect(total).to_have_attribute("data-raw", js_number(before + 1), timeout=10_000)
    elapsed = time.monotonic() - started
    assert page.evaluate("() => window.__sameDocument === true"), "the page was reloaded"
    assert elapsed < 5, f"the card took {elapsed:.1f}s to update"


def test_untrusted_text_renders_as_text(page: Page, server: LiveServer) -> None:
    """Order numbers, names, carriers and feedback containing markup, written through the REST
    API with the store's API key, show up literally and never run."""
    store = server.store
    order = f"<img src=x onerror=window.__xss=1>{unique('X')}"
    carrier = "<img src=x onerror=window.__xss=2>"
    name = "<script>window.__xss=3</script>"
    path = f"/api/v1/orders/{quote(order, safe='')}"
    api_send(
        page,
        "PUT",
        path,
        store,
        {"createdAt": utc_now(90), "customerName": name, "customerEmail": "xss@example.com"},
    )
    api_send(
        page,
        "POST",
        f"{path}/shipments",
        store,
        {"carrier": carrier, "trackingNumber": unique("TRK"), "shippedAt": utc_now(60)},
    )
    api_send(
        page,
        "POST",
        "/api/v1/inquiries",
        store,
        {
            "orderNumber": order,
            "inquiryType": "tracking",
            "channel": "email",
            "createdAt": utc_now(30),
            "resolvedAt": utc_now(10),
        },
    )

    page.goto(store_url(f"/orders/{quote(order, safe='')}/timeline", store))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Order {order}")
    expect(page.get_by_text(name, exact=True)).to_be_visible()
    expect(page.get_by_text(f"Shipped with {carrier}", exact=True)).to_be_visible()

    # the carrier table and its drill-down
    page.goto(store_url(f"{DASHBOARD}/fulfillment", store, date_range="7d"))
    page.get_by_role("button", name=f"Show shipments of {carrier}").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", level=2)).to_have_text(f"Carrier: {carrier}")
    expect(dialog.get_by_role("link", name=order)).to_be_visible()
    screenshot(page, "xss-as-text", full_page=False)

    assert page.evaluate("() => window.__xss") is None
    assert page.locator("img[src='x']").count() == 0


def test_survey_states_and_the_alert_a_low_rating_raises(
    make_page: Callable[..., Page], server: LiveServer
) -> None:
    store = server.store
    merchant = make_page()
    order = unique("SURVEY")
    api_send(
        merchant,
        "PUT",
        f"/api/v1/orders/{order}",
        store,
        {"createdAt": utc_now(240), "customerEmail": "survey@example.com"},
    )
    inquiry = api_send(
        merchant,
        "POST",
        "/api/v1/inquiries",
        store,
        {
            "orderNumber": order,
            "inquiryType": "delivery",
            "channel": "chat",
            "createdAt": utc_now(60),
            "resolvedAt": utc_now(5),
        },
    )
    token = survey_token(store.id, inquiry["id"])
    feedback = "<img src=x onerror=window.__xss=5> Late again"

    # the customer's page: no login
    customer = make_page(logged_in=False)
    customer.goto(f"/survey/{inquiry['id']}#token={token}")
    expect(customer.get_by_role("heading", level=1, name="How did we do?")).to_be_visible()
    send = customer.get_by_role("button", name="Choose a rating to send")
    expect(send).to_be_disabled()
    check_axe(customer, "survey")
    screenshot(customer, "survey")
    customer.get_by_test_id("rating-options").get_by_text("Very dissatisfied").click()
    expect(customer.get_by_role("radio", name="1 of 5, Very dissatisfied")).to_be_checked()
    customer.get_by_test_id("effort-options").get_by_text("6", exact=True).click()
    customer.get_by_label("Anything we could do better?").fill(feedback)
    customer.get_by_role("button", name="Send feedback").click()
    expect(customer.get_by_role("heading", name="Thank you for your feedback!")).to_be_visible()
    assert "token" not in customer.url, "the spent token stays in the address bar"
    screenshot(customer, "survey-thanks")

    # the same link again (a new page load, as from the email): already answered
    customer.goto("about:blank")
    customer.goto(f"/survey/{inquiry['id']}#token={token}")
    customer.get_by_test_id("rating-options").get_by_text("Satisfied", exact=True).click()
    customer.get_by_role("button", name="Send feedback").click()
    expect(
        customer.get_by_role("heading", name="You’ve already answered this survey")
    ).to_be_visible()

    # a tampered (or expired) token
    customer.goto("about:blank")
    customer.goto(f"/survey/{inquiry['id']}#token={token[:-4]}AAAA")
    customer.get_by_test_id("rating-options").get_by_text("Neutral").click()
    customer.get_by_role("button", name="Send feedback").click()
    expect(customer.get_by_role("heading", name="This survey link has expired")).to_be_visible()

    # the merchant sees the low-rating alert in the header and acknowledges it
    merchant.goto(store_url(DASHBOARD, store))
    bell = merchant.get_by_test_id("alerts-bell")
    expect(bell).not_to_have_attribute("data-count", "0")
    count = int(bell.get_attribute("data-count") or "0")
    bell.click()
    item = merchant.get_by_test_id("alert-item").filter(has_text=f"on order {order}")
    expect(item).to_contain_text("Rated 1 / 5")
    expect(item).to_contain_text(feedback)
    check_axe(merchant, "alerts")
    screenshot(merchant, "alerts", full_page=False)
    item.get_by_role("button", name="Acknowledge").click()
    expect(item).to_have_count(0)
    expect(bell).to_have_attribute("data-count", str(count - 1))
    open_alerts = api_get(merchant, "/api/v1/alerts", store)
    assert all(a["payload"].get("orderNumber") != order for a in open_alerts)
    assert merchant.evaluate("() => window.__xss") is None
