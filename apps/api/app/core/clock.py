"""The one clock: the only module in app/ that reads the wall clock.

Everything else asks it: `now()` (an aware UTC datetime), `today_in(tz)` (the local date in a
time zone), `timestamp()` (Unix seconds) and `monotonic()` (for measuring durations; never
shifted). `tests/unit/test_clock.py` fails when another module reads the time itself.

Tests and demos can set it:

- `frozen(at)`: time stands still at `at` (the handle's `advance()` moves it on);
- `running_from(at)`: the clock reads `at` now and runs on from there at the real pace;
- `WISMO_CLOCK_AT=2026-03-08T12:00:00Z` (or a date, meaning noon UTC of it): the whole
  process runs from that instant. A test/demo setting, honoured only when set explicitly in
  the environment (never from a .env file) and refused in production (see `app.main`).
"""

import os
import threading
import time as _time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

ENV_VAR = "WISMO_CLOCK_AT"


@dataclass(frozen=True, slots=True)
class _State:
    offset: timedelta = timedelta(0)  # added to the wall clock while running
    frozen_at: datetime | None = None  # while frozen


_state = _State()
_lock = threading.Lock()


def _wall() -> datetime:
    return datetime.now(UTC)


def now() -> datetime:
    """The current instant, timezone-aware UTC."""
    state = _state
    if state.frozen_at is not None:
        return state.frozen_at
    if state.offset:
        return _wall() + state.offset
    return _wall()


def timestamp() -> float:
    """Unix seconds (what `time.time()` would say, on this clock)."""
    return now().timestamp()


def today_in(tz: str | tzinfo) -> date:
    """Today's date in a time zone (a name such as "Europe/Berlin", or a tzinfo)."""
    return now().astimezone(ZoneInfo(tz) if isinstance(tz, str) else tz).date()


def today_utc() -> date:
    return now().date()


def monotonic() -> float:
    """Seconds from an arbitrary start, for durations and rate-limit windows; never shifted."""
    return _time.monotonic()


def is_set() -> bool:
    """Whether the clock is frozen or shifted (a test or a demo), not the wall clock."""
    return _state.frozen_at is not None or bool(_state.offset)


def describe() -> str:
    state = _state
    if state.frozen_at is not None:
        return f"frozen at {state.frozen_at.isoformat()}"
    if state.offset:
        return f"running from {now().isoformat()} (shifted by {state.offset})"
    return "wall clock"


# ---------------------------------------------------------------- setting it


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant with an offset ("2026-03-08T12:00:00Z"), or a date ("2026-03-08",
    meaning noon UTC of that day)."""
    text = text.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"{text!r} is neither a date (YYYY-MM-DD) nor an ISO 8601 instant"
        ) from None
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} needs a UTC offset (e.g. 2026-03-08T12:00:00Z)")
    return moment.astimezone(UTC)


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("the clock is set to timezone-aware instants only")
    return at.astimezone(UTC)


def run_from(at: datetime) -> None:
    """From now on, the clock reads `at` and runs on at the real pace."""
    global _state
    with _lock:
        _state = _State(offset=_aware(at) - _wall())


def freeze(at: datetime) -> None:
    """From now on, the clock reads `at` until it is moved or reset."""
    global _state
    with _lock:
        _state = _State(frozen_at=_aware(at))


def reset() -> None:
    """Back to the wall clock."""
    global _state
    with _lock:
        _state = _State()


class FrozenClock:
    """The handle `frozen()` yields: move a frozen clock on, or set it."""

    def advance(self, delta: timedelta) -> datetime:
        freeze(now() + delta)
        return now()

    def set(self, at: datetime) -> datetime:
        freeze(at)
        return now()

    def now(self) -> datetime:
        return now()


@contextmanager
def frozen(at: datetime | str) -> Iterator[FrozenClock]:
    """Within the block the clock stands still at `at` (then goes back to what it was)."""
    global _state
    saved = _state
    freeze(parse_instant(at) if isinstance(at, str) else at)
    try:
        yield FrozenClock()
    finally:
        with _lock:
            _state = saved


@contextmanager
def running_from(at: datetime | str) -> Iterator[None]:
    """Within the block the clock runs from `at` (then goes back to what it was)."""
    global _state
    saved = _state
    run_from(parse_instant(at) if isinstance(at, str) else at)
    try:
        yield
    finally:
        with _lock:
            _state = saved


def subprocess_env() -> dict[str, str]:
    """Environment for a child process (a test server) so that its clock agrees with ours."""
    if not is_set():
        return {}
    return {ENV_VAR: now().isoformat()}


def _from_environment() -> None:
    text = os.environ.get(ENV_VAR, "").strip()
    if text:
        try:
            run_from(parse_instant(text))
        except ValueError as exc:
            raise ValueError(f"{ENV_VAR}: {exc}") from None


_from_environment()
