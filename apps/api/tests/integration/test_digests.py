"""Scheduled digests against a real SMTP server (aiosmtpd): the period's figures against the
previous period, the PDF attached, exactly one per member and period when the scheduler runs
twice and when a worker dies in the middle of the SMTP exchange; the CLI sends one now."""

import asyncio
import contextlib
import os
import re
import subprocess
import sys
import uuid
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.accounts import service as auth_service
from app.models import DigestSend, DigestSubscription, WismoDailyMetrics
from app.notifications import digests
from app.stores.service import create_store
from tests.integration import test_alert_delivery as delivery
from tests.integration.mailserver import parts, smtp_inbox
from tests.integration.test_alert_channels import smtp_settings

API_DIR = Path(__file__).resolve().parents[2]

# The alert delivery tests' scratch database (a fresh one for this module).
scratch_url = delivery.scratch_url
sessions = delivery.sessions


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.mark.parametrize(
    ("frequency", "today", "period", "previous"),
    [
        ("daily", "2026-11-03", ("2026-11-02", "2026-11-02"), ("2026-11-01", "2026-11-01")),
        ("daily", "2026-03-01", ("2026-02-28", "2026-02-28"), ("2026-02-27", "2026-02-27")),
        # Monday to Sunday; asked on a Monday, the week just ended.
        ("weekly", "2026-11-30", ("2026-11-23", "2026-11-29"), ("2026-11-16", "2026-11-22")),
        ("weekly", "2026-12-06", ("2026-11-23", "2026-11-29"), ("2026-11-16", "2026-11-22")),
        ("monthly", "2026-03-15", ("2026-02-01", "2026-02-28"), ("2026-01-01", "2026-01-31")),
        ("monthly", "2027-01-01", ("2026-12-01", "2026-12-31"), ("2026-11-01", "2026-11-30")),
    ],
)
def test_periods(
    frequency: str, today: str, period: tuple[str, str], previous: tuple[str, str]
) -> None:
    start, end = digests.last_complete_period(frequency, date.fromisoformat(today))
    assert (start.isoformat(), end.isoformat()) == period
    p_start, p_end = digests.previous_period(frequency, start)
    assert (p_start.isoformat(), p_end.isoformat()) == previous


def test_send_time_is_the_local_hour_across_dst() -> None:
    # New York leaves daylight time on 2026-11-01: 08:00 is 12:00 UTC before, 13:00 after.
    assert digests.send_at(date(2026, 10, 30), 8, "America/New_York") == at("2026-10-31T12:00Z")
    assert digests.send_at(date(2026, 11, 1), 8, "America/New_York") == at("2026-11-02T13:00Z")
    # Berlin enters summer time on 2026-03-29.
    assert digests.send_at(date(2026, 3, 29), 7, "Europe/Berlin") == at("2026-03-30T05:00Z")
    sat = digests.next_send_at("weekly", 9, "Europe/Berlin", at("2026-12-01T10:00Z"))
    assert sat == at("2026-12-07T08:00Z")  # next Monday 09:00 CET
    assert digests.next_send_at("monthly", 6, "UTC", at("2026-12-01T05:00Z")) == at(
        "2026-12-01T06:00Z"
    )
    assert digests.next_send_at("monthly", 6, "UTC", at("2026-12-01T07:00Z")) == at(
        "2027-01-01T06:00Z"
    )


async def _member_with_data(
    sessions: async_sessionmaker[AsyncSession], frequency: str = "daily"
) -> tuple[uuid.UUID, uuid.UUID, str]:
    """A New York store, one analyst subscribed since Nov 1 at 08:00 local, and the rollups
    of Nov 1 and Nov 2 (what the ingestion writer would hold). The scheduler reads every
    store: the other tests' members leave this module's scratch database first."""
    async with sessions() as session:
        await session.execute(delete(DigestSubscription))
        store = await create_store(session, "Digest Store", "America/New_York")
        email = f"dana-{uuid.uuid4().hex[:6]}@team.example"
        user = await auth_service.create_user(session, email, "password-1", store.id, "analyst")
        sub = await digests.set_subscription(session, store.id, user.id, frequency, 8)
        assert sub is not None
        sub.updated_at = at("2026-11-01T00:00Z")
        session.add_all(
            [
                WismoDailyMetrics(
                    store_id=store.id,
                    date=date(2026, 11, 1),
                    total_orders=8,
                    total_inquiries=4,
                    rating_count=1,
                    rating_sum=3,
                ),
                WismoDailyMetrics(
                    store_id=store.id,
                    date=date(2026, 11, 2),
                    total_orders=10,
                    total_inquiries=3,
                    rating_count=2,
                    rating_sum=9,
                    satisfied_count=2,
                ),
            ]
        )
        await session.commit()
        return store.id, user.id, email


