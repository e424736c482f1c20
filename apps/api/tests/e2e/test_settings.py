"""A merchant without a terminal, in Chromium: sign-up on an empty install, the setup
checklist, every settings page at phone width (no horizontal scroll, axe), an invitation and a
password reset through links read from a real SMTP server, and what an analyst may not do.

The server runs on its own empty SQLite database with WISMO_SMTP_URL pointing at an aiosmtpd
server started here. Screenshots go to apps/api/tests/e2e/artifacts/ (not committed)."""

import email
import re
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from app.core.security import API_KEY_PREFIX
from app.db.migrations import upgrade
from tests.e2e.support import DESKTOP, check_axe
from tests.servers import on_own_thread, running_server

ARTIFACTS = Path(__file__).parent / "artifacts"
PHONE = {"width": 375, "height": 812}
OWNER = {"email": "owner@maple.example", "password": "owner password 1"}
SETTINGS_PAGES = {
    "store": ("/settings/store", "Store"),
    "api-keys": ("/settings/api-keys", "Create an API key"),
    "widget": ("/settings/widget", "Embed the chat"),
    "team": ("/settings/team", "Invite someone"),
    "audit": ("/settings/audit", "Audit log"),
    "outbox": ("/settings/outbox", "Outbox"),
}


@dataclass
class Inbox:
    messages: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def link(self, to: str, path: str, timeout: float = 15.0) -> str:
        """The dashboard link (`/invite#…` or `/reset-password#…`) of the last mail to `to`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in reversed(self.messages):
                if message["To"] == to:
                    text = message.get_payload(decode=True).decode()
                    found = re.search(rf"(http://\S+{re.escape(path)}#\S+)", text)
                    if found:
                        return found.group(1)
            time.sleep(0.1)
        raise AssertionError(f"no mail to {to} with a {path} link: {len(self.messages)} received")


@dataclass
class Install:
    base_url: str
    inbox: Inbox


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def install(tmp_path_factory: pytest.TempPathFactory, built_dashboard: Path) -> Iterator[Install]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('settings') / 'empty.db'}"
    on_own_thread(upgrade, url)
    try:
        with running_server(url, WISMO_SMTP_URL=f"smtp://127.0.0.1:{port}") as base:
            yield Install(base, inbox)
    finally:
        controller.stop()


@pytest.fixture
def new_page(chromium: Any, install: Install) -> Iterator[Any]:
    contexts: list[Any] = []
    errors: list[str] = []

    def make(viewport: dict[str, int] = DESKTOP) -> Any:
        context = chromium.new_context(
            base_url=install.base_url, viewport=viewport, locale="en-US", reduced_motion="reduce"
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
        return page

    yield make
    for context in contexts:
        context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


def _sign_in(page: Any, who: dict[str, str]) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(who["email"])
    page.get_by_label("Password").fill(who["password"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/analytics/wismo**")


def _ensure_owner(page: Any) -> None:
    """The owner exists whichever test runs first."""
    if page.request.get("/api/v1/auth/signup").json()["open"]:
        r = page.request.post(
            "/api/v1/auth/signup",
            data={"storeName": "Maple Goods", "timezone": "Europe/Paris", **OWNER},
        )
        assert r.ok, r.text()


def _shot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    return path


def _no_horizontal_scroll(page: Any, name: str) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{name} scrolls sideways at {PHONE['width']} px: {widths}"


def test_sign_up_checklist_and_every_settings_page_at_phone_width(
    new_page: Any, install: Install
) -> None:
    page = new_page(PHONE)
    page.goto("/signup")
    page.get_by_label("Store name").fill("Maple Goods")
    page.get_by_label("Time zone").fill("Europe/Paris")
    page.get_by_label("Currency").fill("EUR")
    page.get_by_label("Email").fill(OWNER["email"])
    page.get_by_label("Password").fill(OWNER["password"])
    page.get_by_role("button", name="Create store").click()
    page.wait_for_url("**/analytics/wismo**")

    checklist = page.get_by_role("region", name="Set up your store")
    checklist.wait_for()
    assert "0 of 3 done" in checklist.inner_text()
    store_id = page.request.get("/api/v1/auth/me").json()["stores"][0]["id"]
    assert f"{install.base_url}/api/v1/webhooks/tracking/aftership?store={store_id}" in (
        checklist.inner_text()
    )
    assert "wismo demo" not in page.content()
    check_axe(page, "setup checklist")
    _shot(page, "setup-checklist-phone")

    # An order arrives through the REST API: its step ticks without a reload.
    key = page.request.post(
        "/api/v1/stores/current/api-keys", data={"name": "first"}, headers={"X-Store-Id": store_id}
    ).json()["key"]
    r = page.request.put(
        "/api/v1/orders/1001",
        data={"createdAt": "2026-01-15T10:00:00Z"},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert r.status == 201, r.text()
    page.get_by_text("1 of 3 done").wait_for(timeout=30_000)

    for name, (path, heading) in SETTINGS_PAGES.items():
        page.goto(path)
        page.get_by_role("heading", name=heading, exact=True).first.wait_for()
        page.wait_for_load_state("networkidle")
        assert page.get_by_test_id("error-state").count() == 0, name
        _no_horizontal_scroll(page, name)
        check_axe(page, f"settings/{name}")
        _shot(page, f"settings-{name}-phone")

    # The store page saves, and the audit log records it.
    page.goto("/settings/store")
    page.get_by_label("Store name").fill("Maple & Co")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("status").get_by_text("Saved.").wait_for()
    page.goto("/settings/audit")
    page.get_by_text("name: Maple Goods -> Maple & Co").wait_for()

    # A new API key is shown once, with its copy button.
    page.goto("/settings/api-keys")
    page.get_by_label("Name").fill("ERP")
    page.get_by_role("button", name="Create key").click()
    shown = page.get_by_role("status").filter(has_text="shown only this once")
    shown.get_by_text("shown only this once").wait_for()
    assert API_KEY_PREFIX in shown.inner_text()
    assert shown.get_by_role("button", name="Copy the new API key").is_visible()
    _shot(page, "settings-api-keys-created-phone")


def test_invite_accept_and_an_analyst_is_kept_out(new_page: Any, install: Install) -> None:
    owner = new_page()
    _ensure_owner(owner)
    _sign_in(owner, OWNER)
    owner.goto("/settings/team")
    owner.get_by_label("Email").fill("ana@maple.example")
    owner.locator("form").get_by_role("combobox").select_option("analyst")
    owner.get_by_role("button", name="Send invite").click()
    owner.get_by_text("Invitation emailed to ana@maple.example.").wait_for()

    link = install.inbox.link("ana@maple.example", "/invite")
    analyst = new_page(PHONE)
    analyst.goto(link.replace(install.base_url, ""))
    analyst.get_by_role("heading", name=re.compile("^Join ")).wait_for()
    analyst.get_by_label("Your name").fill("Ana")
    analyst.get_by_label("Choose a password").fill("analyst password")
    analyst.get_by_role("button", name="Join the store").click()
    analyst.wait_for_url("**/analytics/wismo**")

    main_nav = analyst.get_by_role("navigation", name="Main")
    main_nav.wait_for()
    # an analyst's settings are their own alerts and digest; no store settings are offered
    settings_link = main_nav.get_by_role("link", name="Settings")
    assert "/settings/notifications" in (settings_link.get_attribute("href") or "")
    analyst.goto("/settings/api-keys")
    assert (
        "This page needs the admin role in this store." in analyst.get_by_role("alert").inner_text()
    )
    _shot(analyst, "settings-analyst-refused-phone")

    store_id = analyst.request.get("/api/v1/auth/me").json()["stores"][0]["id"]
    refused = analyst.request.post(
        "/api/v1/stores/current/api-keys", data={"name": "mine"}, headers={"X-Store-Id": store_id}
    )
    assert refused.status == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    print("analyst creating an API key:", refused.status, refused.text())
    # The link works once.
    again = new_page()
    again.goto(link.replace(install.base_url, ""))
    assert "invalid, used or expired" in again.get_by_role("alert").inner_text()


def test_password_reset_through_the_mailed_link(new_page: Any, install: Install) -> None:
    setup = new_page()
    _ensure_owner(setup)
    page = new_page()
    page.goto("/forgot-password")
    page.get_by_label("Email").fill(OWNER["email"])
    page.get_by_role("button", name="Email me a reset link").click()
    page.get_by_role("status").wait_for()

    link = install.inbox.link(OWNER["email"], "/reset-password")
    page.goto(link.replace(install.base_url, ""))
    page.get_by_label("New password").fill("a brand new password")
    page.get_by_role("button", name="Set new password").click()
    page.wait_for_url("**/login?reset=1")
    _sign_in(page, {"email": OWNER["email"], "password": "a brand new password"})
    OWNER["password"] = "a brand new password"

    old = page.request.post(
        "/api/v1/auth/login", data={"email": OWNER["email"], "password": "owner password 1"}
    )
    assert old.status == 401
