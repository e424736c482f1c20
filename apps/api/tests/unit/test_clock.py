"""The one clock (`app.core.clock`): the only reader of the wall clock, and settable."""

import ast
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from app.core import clock, security, timeutils

APP = Path(__file__).resolve().parents[2] / "app"
# Calls that read the wall clock (or the local time zone's idea of it).
WALL_CLOCK = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
    ("time", "time_ns"),
    ("time", "localtime"),
    ("time", "gmtime"),
    ("time", "ctime"),
    ("time", "asctime"),
    ("time", "strftime"),
}
FROM_TIME = {"time", "time_ns", "localtime", "gmtime", "ctime", "asctime", "strftime"}


def wall_clock_reads(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            base = node.value
            # datetime.now, dt.datetime.now, time.time, ...
            name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", None)
            if (name, node.attr) in WALL_CLOCK:
                found.append(f"{path.relative_to(APP.parent)}:{node.lineno} {name}.{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module == "time":
            for alias in node.names:
                if alias.name in FROM_TIME:
                    found.append(f"{path.relative_to(APP.parent)}:{node.lineno} time.{alias.name}")
    return found


def test_only_the_clock_module_reads_the_wall_clock() -> None:
    reads = [
        hit
        for path in sorted(APP.rglob("*.py"))
        if path != APP / "core" / "clock.py"
        for hit in wall_clock_reads(path)
    ]
    assert reads == [], "read the time through app.core.clock instead:\n" + "\n".join(reads)


def test_the_guard_catches_what_it_should() -> None:
    sample = APP / "core" / "clock.py"
    assert any("datetime.now" in hit for hit in wall_clock_reads(sample))


def test_frozen_clock_stands_still_and_moves_on_when_told() -> None:
    at = datetime(2026, 3, 8, 6, 59, 30, tzinfo=UTC)
    with clock.frozen(at) as frozen:
        assert clock.now() == at == timeutils.utcnow()
        assert clock.is_set() and "frozen" in clock.describe()
        # 06:59:30 UTC is 01:59:30 EST, half a minute before the US spring-forward gap
        assert timeutils.local_today("America/New_York") == date(2026, 3, 8)
        assert clock.today_in("Pacific/Kiritimati") == date(2026, 3, 8)
        assert clock.today_in("Pacific/Pago_Pago") == date(2026, 3, 7)
        frozen.advance(timedelta(minutes=1))
        assert clock.now() == at + timedelta(minutes=1)
        assert clock.timestamp() == (at + timedelta(minutes=1)).timestamp()
    assert clock.now() != at + timedelta(minutes=1)


def test_running_clock_runs_from_the_instant_given() -> None:
    at = datetime(2028, 2, 29, 23, 59, 59, tzinfo=UTC)
    before = clock.now()
    with clock.running_from(at):
        first = clock.now()
        assert at <= first < at + timedelta(seconds=5)
        assert clock.now() >= first
        env = clock.subprocess_env()
        assert at <= clock.parse_instant(env[clock.ENV_VAR]) < at + timedelta(seconds=5)
    assert abs(clock.now() - before) < timedelta(minutes=5)


def test_tokens_expire_on_the_clock() -> None:
    at = datetime(2026, 12, 31, 23, 0, tzinfo=UTC)
    with clock.frozen(at) as frozen:
        token = security.sign_token("s", "survey", {"x": 1}, ttl_seconds=3600)
        payload = security.verify_token("s", "survey", token)
        assert payload is not None and payload["exp"] == int(at.timestamp()) + 3600
        frozen.advance(timedelta(minutes=59))
        assert security.verify_token("s", "survey", token) is not None
        frozen.advance(timedelta(minutes=2))
        assert security.verify_token("s", "survey", token) is None


def test_parse_instant() -> None:
    assert clock.parse_instant("2026-03-29") == datetime(2026, 3, 29, 12, tzinfo=UTC)
    assert clock.parse_instant("2026-03-29T01:30:00+02:00") == datetime(
        2026, 3, 28, 23, 30, tzinfo=UTC
    )
    assert clock.parse_instant("2026-03-29T01:30:00Z") == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    for bad in ("2026-03-29T01:30:00", "yesterday", "2026-02-30"):
        with pytest.raises(ValueError):
            clock.parse_instant(bad)
    with pytest.raises(ValueError):
        clock.freeze(datetime(2026, 1, 1))  # naive


def _clock_in_child(env_value: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != clock.ENV_VAR}
    if env_value is not None:
        env[clock.ENV_VAR] = env_value
    code = "from app.core import clock; print(clock.now().isoformat(), clock.is_set())"
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=APP.parent,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done.stdout.strip() or done.stderr.strip().splitlines()[-1]


def test_the_environment_variable_sets_a_process_clock_only_when_set() -> None:
    out = _clock_in_child("2026-11-01T05:30:00Z")
    moment, is_set = out.split()
    assert is_set == "True"
    parsed = datetime.fromisoformat(moment)
    at = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    assert at <= parsed < at + timedelta(seconds=30)
    assert _clock_in_child(None).split()[1] == "False"
    assert "WISMO_CLOCK_AT" in _clock_in_child("not a time")


def test_a_set_clock_is_refused_in_production() -> None:
    from app.core.config import Settings
    from app.main import create_app

    with clock.frozen(datetime(2026, 3, 8, 12, tzinfo=UTC)):
        with pytest.raises(RuntimeError, match="never for production"):
            create_app(
                Settings(
                    environment="production",
                    database_url="sqlite+aiosqlite://",
                    secret_key="a-production-secret-of-at-least-thirty-two-characters",
                    encryption_keys="Yw6XeaqIZyI0Ha7cXAUTwYtkJw3WtqwTxUWDz9ZNdV4=",
                )
            )
        create_app(Settings(database_url="sqlite+aiosqlite://"))  # a warning only