async def _sends(
    sessions: async_sessionmaker[AsyncSession], store_id: uuid.UUID
) -> list[DigestSend]:
    async with sessions() as session:
        return list(
            await session.scalars(select(DigestSend).where(DigestSend.store_id == store_id))
        )


DUE = at("2026-11-03T13:05Z")  # 08:05 in New York, the day after the period


async def test_the_scheduler_twice_sends_one_digest_with_the_figures_and_the_pdf(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    store_id, _, email = await _member_with_data(sessions)
    with smtp_inbox() as (inbox, port):
        settings = smtp_settings(port)
        early = await digests.send_due(sessions, settings, now=at("2026-11-03T12:55Z"))
        assert (early.sent, early.skipped) == (0, 0)  # 07:55 local: not yet

        first = await digests.send_due(sessions, settings, now=DUE)
        second = await digests.send_due(sessions, settings, now=DUE)
        assert (first.sent, second.sent, second.skipped) == (1, 0, 1)
        assert len(inbox.messages) == 1

    rcpts, message = inbox.messages[0]
    assert rcpts == [email]
    assert message["Subject"] == "Daily WISMO digest for Digest Store: Mon 02 Nov 2026"
    body = parts(message)
    text = body["text/plain"]
    assert "Mon 02 Nov 2026 (vs Sun 01 Nov 2026), America/New_York" in text
    # Hand-computed: 3 inquiries vs 4 (-25%); 10 orders vs 8 (+25%); rate 3/10 vs 4/8;
    # satisfaction 9/2 = 4.5 vs 3/1 = 3.0 (+50%).
    assert re.search(r"Total inquiries\s+3  \(before 4, -25\.0%\)", text), text
    assert re.search(r"Total orders\s+10  \(before 8, \+25\.0%\)", text), text
    assert re.search(r"Inquiry rate\s+30\.0%  \(before 50\.0%, -40\.0%\)", text), text
    assert re.search(r"Satisfaction score\s+4\.5 / 5  \(before 3\.0 / 5, \+50\.0%\)", text)
    assert re.search(r"Avg resolution time\s+—  \(before —, —\)", text), text
    assert "business hours" not in text  # the store has none: no empty rows for them
    assert "Orders at risk of an inquiry now: 0" in text
    link = (
        f"https://wismo.example.com/?store={store_id}"
        "&date_range=custom&start=2026-11-02&end=2026-11-02"
    )
    assert f"Open the dashboard for this period: {link}" in text
    html = body["text/html"]
    assert link.replace("&", "&amp;") in html
    assert "<td style='padding:6px 8px;border-bottom:1px solid #e2e8f0'>Inquiry rate</td>" in html
    # The report of the same day, attached.
    attachment = body["application/pdf"]
    assert attachment.startswith(b"%PDF-")
    assert message["Message-ID"].startswith("<digest.daily.2026-11-02.")

    [row] = await _sends(sessions, store_id)
    assert (row.status, row.attempts, row.period_start, row.period_end) == (
        "sent",
        1,
        date(2026, 11, 2),
        date(2026, 11, 2),
    )


async def test_a_worker_killed_mid_send_is_followed_by_exactly_one_digest(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    store_id, _, _ = await _member_with_data(sessions)
    with smtp_inbox() as (inbox, port):
        settings = smtp_settings(port)
        inbox.hold_rcpt.set()  # the SMTP exchange stalls at RCPT ...
        worker = asyncio.create_task(digests.send_due(sessions, settings, now=DUE))
        assert await asyncio.to_thread(inbox.rcpt_seen.wait, 60)
        worker.cancel()  # ... and the worker dies there
        with contextlib.suppress(asyncio.CancelledError):
            await worker
        inbox.hold_rcpt.clear()
        [row] = await _sends(sessions, store_id)
        assert row.status == "sending" and row.attempts == 1

        # Within the lease another run leaves it alone (that worker might still be alive).
        during = await digests.send_due(sessions, settings, now=at("2026-11-03T13:10Z"))
        assert (during.sent, during.skipped) == (0, 1)
        # After it, the claim is taken again and the digest goes out once.
        after = await digests.send_due(sessions, settings, now=at("2026-11-03T13:20Z"))
        again = await digests.send_due(sessions, settings, now=at("2026-11-03T13:35Z"))
        assert (after.sent, again.sent) == (1, 0)
        assert len(inbox.messages) == 1
    [row] = await _sends(sessions, store_id)
    assert (row.status, row.attempts) == ("sent", 2)


async def test_a_failed_digest_is_retried_later(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    from tests.servers import free_port

    store_id, _, _ = await _member_with_data(sessions)
    down = smtp_settings(free_port())
    first = await digests.send_due(sessions, down, now=DUE)
    assert first.failed == 1
    [row] = await _sends(sessions, store_id)
    assert row.status == "failed" and row.error is not None and row.error.startswith("SMTP: ")
    with smtp_inbox() as (inbox, port):
        up = smtp_settings(port)
        soon = await digests.send_due(sessions, up, now=at("2026-11-03T13:15Z"))
        assert soon.sent == 0  # 15 minutes after the first failure
        later = await digests.send_due(sessions, up, now=at("2026-11-03T13:21Z"))
        assert later.sent == 1 and len(inbox.messages) == 1


async def test_a_subscription_made_after_the_send_time_starts_with_the_next_period(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    store_id, user_id, _ = await _member_with_data(sessions)
    async with sessions() as session:
        sub = await session.get(DigestSubscription, (store_id, user_id))
        assert sub is not None
        sub.updated_at = at("2026-11-03T14:00Z")
        await session.commit()
    with smtp_inbox() as (_inbox, port):
        run = await digests.send_due(sessions, smtp_settings(port), now=at("2026-11-03T15:00Z"))
    assert (run.sent, run.skipped) == (0, 0)


async def test_the_cli_sends_one_digest_now_and_only_once(
    sessions: async_sessionmaker[AsyncSession], scratch_url: str
) -> None:
    store_id, _, email = await _member_with_data(sessions, frequency="monthly")
    with smtp_inbox() as (inbox, port):
        env = {
            **os.environ,
            "WISMO_DATABASE_URL": scratch_url,
            "WISMO_SMTP_URL": f"smtp://127.0.0.1:{port}",
            "WISMO_LOG_LEVEL": "WARNING",
        }
        command = [
            sys.executable, "-m", "app.cli", "digests", "send",
            "--store", str(store_id), "--user", email.upper(), "--period", "weekly",
        ]  # fmt: skip

        def run() -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                command, cwd=API_DIR, env=env, capture_output=True, text=True, timeout=180
            )

        first = await asyncio.to_thread(run)
        assert first.returncode == 0, first.stderr
        assert "digest sent" in first.stdout
        second = await asyncio.to_thread(run)
        assert second.returncode == 0, second.stderr
        assert "already sent" in second.stdout
        assert len(inbox.messages) == 1
    assert inbox.messages[0][1]["Subject"].startswith("Weekly WISMO digest for Digest Store")


async def test_a_store_with_business_hours_gets_its_business_hours_figures(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    store_id, _, _ = await _member_with_data(sessions)
    async with sessions() as session:
        # Two inquiries of Nov 2 resolved in 30 and 60 business minutes: 45 minutes on average.
        await session.execute(
            update(WismoDailyMetrics)
            .where(
                WismoDailyMetrics.store_id == store_id, WismoDailyMetrics.date == date(2026, 11, 2)
            )
            .values(resolution_business_count=2, resolution_business_seconds_sum=5400)
        )
        await session.commit()
    with smtp_inbox() as (inbox, port):
        sent = await digests.send_due(sessions, smtp_settings(port), now=DUE)
        assert sent.sent == 1
    text = parts(inbox.messages[0][1])["text/plain"]
    assert re.search(r"Avg resolution time \(business hours\)\s+45m  \(before —, —\)", text), text
    # Nothing measured for first responses, in either period: that row stays out.
    assert "Avg first response (business hours)" not in text
