"""The dashboard in a real browser: login, every route, URL state, numbers against the API,
store switching, drill-downs, exports, phone layout and axe on every page."""

import csv
import io
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from app.core import clock
from app.demo import DEMO_USER_EMAIL, DEMO_USER_PASSWORD
from tests.e2e.support import (
    PHONE,
    DemoStore,
    LiveServer,
    api_get,
    api_send,
    check_axe,
    format_metric,
    js_number,
    screenshot,
    store_url,
    unique,
)

OVERVIEW = "/api/v1/analytics/wismo/overview"
DASHBOARD = "/analytics/wismo"

#: The cards of the dashboard and of the inquiries page, with their number kind.
DASHBOARD_CARDS = {
    "totalInquiries": "count",
    "inquiryRate": "rate",
    "avgResolutionSeconds": "duration",
    "satisfactionScore": "score5",
    "repeatInquiryRate": "rate",
    "firstContactResolutionRate": "rate",
    "onTimeDeliveryRate": "rate",
    "avgTimeToShipSeconds": "duration",
}
INQUIRY_CARDS = {
    "totalInquiries": "count",
    "totalOrders": "count",
    "inquiryRate": "rate",
    "repeatInquiryRate": "rate",
    "avgResolutionSeconds": "duration",
    "firstContactResolutionRate": "rate",
    "avgFirstResponseSeconds": "duration",
    "customerEffortScore": "score7",
}


def wait_loaded(page: Page) -> None:
    """No skeleton left in the main area (every card, chart and table has its data)."""
    expect(page.locator("main .animate-pulse")).to_have_count(0)
    expect(page.locator("main [aria-busy='true']")).to_have_count(0)


def assert_cards_match_api(
    page: Page, store: DemoStore, params: dict[str, str], cards: dict[str, str] = DASHBOARD_CARDS
) -> dict[str, Any]:
    """Each card's raw value equals the API's for the same view, and its text is that value
    formatted (the auto-retrying assertions wait until the view has refetched)."""
    overview: dict[str, Any] = api_get(page, OVERVIEW, store, **params)
    for key, kind in cards.items():
        value = overview[key]["value"]
        shown = page.get_by_test_id(f"metric-{key}").get_by_test_id("metric-value")
        expect(shown).to_have_attribute("data-raw", js_number(value))
        expect(shown).to_have_text(format_metric(kind, value))
    return overview


def assert_charts_labelled(page: Page) -> None:
    """Every chart is inside a labelled figure."""
    charts = page.locator("svg.recharts-surface")
    assert charts.count() > 0
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('svg.recharts-surface')]
            .filter((svg) => !svg.closest('figure[aria-label]')).length"""
    )
    assert unlabelled == 0, f"{unlabelled} charts without a labelled figure"


def start_chats(page: Page, store: DemoStore) -> dict[str, str]:
    """Three conversations through the chat API (no order verified, so no inquiry and no
    figure moves): one left open, one handed to an agent, one closed. Returns their ids by
    outcome and the open one's customer email."""
    email = f"{unique('carla')}@mail.example.com"
    chats = "/api/v1/chat/conversations"
    ids = {}
    for outcome, messages in (
        ("open", [("customer", f"where is my parcel? I'm {email}")]),
        ("escalated", [("customer", "I need a person please"), ("agent", "Hi, Sam here.")]),
        ("resolved", [("customer", "hello")]),
    ):
        cid = api_send(page, "POST", chats, store, {})["id"]
        for sender, text in messages:
            api_send(
                page, "POST", f"{chats}/{cid}/messages", store, {"text": text, "sender": sender}
            )
        if outcome == "resolved":
            api_send(page, "POST", f"{chats}/{cid}/close", store, {})
        ids[outcome] = cid
    return ids | {"email": email}


def store_today(store: DemoStore) -> datetime:
    # The demo data ends on the clock's today (tests/e2e/conftest.py); so does the browser's.
    return clock.now().astimezone(ZoneInfo(store.timezone))


