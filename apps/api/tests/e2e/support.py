"""Helpers of the browser tests: demo stores, screenshots, axe, API calls, number formats."""

import json
import os
import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from app.core.security import sign_token
from tests.servers import API_DIR

WEB_DIR = API_DIR.parent / "web"
WEB_DIST = WEB_DIR / "dist"
AXE_JS = WEB_DIR / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = API_DIR / "test-artifacts" / "screenshots"
REQUIRE_SERVICES = os.environ.get("WISMO_REQUIRE_SERVICES") == "1"
#: running_server() starts the app with this secret (survey tokens are signed with it).
SERVER_SECRET = "server-test-secret"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@dataclass(frozen=True, slots=True)
class DemoStore:
    id: str
    name: str
    timezone: str
    currency: str
    api_key: str


@dataclass(frozen=True, slots=True)
class LiveServer:
    base_url: str
    stores: list[DemoStore]

    @property
    def store(self) -> DemoStore:
        """The main demo store (New York, USD)."""
        return self.stores[0]


def store_url(path: str, store: DemoStore, **params: str) -> str:
    return f"{path}?{urlencode({'store': store.id, **params})}"


def screenshot(page: Any, name: str, *, full_page: bool = True) -> Path:
    """Saves apps/api/test-artifacts/screenshots/<name>.png (the viewport only for dialogs)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    return path


_AXE_SOURCE: str | None = None


def check_axe(page: Any, name: str) -> None:
    """axe-core on the current page: no serious or critical violation."""
    global _AXE_SOURCE
    if _AXE_SOURCE is None:
        _AXE_SOURCE = AXE_JS.read_text(encoding="utf-8")
    # Evaluated through the DevTools protocol, so the page's CSP (script-src 'self') allows it.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_AXE_SOURCE)
    violations = page.evaluate(
        """async () => {
            const result = await window.axe.run(document, {
                resultTypes: ['violations'],
                runOnly: {
                    type: 'tag',
                    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
                },
            });
            return result.violations
                .filter((v) => v.impact === 'serious' || v.impact === 'critical')
                .map((v) => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 3)
                        .map((n) => n.target.join(' ') + ' :: ' + n.failureSummary),
                }));
        }"""
    )
    assert not violations, f"axe on {name}:\n" + json.dumps(violations, indent=2)


def api_get(page: Any, path: str, store: DemoStore, **params: Any) -> Any:
    """GET an API path with the page's session cookie (what the dashboard itself would get)."""
    response = page.request.get(path, params=params, headers={"X-Store-Id": store.id})
    assert response.ok, f"{path}: {response.status} {response.text()}"
    return response.json()


def api_send(page: Any, method: str, path: str, store: DemoStore, body: dict[str, Any]) -> Any:
    """A write through the REST API with the store's API key (as an integration would)."""
    response = page.request.fetch(
        path,
        method=method,
        data=body,
        headers={"Authorization": f"Bearer {store.api_key}"},
    )
    assert response.ok, f"{method} {path}: {response.status} {response.text()}"
    return response.json()


def survey_token(store_id: str, inquiry_id: str, ttl_seconds: int = 3600) -> str:
    """A survey token as the assistant hands it out (signed with the server's secret)."""
    return sign_token(SERVER_SECRET, "survey", {"sid": store_id, "iid": inquiry_id}, ttl_seconds)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


# ------------------------------------------- the dashboard's number formats (lib/format.ts)


def _round_half_up(value: Decimal, digits: int) -> Decimal:
    # Intl.NumberFormat rounds the exact value half away from zero.
    return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def js_round(value: float) -> int:
    """Math.round of a non-negative number."""
    return int(_round_half_up(Decimal(value), 0))


def format_metric(kind: str, value: float | None) -> str:
    """The card text for a value, as `formatMetric` writes it in en-US."""
    if value is None:
        return "—"
    if kind == "count":
        return f"{_round_half_up(Decimal(value), 0):,}"
    if kind == "rate":
        return f"{_round_half_up(Decimal(value) * 100, 1):,}%"
    if kind in ("score5", "score7"):
        return f"{_round_half_up(Decimal(value), 1):,}"
    if kind == "duration":
        seconds = max(0.0, value)
        if js_round(seconds) < 60:
            return f"{js_round(seconds)}s"
        minutes = js_round(seconds / 60)
        if minutes < 60:
            return f"{minutes}m"
        if minutes < 24 * 60:
            hours, rest = divmod(minutes, 60)
            return f"{hours}h" if rest == 0 else f"{hours}h {rest}m"
        return f"{_round_half_up(Decimal(seconds / 86400), 1):,} d"
    raise ValueError(kind)


def js_number(value: float | None) -> str:
    """`String(value)` in JavaScript (what the cards put in data-raw); '' for null."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise TypeError("not a number")
    if isinstance(value, int) or (value.is_integer() and abs(value) < 1e21):
        return str(int(value))
    text = repr(value)
    if "e" in text:
        exponent = int(text.split("e")[1])
        if -7 < exponent < 21:
            return format(Decimal(text), "f")
    return text
