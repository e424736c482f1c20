from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import app, dashboard_url
from app.core.config import get_settings


def test_the_dashboard_address_of_a_listening_host() -> None:
    assert dashboard_url("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert dashboard_url("0.0.0.0", 9090) == "http://127.0.0.1:9090"  # noqa: S104
    assert dashboard_url("demo.local", 80) == "http://demo.local:80"
    assert dashboard_url("::", 8080) == "http://[::1]:8080"
    assert dashboard_url("fd00::5", 8443) == "http://[fd00::5]:8443"


def test_demo_prints_the_address_it_was_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WISMO_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}")
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        assert runner.invoke(app, ["migrate"]).exit_code == 0
        args = ["demo", "--days", "2", "--orders-per-day", "2", "--host", "0.0.0.0"]  # noqa: S104
        result = runner.invoke(app, [*args, "--port", "8123"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "Dashboard: http://127.0.0.1:8123" in result.output
    assert "8000" not in result.output
