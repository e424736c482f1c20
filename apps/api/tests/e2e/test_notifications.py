"""Settings > Alerts & digests in Chromium, then the deliveries it configured.

An admin routes inquiry spikes to email and to Slack (an incoming-webhook URL pointing at an
HTTP receiver on 127.0.0.1); an analyst picks a weekly digest at 07:00; both survive a reload.
Then a real spike is posted through the REST API, the worker's alert task runs
(`evaluate_alerts`, which plans and sends the channel deliveries), and `wismo digests send`
sends the analyst's digest, against an aiosmtpd server. The Slack message and the emails must
carry the figures counted here from the fact tables.

The server runs on its own database (the backend under test) with one demo store, with
WISMO_SMTP_URL set and outbound http to 127.0.0.1 allowed. Screenshots and the Slack body go
to apps/api/tests/e2e/artifacts/."""

import asyncio
import json
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import text

from app.core import clock
from app.core.config import Settings
from app.db.session import Database
from app.demo import DEMO_USER_EMAIL, DEMO_USER_PASSWORD, DemoConfig, create_demo
from app.demo.profiles import DEMO_STORES
from tests.e2e.support import DESKTOP
from tests.integration.mailserver import Inbox, parts, smtp_inbox
from tests.integration.test_alert_delivery import Receiver
from tests.servers import (
    API_DIR,
    create_user_with_password,
    on_own_thread,
    running_server,
    scratch_database_url,
)

ARTIFACTS = Path(__file__).parent / "artifacts"
ANALYST = {"email": "analyst@northwind.example", "password": "analyst password 1"}
SPIKE_INQUIRIES = 60


@dataclass
class Setup:
    base_url: str
    database_url: str
    store_id: str
    store_name: str
    timezone: str
    api_key: str
    inbox: Inbox
    slack: Receiver
    env: dict[str, str]


async def _one_demo_store(url: str) -> tuple[str, str, str, str]:
    db = Database(Settings(database_url=url))
    try:
        async with db.sessionmaker() as session:
            result = await create_demo(
                session,
                DemoConfig(days=45, orders_per_day=12, seed=5, now=clock.now()),
                specs=DEMO_STORES[:1],
            )
            await session.commit()
    finally:
        await db.dispose()
    store = result.stores[0]
    return str(store.store_id), store.name, store.timezone, store.api_key or ""


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory, built_dashboard: Path) -> Iterator[Setup]:
    url = scratch_database_url(tmp_path_factory.mktemp("notifications"))
    store_id, name, timezone, key = on_own_thread(asyncio.run, _one_demo_store(url))
    create_user_with_password(url, store_id, ANALYST["email"], ANALYST["password"], "analyst")
    with smtp_inbox() as (inbox, port), Receiver([200]) as slack:
        env = {
            "WISMO_SMTP_URL": f"smtp://127.0.0.1:{port}",
            "WISMO_SMTP_FROM": "WISMO <alerts@wismo.example>",
            # The Slack receiver is http on 127.0.0.1: the development switches allow it.
            "WISMO_OUTBOUND_ALLOW_HTTP": "true",
            "WISMO_OUTBOUND_ALLOW_PRIVATE": "true",
        }
        with running_server(url, **env) as base:
            yield Setup(base, url, store_id, name, timezone, key, inbox, slack, env)


