"""Customer data masked for roles that may not see it, and store-local day starts."""

from datetime import UTC, date, datetime

import pytest

from app.assistant.orders import mask_email, mask_emails
from app.core.timeutils import local_day_start


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("bea@mail.example.com", "b***@mail.example.com"),
        ("b@x.io", "b***@x.io"),
        ("Jean.Dupont+shop@Example.FR", "J***@Example.FR"),
    ],
)
def test_mask_email(address: str, masked: str) -> None:
    assert mask_email(address) == masked


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("where is 1001? alice@example.com", "where is 1001? a***@example.com"),
        ("me: a.b@c.de, or x@y.org.", "me: a***@c.de, or x***@y.org."),
        ("order #1001, zip 10001", "order #1001, zip 10001"),
        ("not an address: a@b, @handle", "not an address: a@b, @handle"),
    ],
)
def test_mask_emails_in_text(text: str, masked: str) -> None:
    assert mask_emails(text) == masked


@pytest.mark.parametrize(
    ("day", "tz", "utc"),
    [
        (date(2026, 10, 14), "America/New_York", "2026-10-14T04:00:00"),  # EDT
        (date(2026, 12, 1), "America/New_York", "2026-12-01T05:00:00"),  # EST
        (date(2026, 3, 29), "Europe/Berlin", "2026-03-28T23:00:00"),  # the day DST begins
        (date(2026, 3, 30), "Europe/Berlin", "2026-03-29T22:00:00"),
        # Santiago skips 00:00-01:00 local on 6 Sep 2026: the day starts at 01:00 -03.
        (date(2026, 9, 6), "America/Santiago", "2026-09-06T04:00:00"),
        (date(2026, 1, 1), "Pacific/Kiritimati", "2025-12-31T10:00:00"),  # UTC+14
    ],
)
def test_local_day_start(day: date, tz: str, utc: str) -> None:
    assert local_day_start(day, tz) == datetime.fromisoformat(utc).replace(tzinfo=UTC)
