"""Alert email and Slack channels against a real SMTP server (aiosmtpd) and a real HTTP
receiver on 127.0.0.1: chosen per alert kind, retried with backoff, recorded per channel."""

import json
import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.accounts import service as auth_service
from app.core.config import Settings
from app.core.outbound import OutboundClient, OutboundPolicy
from app.core.timeutils import utcnow
from app.insights import alerts
from app.models import Alert, AlertChannelDelivery
from app.notifications import channels
from app.notifications.alert_delivery import RetryPolicy
from app.stores.service import create_store
from tests.integration import test_alert_delivery as delivery
from tests.integration.mailserver import parts, smtp_inbox
from tests.integration.test_alert_delivery import LOCAL, Receiver

FAST = RetryPolicy(base_delay=0.01, max_delay=0.05)

# The alert delivery tests' scratch database (a fresh one for this module).
scratch_url = delivery.scratch_url
sessions = delivery.sessions


def smtp_settings(port: int) -> Settings:
    return LOCAL.model_copy(
        update={
            "smtp_url": f"smtp://127.0.0.1:{port}",
            "smtp_from": "WISMO <alerts@wismo.example>",
            "public_url": "https://wismo.example.com",
        }
    )


async def _store_with_team(
    sessions: async_sessionmaker[AsyncSession],
    routes: dict[str, list[str]],
    slack_url: str | None,
) -> uuid.UUID:
    async with sessions() as session:
        store = await create_store(session, "Channel <Store>", "Europe/Berlin")
        tag = uuid.uuid4().hex[:6]
        for role in ("owner", "admin", "analyst"):
            await auth_service.create_user(
                session, f"{role}-{tag}@team.example", "password-1", store.id, role=role
            )
        await channels.update_channel_settings(
            session, store.id, LOCAL, slack_url=slack_url, routes=routes
        )
        await session.commit()
        return store.id


async def _raise(sessions: async_sessionmaker[AsyncSession], store_id: uuid.UUID) -> uuid.UUID:
    async with sessions() as session:
        alert, _ = await alerts.raise_alert(
            session,
            store_id,
            kind="inquiry_spike",
            cause_key=f"inquiry_spike:{uuid.uuid4().hex}",
            severity="high",
            payload={
                "title": "Inquiry spike since 2026-11-20",
                "message": "61 inquiries from 2026-11-20 to 2026-11-22 where about 20 were "
                "expected; peak 31 on 2026-11-21 (usual 7).",
                "start": "2026-11-20",
                "end": "2026-11-22",
                "inquiries": 61,
                "expected": 20.0,
                "peakDate": "2026-11-21",
                "peakInquiries": 31,
            },
        )
        await channels.plan_deliveries(session, store_id, [alert])
        await session.commit()
        return alert.id


async def _rows(
    sessions: async_sessionmaker[AsyncSession], store_id: uuid.UUID, alert_id: uuid.UUID
) -> dict[str, AlertChannelDelivery]:
    async with sessions() as session:
        rows = await channels.list_deliveries(session, store_id, [alert_id])
        return {r.channel: r for r in rows}


async def _deliver(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, **kw: Any
) -> channels.ChannelReport:
    async with OutboundClient(OutboundPolicy.from_settings(settings)) as client:
        return await channels.deliver_pending(
            sessions, settings, client=client, sleep=_no_sleep, **kw
        )


async def _no_sleep(_: float) -> None:
    return None