def _page(chromium: Any, setup: Setup, who: dict[str, str]) -> tuple[Any, list[str]]:
    """A signed-in page and the uncaught errors seen in it."""
    context = chromium.new_context(
        base_url=setup.base_url, viewport=DESKTOP, locale="en-US", reduced_motion="reduce"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto("/login")
    page.get_by_label("Email").fill(who["email"])
    page.get_by_label("Password").fill(who["password"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/analytics/wismo**")
    return page, errors


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True, animations="disabled")


def _facts(url: str, sql: str, **params: Any) -> Any:
    async def work() -> Any:
        db = Database(Settings(database_url=url))
        try:
            async with db.sessionmaker() as session:
                return (await session.execute(text(sql), params)).scalar_one()
        finally:
            await db.dispose()

    return on_own_thread(asyncio.run, work())


def _inquiries(setup: Setup, start: date, end: date) -> int:
    """Inquiries filed under the store's local days [start, end], counted in the fact table."""
    store = uuid.UUID(setup.store_id)
    return int(
        _facts(
            setup.database_url,
            "SELECT count(*) FROM order_inquiries "
            "WHERE store_id = :s AND local_date BETWEEN :a AND :b",
            s=store.hex if setup.database_url.startswith("sqlite") else store,
            a=start,
            b=end,
        )
    )


def _run_app(setup: Setup, args: list[str]) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "WISMO_DATABASE_URL": setup.database_url,
        "WISMO_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(API_DIR),
        **clock.subprocess_env(),
        **setup.env,
    }
    env.pop("WISMO_REDIS_URL", None)  # the embedded broker: a kicked task runs in the process
    return subprocess.run(
        [sys.executable, *args], cwd=API_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_admin_routes_alerts_and_analyst_picks_a_digest_then_both_are_delivered(
    chromium: Any, setup: Setup
) -> None:
    # -- the admin (the demo user owns the store): inquiry spikes by email and Slack
    admin, admin_errors = _page(
        chromium, setup, {"email": DEMO_USER_EMAIL, "password": DEMO_USER_PASSWORD}
    )
    admin.goto("/settings/notifications")
    channels = admin.locator("form").filter(has=admin.get_by_label("Slack incoming-webhook URL"))
    # By default every kind goes to the signed webhook only.
    assert channels.get_by_label("Inquiry spike by Webhook").is_checked()
    channels.get_by_label("Inquiry spike by Webhook").uncheck()
    channels.get_by_label("Inquiry spike by Email").check()
    channels.get_by_label("Inquiry spike by Slack").check()
    channels.get_by_label("Slack incoming-webhook URL").fill(setup.slack.url)
    with admin.expect_response(
        lambda r: "/settings/alert-channels" in r.url and r.request.method == "PUT"
    ) as saved:
        channels.get_by_role("button", name="Save").click()
    assert saved.value.ok, saved.value.text()
    hint = channels.get_by_text(re.compile(r"\(set: .+; enter a new one to replace it\)"))
    hint.wait_for()
    _shot(admin, "notifications-admin-saved")

    admin.reload()
    channels = admin.locator("form").filter(has=admin.get_by_label("Slack incoming-webhook URL"))
    channels.get_by_text(re.compile(r"\(set: ")).wait_for()
    assert channels.get_by_label("Inquiry spike by Email").is_checked()
    assert channels.get_by_label("Inquiry spike by Slack").is_checked()
    assert not channels.get_by_label("Inquiry spike by Webhook").is_checked()
    assert not channels.get_by_label("Low satisfaction by Slack").is_checked()
    assert channels.get_by_text(f"Email to: {DEMO_USER_EMAIL}").count() == 1
    # The URL itself is a secret: the page shows a hint, never the URL.
    assert setup.slack.url not in admin.content()
    _shot(admin, "notifications-admin-reloaded")

    # -- the analyst: a weekly digest at 07:00 (no alert channels for this role)
    analyst, analyst_errors = _page(chromium, setup, ANALYST)
    analyst.goto("/settings/notifications")
    analyst.get_by_label("How often").select_option("weekly")
    analyst.get_by_label(re.compile(r"^At \(")).select_option("7")
    analyst.get_by_role("button", name="Save").click()
    analyst.get_by_role("status").filter(has_text="Saved.").wait_for()
    analyst.reload()
    analyst.get_by_text(re.compile(r"^Next digest: ")).wait_for()
    assert analyst.get_by_label("How often").input_value() == "weekly"
    assert analyst.get_by_label(re.compile(r"^At \(")).input_value() == "7"
    shown = analyst.get_by_label(re.compile(r"^At \(")).evaluate("s => s.selectedOptions[0].text")
    assert shown == "07:00"
    assert analyst.get_by_text("Alert channels").count() == 0
    stored = analyst.request.get("/api/v1/settings/digest").json()
    assert (stored["frequency"], stored["hour"]) == ("weekly", 7)
    # Weekly digests go out on the Monday after the week, at 07:00 in the store's zone.
    zone = ZoneInfo(setup.timezone)
    now = clock.now()
    local_today = now.astimezone(zone).date()
    monday = local_today - timedelta(days=local_today.weekday())
    due = datetime.combine(monday, time(7), zone)
    if due <= now:
        due = datetime.combine(monday + timedelta(days=7), time(7), zone)
    assert datetime.fromisoformat(stored["nextSendAt"].replace("Z", "+00:00")) == due
    _shot(analyst, "notifications-analyst-digest")

    # -- a spike today, through the REST API
    headers = {"Authorization": f"Bearer {setup.api_key}"}
    with httpx.Client(base_url=setup.base_url, headers=headers, timeout=30) as client:
        for i in range(SPIKE_INQUIRIES):
            r = client.post(
                "/api/v1/inquiries",
                json={"inquiryType": "status", "channel": "chat", "externalId": f"spike-{i}"},
            )
            assert r.status_code == 201, r.text
    today = clock.today_in(setup.timezone)

    # -- the worker's alert task: raise, plan the channel deliveries, send them
    evaluated = _run_app(
        setup,
        [
            "-c",
            "import asyncio, sys\n"
            "from app.notifications.tasks import deliver_alert_channels\n"
            "from app.workers.analytics_tasks import evaluate_alerts\n"
            "async def main():\n"
            "    print(await evaluate_alerts(sys.argv[1]))\n"
            "    print(await deliver_alert_channels())\n"
            "asyncio.run(main())\n",
            setup.store_id,
        ],
    )
    assert evaluated.returncode == 0, evaluated.stderr

    assert len(setup.slack.requests) == 1, setup.slack.requests
    headers_seen, raw = setup.slack.requests[0]
    assert headers_seen["content-type"] == "application/json"
    body = json.loads(raw)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "slack-alert.json").write_text(json.dumps(body, indent=2, ensure_ascii=False))
    assert [b["type"] for b in body["blocks"]] == [
        "header",
        "section",
        "section",
        "actions",
        "context",
    ]
    fields = {
        f["text"].split("\n")[0].strip("*"): f["text"].split("\n")[1]
        for f in body["blocks"][2]["fields"]
    }
    period = re.fullmatch(r"(\d{4}-\d\d-\d\d) to (\d{4}-\d\d-\d\d)", fields["Period"])
    assert period, fields
    start, end = (date.fromisoformat(d) for d in period.groups())
    assert end == today
    # The episode's inquiries and today's peak, counted in the fact table.
    total = _inquiries(setup, start, end)
    on_today = _inquiries(setup, today, today)
    assert on_today >= SPIKE_INQUIRIES
    assert re.fullmatch(rf"{total} \(about [\d.]+ expected\)", fields["Inquiries"]), fields
    assert fields["Peak"] == f"{on_today} on {today.isoformat()}"
    dates = f"on {start}" if start == end else f"from {start} to {end}"
    assert body["blocks"][1]["text"]["text"].startswith(f"{total} inquiries {dates} where about ")
    title = f"Inquiry spike since {start.isoformat()}"
    assert body["blocks"][0]["text"]["text"] == title
    assert body["text"] == f"{setup.store_name}: {title}"
    button = body["blocks"][3]["elements"][0]["url"]
    assert f"store={setup.store_id}" in button and f"start={start.isoformat()}" in button

    alert_mails = [(to, m) for to, m in setup.inbox.messages if m["Subject"].endswith(title)]
    assert len(alert_mails) == 1
    recipients, mail = alert_mails[0]
    assert recipients == [DEMO_USER_EMAIL]  # admins and owners; not the analyst
    assert mail["Subject"] == f"[{setup.store_name}] {title}"
    assert f"Inquiries: {fields['Inquiries']}" in parts(mail)["text/plain"]
    assert f"Peak: {on_today} on {today.isoformat()}" in parts(mail)["text/plain"]

    # The admin's page lists both deliveries as sent.
    admin.reload()
    deliveries = admin.get_by_role("region", name="Recent deliveries")
    deliveries.get_by_text("sent").first.wait_for()
    assert deliveries.locator("li").count() == 2
    assert sorted(deliveries.locator("li").all_inner_texts()) == [
        f"{title} · email · sent",
        f"{title} · slack · sent",
    ]
    _shot(admin, "notifications-admin-delivered")

    # -- the analyst's weekly digest through the CLI: last Monday to Sunday
    send_digest = ["-m", "app.cli", "digests", "send", "--store", setup.store_id]
    send_digest += ["--user", ANALYST["email"], "--period", "weekly"]
    sent = _run_app(setup, send_digest)
    assert sent.returncode == 0, sent.stderr + sent.stdout
    assert "digest sent" in sent.stdout
    week_start = today - timedelta(days=today.weekday() + 7)
    week_end = week_start + timedelta(days=6)
    digests = [(to, m) for to, m in setup.inbox.messages if "digest" in m["Subject"]]
    assert len(digests) == 1
    recipients, mail = digests[0]
    assert recipients == [ANALYST["email"]]
    assert mail["Subject"].startswith(f"Weekly WISMO digest for {setup.store_name}: ")
    digest = parts(mail)
    (ARTIFACTS / "digest-sent.txt").write_text(digest["text/plain"])
    this_week = _inquiries(setup, week_start, week_end)
    week_before = _inquiries(setup, week_start - timedelta(days=7), week_end - timedelta(days=7))
    assert this_week > 0
    assert re.search(
        rf"^  Total inquiries\s+{this_week:,}  \(before {week_before:,}, ",
        digest["text/plain"],
        re.MULTILINE,
    ), digest["text/plain"]
    orders = int(
        _facts(
            setup.database_url,
            "SELECT count(*) FROM orders WHERE store_id = :s AND local_date BETWEEN :a AND :b",
            s=uuid.UUID(setup.store_id).hex
            if setup.database_url.startswith("sqlite")
            else uuid.UUID(setup.store_id),
            a=week_start,
            b=week_end,
        )
    )
    assert re.search(rf"^  Total orders\s+{orders:,}  \(before ", digest["text/plain"], re.M)
    assert "application/pdf" in digest

    # A second send for the same week sends nothing more.
    again = _run_app(setup, send_digest)
    assert again.returncode == 0 and "already sent" in again.stdout
    assert len([m for _, m in setup.inbox.messages if "digest" in m["Subject"]]) == 1
    assert admin_errors == [] and analyst_errors == []
    admin.context.close()
    analyst.context.close()
