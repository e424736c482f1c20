"""Fixtures for API tests: a controllable clock for the chat assistant."""

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from app.assistant.router import get_clock


def t(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class Clock:
    def __init__(self) -> None:
        self.now = t("2026-10-13T14:00:00Z")

    def __call__(self) -> datetime:
        return self.now

    def set(self, text: str) -> None:
        self.now = t(text)


@pytest.fixture
def clock(app: Any) -> Iterator[Clock]:
    c = Clock()
    app.dependency_overrides[get_clock] = lambda: c
    yield c
    app.dependency_overrides.pop(get_clock, None)