async def test_email_and_slack_are_sent_and_recorded_and_the_webhook_skipped(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    with Receiver([200]) as slack, smtp_inbox() as (inbox, port):
        store_id = await _store_with_team(
            sessions, {"inquiry_spike": ["email", "slack"]}, slack.url
        )
        alert_id = await _raise(sessions, store_id)
        report = await _deliver(sessions, smtp_settings(port), policy=FAST)

        assert sorted(report.sent) == [(alert_id, "email"), (alert_id, "slack")]
        rows = await _rows(sessions, store_id, alert_id)
        assert {c: (r.status, r.attempts, r.last_error) for c, r in rows.items()} == {
            "email": ("sent", 1, None),
            "slack": ("sent", 1, None),
        }
        async with sessions() as session:
            alert = await session.get(Alert, (store_id, alert_id))
            assert alert is not None and alert.webhook_wanted is False

        # One email to the admins and owners, not the analyst.
        assert len(inbox.messages) == 1
        rcpts, message = inbox.messages[0]
        assert sorted(r.split("-")[0] for r in rcpts) == ["admin", "owner"]
        assert message["Subject"] == "[Channel <Store>] Inquiry spike since 2026-11-20"
        body = parts(message)
        assert "Inquiries: 61 (about 20.0 expected)" in body["text/plain"]
        assert "Peak: 31 on 2026-11-21" in body["text/plain"]
        link = (
            f"https://wismo.example.com/?store={store_id}"
            "&date_range=custom&start=2026-11-20&end=2026-11-22"
        )
        assert f"Open the dashboard: {link}" in body["text/plain"]
        assert "Channel &lt;Store&gt;" in body["text/html"]

        # Slack: one Block Kit message with the figures and the dashboard button.
        assert len(slack.requests) == 1
        headers, raw = slack.requests[0]
        assert headers["content-type"] == "application/json"
        sent = json.loads(raw)
        assert sent["text"] == "Channel <Store>: Inquiry spike since 2026-11-20"
        kinds = [b["type"] for b in sent["blocks"]]
        assert kinds == ["header", "section", "section", "actions", "context"]
        fields = [f["text"] for f in sent["blocks"][2]["fields"]]
        assert fields[0] == "*Inquiries*\n61 (about 20.0 expected)"
        assert fields[1] == "*Peak*\n31 on 2026-11-21"
        assert sent["blocks"][3]["elements"][0]["url"] == link
        assert sent["blocks"][4]["elements"][0]["text"].startswith("Channel &lt;Store&gt; · ")

        # Nothing is due any more: a second run sends nothing.
        again = await _deliver(sessions, smtp_settings(port), policy=FAST)
        assert again.sent == [] and len(inbox.messages) == 1 and len(slack.requests) == 1


async def test_slack_failures_are_retried_with_backoff_then_given_up_with_the_reason(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    policy = RetryPolicy(attempts_per_run=2, max_attempts=4, base_delay=0.01)
    with Receiver([500]) as slack:
        store_id = await _store_with_team(sessions, {"inquiry_spike": ["slack"]}, slack.url)
        alert_id = await _raise(sessions, store_id)
        started = utcnow()
        first = await _deliver(sessions, LOCAL, policy=policy)
        assert first.retrying == [(alert_id, "slack")]
        row = (await _rows(sessions, store_id, alert_id))["slack"]
        assert (row.status, row.attempts, row.last_error) == ("pending", 2, "HTTP 500")
        # 2 attempts = the first run: the next run is due a minute (run_backoff) later.
        assert row.next_attempt_at is not None
        wait = (row.next_attempt_at - started).total_seconds()
        assert 60 <= wait < 70

        early = await _deliver(sessions, LOCAL, policy=policy)
        assert early.retrying == [] and len(slack.requests) == 2

        later = await _deliver(sessions, LOCAL, policy=policy, now=utcnow() + timedelta(minutes=2))
        assert later.failed == [(alert_id, "slack")]
        row = (await _rows(sessions, store_id, alert_id))["slack"]
        assert (row.status, row.attempts) == ("failed", 4)
        assert row.last_error == "gave up after 4 attempts: HTTP 500"
        assert len(slack.requests) == 4


async def test_a_slack_answer_after_failures_is_a_delivery(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    with Receiver([503, 502, 200]) as slack:
        store_id = await _store_with_team(sessions, {"inquiry_spike": ["slack"]}, slack.url)
        alert_id = await _raise(sessions, store_id)
        report = await _deliver(sessions, LOCAL, policy=FAST)
        assert report.sent == [(alert_id, "slack")]
        row = (await _rows(sessions, store_id, alert_id))["slack"]
        assert (row.status, row.attempts, row.last_error) == ("sent", 3, None)


async def test_an_smtp_server_that_is_down_is_retried(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    from tests.servers import free_port

    store_id = await _store_with_team(sessions, {"low_satisfaction": ["email"]}, None)
    async with sessions() as session:
        alert, _ = await alerts.raise_alert(
            session,
            store_id,
            kind="low_satisfaction",
            cause_key="low_satisfaction:2026-W48",
            severity="medium",
            payload={"title": "Customer satisfaction is low", "ratings": 25, "csat": 0.52},
        )
        await channels.plan_deliveries(session, store_id, [alert])
        await session.commit()
    settings = smtp_settings(free_port())  # nothing listens there
    policy = RetryPolicy(attempts_per_run=1, max_attempts=3)
    report = await _deliver(sessions, settings, policy=policy)
    assert report.retrying == [(alert.id, "email")]
    row = (await _rows(sessions, store_id, alert.id))["email"]
    assert row.status == "pending" and row.attempts == 1
    assert row.last_error is not None and row.last_error.startswith("SMTP: ")


async def test_email_without_smtp_goes_to_the_outbox(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    store_id = await _store_with_team(sessions, {"inquiry_spike": ["email", "webhook"]}, None)
    alert_id = await _raise(sessions, store_id)
    report = await _deliver(sessions, LOCAL, policy=FAST)
    assert (alert_id, "email") in report.sent
    rows = await _rows(sessions, store_id, alert_id)
    assert rows["email"].status == "outbox"
    async with sessions() as session:
        alert = await session.get(Alert, (store_id, alert_id))
        assert alert is not None and alert.webhook_wanted is True


@pytest.mark.parametrize(
    ("routes", "message"),
    [
        ({"nope": ["email"]}, "unknown alert kind 'nope'"),
        ({"inquiry_spike": ["pager"]}, "unknown channel 'pager'"),
    ],
)
async def test_routes_are_checked(
    sessions: async_sessionmaker[AsyncSession], routes: dict[str, list[str]], message: str
) -> None:
    from app.core.errors import ValidationError

    async with sessions() as session:
        store = await create_store(session, "Routes", "UTC")
        with pytest.raises(ValidationError, match=message):
            await channels.update_channel_settings(session, store.id, LOCAL, routes=routes)
        await session.rollback()
