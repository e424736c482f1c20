"""The chat widget embedded in a store page served from another origin, in Chromium: the
customer asks about order A1003 in English, Spanish and German and is answered in that
language; a page from an origin the store does not allow gets nothing. Screenshots of the
three conversations go to test-artifacts/screenshots/widget-<lang>.png."""

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.support import screenshot
from tests.servers import create_store_with_key, running_server, scratch_database_url

PAGE = """<!doctype html>
<html lang="{html_lang}"><head><meta charset="utf-8"><title>Sample store</title></head>
<body style="font-family:Georgia,serif;margin:40px;background:#fffbeb">
<h1>Sample Store</h1><p>Hand-made mugs and teapots.</p>
<script src="{api}/widget.js" data-key="{key}" {extra} defer></script>
</body></html>
"""


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[dict[str, str]]:
    url = scratch_database_url(tmp_path_factory.mktemp("widget"))
    _, api_key = create_store_with_key(url, "Sample Store", "America/New_York")
    with running_server(url) as base:
        h = {"Authorization": f"Bearer {api_key}"}
        r = httpx.put(
            f"{base}/api/v1/orders/A1003",
            json={
                "createdAt": "2026-10-10T14:00:00Z",
                "customerEmail": "alice@example.com",
                "shippingPostcode": "10001",
            },
            headers=h,
        )
        assert r.status_code == 201, r.text
        settings = httpx.get(f"{base}/api/v1/stores/current/widget", headers=h).json()
        yield {"base": base, "key": settings["widgetKey"], "api_key": api_key}


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory, api: dict[str, str]) -> Iterator[str]:
    """The store's pages, on a port of their own (another origin than the API)."""
    root = Path(tmp_path_factory.mktemp("shop"))
    for name, html_lang, extra in (
        ("en", "en", ""),
        ("es", "", ""),  # no hint at all: the language comes from the customer's message
        ("de", "de", 'data-lang="de"'),
    ):
        (root / f"{name}.html").write_text(
            PAGE.format(html_lang=html_lang, api=api["base"], key=api["key"], extra=extra)
        )
    handler = partial(SimpleHTTPRequestHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser(api: dict[str, str], chromium: Any) -> Any:
    return chromium


def allow(api: dict[str, str], *origins: str) -> None:
    r = httpx.put(
        f"{api['base']}/api/v1/stores/current/widget",
        json={"allowedOrigins": list(origins)},
        headers={"Authorization": f"Bearer {api['api_key']}"},
    )
    assert r.status_code == 200, r.text


CASES = [
    (
        "en",
        "where is my order A1003?",
        "Thanks. To keep your order details private",
        "Thanks, I've found your order.",
    ),
    (
        "es",
        "¿dónde está mi pedido A1003?",
        "Gracias. Para proteger los datos de tu pedido",
        "Gracias, he encontrado tu pedido.",
    ),
    (
        "de",
        "Wo ist meine Bestellung A1003?",
        "Danke. Zum Schutz Ihrer Bestelldaten",
        "Danke, ich habe Ihre Bestellung gefunden.",
    ),
]


@pytest.mark.parametrize(("lang", "question", "asks", "found"), CASES)
def test_widget_answers_in_the_customers_language(
    browser: Any, api: dict[str, str], shop: str, lang: str, question: str, asks: str, found: str
) -> None:
    allow(api, shop)
    context = browser.new_context(viewport={"width": 1100, "height": 760}, locale="en-US")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{shop}/{lang}.html")
    widget = page.locator("[data-wismo-widget]")
    button = widget.locator("button.btn")
    # Keyboard: focus the button, Enter opens the panel and focuses the message box.
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    box = widget.locator("input")
    assert box.evaluate("el => el.getRootNode().activeElement === el")
    page.keyboard.type(question)
    page.keyboard.press("Enter")
    log = widget.locator(".log")
    log.locator(".assistant", has_text=asks).wait_for()
    box.fill("alice@example.com")
    box.press("Enter")
    log.locator(".assistant", has_text=found).wait_for()
    screenshot(page, f"widget-{lang}", full_page=False)

    # The conversation survives a page load.
    page.reload()
    widget.locator("button.btn").click()
    widget.locator(".log .assistant", has_text=found).wait_for()
    # Esc closes the panel and gives focus back to the button.
    widget.locator("input").focus()
    page.keyboard.press("Escape")
    assert widget.locator(".panel").is_hidden()
    assert widget.locator("button.btn").evaluate("el => el.getRootNode().activeElement === el")
    # Ending the chat offers the survey.
    widget.locator("button.btn").click()
    widget.locator("button.end").click()
    widget.locator("a.survey").wait_for()
    assert "/survey/" in (widget.locator("a.survey").get_attribute("href") or "")
    context.close()
    assert not errors, errors


def test_a_page_from_an_origin_not_allowed_gets_nothing(
    browser: Any, api: dict[str, str], shop: str
) -> None:
    allow(api, "https://elsewhere.example.com")
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda msg: refused.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{shop}/en.html")
    widget = page.locator("[data-wismo-widget]")
    widget.locator("button.btn").click()
    widget.locator("input").fill("where is my order A1003?")
    widget.locator("input").press("Enter")
    widget.locator(".note", has_text="could not be sent").wait_for()
    assert widget.locator(".assistant").count() == 0
    assert any("CORS" in text for text in refused), refused
    context.close()