def test_login_through_the_form(make_page: Callable[..., Page]) -> None:
    page = make_page(logged_in=False)
    page.goto(DASHBOARD)
    # not logged in: the app sends us to the login form, remembering where we were going
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fanalytics%2Fwismo"))
    expect(page.get_by_role("heading", name="Sign in to your store")).to_be_visible()
    check_axe(page, "login")
    screenshot(page, "login")

    page.get_by_label("Email").fill(DEMO_USER_EMAIL)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Incorrect email or password.")

    page.get_by_label("Password").fill(DEMO_USER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/analytics/wismo$"))
    expect(page.get_by_role("heading", level=1, name="WISMO overview")).to_be_visible()
    expect(
        page.get_by_test_id("metric-totalInquiries").get_by_test_id("metric-value")
    ).to_be_visible()


def test_every_page_renders_passes_axe_and_is_screenshotted(page: Page, server: LiveServer) -> None:
    store = server.store
    page.goto(store_url(DASHBOARD, store))
    expect(page.get_by_role("heading", level=1, name="WISMO overview")).to_be_visible()
    expect(page.get_by_test_id("live-indicator")).to_have_attribute("data-status", "live")
    wait_loaded(page)
    expect(
        page.locator("figure[aria-label^='Order inquiry trends'] .recharts-surface")
    ).to_be_visible()
    expect(
        page.get_by_role("table").filter(has=page.locator("caption", has_text="Busiest"))
    ).to_be_visible()
    check_axe(page, "dashboard")
    screenshot(page, "dashboard")

    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Inquiries").click()
    expect(page.get_by_role("heading", level=1, name="Inquiry analysis")).to_be_visible()
    wait_loaded(page)
    assert_cards_match_api(page, store, {"date_range": "30d"}, INQUIRY_CARDS)
    assert_charts_labelled(page)
    check_axe(page, "inquiries")
    screenshot(page, "inquiries")

    nav.get_by_role("link", name="Fulfillment").click()
    expect(page.get_by_role("heading", level=1, name="Fulfillment performance")).to_be_visible()
    wait_loaded(page)
    fulfillment = api_get(page, "/api/v1/analytics/wismo/fulfillment", store, date_range="30d")
    carriers = page.get_by_role("table").filter(
        has=page.get_by_role("columnheader", name=re.compile("Carrier"))
    )
    for row in fulfillment["carriers"]:
        expect(carriers.get_by_role("row").filter(has_text=row["carrier"]).first).to_be_visible()
    assert_charts_labelled(page)
    check_axe(page, "fulfillment")
    screenshot(page, "fulfillment")

    nav.get_by_role("link", name="At risk").click()
    expect(page.get_by_role("heading", level=1, name="At-risk orders")).to_be_visible()
    at_risk = api_get(page, "/api/v1/analytics/wismo/at-risk", store, limit="50")
    rows = page.get_by_test_id("at-risk-row")
    expect(rows).to_have_count(len(at_risk["items"]))
    first = at_risk["items"][0]
    expect(rows.first.get_by_test_id("risk-score")).to_have_attribute(
        "data-raw", js_number(first["score"])
    )
    for reason in first["reasons"]:
        expect(rows.first).to_contain_text(reason)
    check_axe(page, "at-risk")
    screenshot(page, "at-risk")

    start_chats(page, store)
    nav.get_by_role("link", name="Conversations").click()
    expect(page.get_by_role("heading", level=1, name="Conversations")).to_be_visible()
    wait_loaded(page)
    expect(page.get_by_test_id("conversation-row").first).to_be_visible()
    check_axe(page, "conversations")
    page.get_by_test_id("conversation-row").first.get_by_role("link").click()
    expect(page.get_by_test_id("transcript-message").first).to_be_visible()
    wait_loaded(page)
    check_axe(page, "conversation")
    screenshot(page, "conversations")
    nav.get_by_role("link", name="At risk").click()
    expect(page.get_by_role("heading", level=1, name="At-risk orders")).to_be_visible()

    # an at-risk row leads to its order's timeline
    rows.first.get_by_role("link", name=first["orderNumber"], exact=True).click()
    expect(page).to_have_url(
        re.compile(rf"/orders/{re.escape(first['orderNumber'])}/timeline\?store=")
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text(first["orderNumber"])
    wait_loaded(page)
    check_axe(page, "timeline")


def test_order_search_opens_the_timeline(page: Page, server: LiveServer) -> None:
    store = server.store
    rows = api_get(
        page, "/api/v1/analytics/wismo/drilldown/inquiries", store, date_range="30d", limit="5"
    )
    order = next(r["orderNumber"] for r in rows["items"] if r["orderNumber"])
    timeline = api_get(page, f"/api/v1/orders/{order}/timeline", store)

    page.goto(store_url(DASHBOARD, store))
    search = page.get_by_role("searchbox", name="Find an order by number")
    search.fill(order)
    search.press("Enter")
    expect(page).to_have_url(re.compile(rf"/orders/{order}/timeline\?store={store.id}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Order {order}")
    for event in timeline["events"]:
        expect(page.get_by_text(event["title"], exact=True).first).to_be_visible()
    wait_loaded(page)
    screenshot(page, "timeline")


def test_drill_down_from_a_bar_and_a_heatmap_cell_to_a_timeline(
    page: Page, server: LiveServer
) -> None:
    store = server.store
    page.goto(store_url(DASHBOARD, store))
    wait_loaded(page)

    # a bar of the inquiry-types chart
    chart = page.locator("figure[aria-label='Inquiry types: inquiries per category']")
    chart.locator(".recharts-bar-rectangle").first.click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", level=2)).to_contain_text("Inquiry type:")
    expect(dialog.locator("tbody tr").first).to_be_visible()
    check_axe(page, "drill-down")
    screenshot(page, "drilldown-bar", full_page=False)
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()

    # the busiest heatmap cell (the one in the tab order)
    cell = page.locator("button[data-cell][tabindex='0']")
    weekday = cell.get_attribute("aria-label").split(" ")[0]
    cell.click()
    expect(dialog.get_by_role("heading", level=2)).to_contain_text(weekday)
    link = dialog.locator("tbody tr a").first
    expect(link).to_be_visible()
    order = link.inner_text()
    screenshot(page, "drilldown-heatmap", full_page=False)
    link.click()
    expect(page).to_have_url(re.compile(r"/orders/[^/]+/timeline"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(order)
    expect(page.get_by_text("Customer asked", exact=False).first).to_be_visible()


def test_charts_drill_down_from_the_keyboard(page: Page, server: LiveServer) -> None:
    page.goto(store_url(DASHBOARD, server.store))
    wait_loaded(page)
    dialog = page.get_by_role("dialog")

    # a chart's data table: a disclosure, then one drill-down button per point
    trends = page.locator("section[aria-labelledby='inquiry-trends']")
    trends.locator("summary").focus()
    page.keyboard.press("Enter")
    trends.get_by_role("button", name=re.compile("^Show inquiries: ")).first.focus()
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Close")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    # the heatmap: one tab stop, arrow keys move, Enter drills down
    cell = page.locator("button[data-cell][tabindex='0']")
    cell.focus()
    page.keyboard.press("Home")
    expect(page.locator("button[data-cell$='-0']").and_(page.locator(":focus"))).to_have_count(1)
    page.keyboard.press("ArrowRight")
    focused = page.locator("button[data-cell]:focus")
    label = focused.get_attribute("aria-label") or ""
    assert "01:00–02:00" in label
    page.keyboard.press("Enter")
    expect(dialog.get_by_role("heading", level=2)).to_have_text(label.rsplit(": ", 1)[0])


def test_range_and_group_by_live_in_the_url_and_cards_match_the_api(
    page: Page, server: LiveServer
) -> None:
    store = server.store
    page.goto(store_url(DASHBOARD, store))
    assert_cards_match_api(page, store, {"date_range": "30d"})
    ranges = page.get_by_role("group", name="Date range")
    for label, key in (("7 days", "7d"), ("90 days", "90d")):
        ranges.get_by_role("button", name=label).click()
        expect(page).to_have_url(re.compile(rf"date_range={key}"))
        expect(ranges.get_by_role("button", name=label)).to_have_attribute("aria-pressed", "true")
        assert_cards_match_api(page, store, {"date_range": key})

    page.get_by_label("Group by").select_option("week")
    expect(page).to_have_url(re.compile(r"group_by=week"))

    today = store_today(store).date()
    start, end = (today - timedelta(days=20)).isoformat(), (today - timedelta(days=6)).isoformat()
    ranges.get_by_role("button", name="Custom").click()
    page.get_by_label("Start", exact=True).fill(start)
    page.get_by_label("End", exact=True).fill(end)
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(rf"date_range=custom&start={start}&end={end}"))
    custom = {"date_range": "custom", "start": start, "end": end}
    assert_cards_match_api(page, store, custom)

    # a shared link restores the whole view
    page.reload()
    expect(page.get_by_label("Start", exact=True)).to_have_value(start)
    expect(page.get_by_label("End", exact=True)).to_have_value(end)
    expect(page.get_by_label("Group by")).to_have_value("week")
    assert_cards_match_api(page, store, custom)
    expect(page.get_by_test_id("range-caption")).to_contain_text(store.timezone)

    # and it follows the navigation
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Fulfillment").click()
    expect(page).to_have_url(re.compile(rf"/fulfillment\?.*start={start}"))
    for part in (f"store={store.id}", "group_by=week", f"end={end}"):
        assert part in page.url


def test_conversations_filter_in_the_url_and_open_a_transcript(
    page: Page, server: LiveServer
) -> None:
    store = server.store
    ids = start_chats(page, store)
    page.goto(store_url("/conversations", store, outcome="escalated"))
    expect(page.get_by_role("heading", level=1, name="Conversations")).to_be_visible()
    outcome = page.get_by_role("group", name="Outcome")
    expect(outcome.get_by_role("checkbox", name="Escalated")).to_be_checked()
    listed = api_get(page, "/api/v1/chat/conversations", store, outcome="escalated", limit="25")
    rows = page.get_by_test_id("conversation-row")
    expect(rows).to_have_count(len(listed["items"]))
    assert ids["escalated"] in [row["id"] for row in listed["items"]]
    assert all(row["outcome"] == "escalated" for row in listed["items"])

    # a second outcome: both in the URL, the list as the API gives it
    outcome.get_by_text("Open", exact=True).click()
    expect(page).to_have_url(re.compile(r"outcome=open&outcome=escalated"))
    listed = api_get(
        page,
        "/api/v1/chat/conversations?outcome=open&outcome=escalated",
        store,
        limit="25",
    )
    expect(rows).to_have_count(len(listed["items"]))
    expect(rows.first).to_contain_text(listed["items"][0]["outcome"].capitalize())

    # the open conversation's transcript, as the API has it (the owner sees the email)
    page.goto(store_url(f"/conversations/{ids['open']}", store))
    detail = api_get(page, f"/api/v1/chat/conversations/{ids['open']}", store)
    messages = page.get_by_test_id("transcript-message")
    expect(messages).to_have_count(len(detail["messages"]))
    expect(messages.first).to_contain_text(f"where is my parcel? I'm {ids['email']}")
    expect(
        page.get_by_role("heading", level=2, name="Conversation with Unknown customer")
    ).to_be_focused()
    expect(page.get_by_role("link", name="Close")).to_be_visible()


def test_store_switcher_changes_the_numbers(page: Page, server: LiveServer) -> None:
    first, second = server.stores[0], server.stores[1]
    page.goto(store_url(DASHBOARD, first, date_range="30d"))
    one = assert_cards_match_api(page, first, {"date_range": "30d"})
    page.get_by_label("Store", exact=True).select_option(second.id)
    expect(page).to_have_url(re.compile(rf"store={second.id}"))
    two = assert_cards_match_api(page, second, {"date_range": "30d"})
    assert one["totalInquiries"]["value"] != two["totalInquiries"]["value"]
    expect(page.get_by_test_id("range-caption")).to_contain_text(second.timezone)


def test_exports_download_the_current_view(page: Page, server: LiveServer) -> None:
    store = server.store
    page.goto(store_url(DASHBOARD, store, date_range="7d", channel="chat"))
    wait_loaded(page)
    menu = page.get_by_test_id("export-menu")

    with page.expect_download() as info:
        menu.get_by_role("button", name="Daily CSV").click()
    daily = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
    assert info.value.suggested_filename.startswith("wismo-daily-")
    assert len(daily) == 7
    # the file follows the view: 7 days, chat inquiries only
    chat = api_get(page, OVERVIEW, store, date_range="7d", channel="chat")
    assert sum(int(r["inquiries"]) for r in daily) == chat["totalInquiries"]["value"]
    expect(page.get_by_test_id("export-status")).to_contain_text("Saved wismo-daily-")

    with page.expect_download() as info:
        menu.get_by_role("button", name="Inquiries CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
    assert len(rows) == chat["totalInquiries"]["value"]
    assert {r["channel"] for r in rows} <= {"chat"}

    with page.expect_download() as info:
        menu.get_by_role("button", name="PDF report").click()
    assert Path(info.value.path()).read_bytes().startswith(b"%PDF")
    assert info.value.suggested_filename.endswith(".pdf")


def test_phone_layout_has_no_horizontal_scroll(
    make_page: Callable[..., Page], server: LiveServer
) -> None:
    store = server.store
    page = make_page(viewport=PHONE)
    order = api_get(page, "/api/v1/analytics/wismo/at-risk", store, limit="1")["items"][0][
        "orderNumber"
    ]
    for path in (
        DASHBOARD,
        f"{DASHBOARD}/inquiries",
        f"{DASHBOARD}/fulfillment",
        f"{DASHBOARD}/at-risk",
        f"/orders/{order}/timeline",
        "/conversations",
    ):
        page.goto(store_url(path, store))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        wait_loaded(page)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
        if path == DASHBOARD:
            screenshot(page, "phone-dashboard")
    anonymous = make_page(logged_in=False, viewport=PHONE)
    anonymous.goto("/login")
    expect(anonymous.get_by_role("heading", name="Sign in to your store")).to_be_visible()
    assert anonymous.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
