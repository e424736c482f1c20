"""Cold loads of the dashboard in Chromium: time to cards with data and to charts drawn, the
JavaScript loaded before the overview is drawn, and what the login page loads.

    cd apps/api && uv run python ../../bench/web_load.py --days 365 --orders-per-day 5750 \
        --before /tmp/wismo-before

The store is bench/run.py's (database `wismo_bench_<orders per day>_<days>`, loaded once with
its smaller neighbours; --reload to rebuild), with a user of it for the browser to sign in as.
Each variant is a real `wismo serve` on that database serving its
own dist/: "after" is this checkout (apps/api + apps/web/dist); "before" (optional) is another
export of the repository with its dist/ built, run with its own `app` package
(`--before DIR`, DIR holding apps/api and apps/web/dist). Loads alternate between the variants
so both see the same machine load.

A load is a new browser context (empty HTTP cache) of a returning user: the session cookie and
the store last used (localStorage), as a browser that has used the dashboard before but whose
cache is cold. Timings are `performance.now()` in the page (0 = navigation start) when a
MutationObserver first sees: all 8 metric cards with a value ("cards"); all 3 Recharts charts
of the overview page drawn and no skeleton left in <main> ("charts").
"""

import argparse
import asyncio
import gzip
import json
import os
import statistics
import subprocess
import sys
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
from sqlalchemy import select

from app.accounts.service import create_user
from app.core.config import Settings
from app.db.session import Database
from app.models import Store

API_DIR = Path(__file__).resolve().parents[1] / "apps" / "api"
sys.path.insert(0, str(API_DIR))  # the test harness's database and server helpers

from tests.servers import server_process  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import prepare as bench_store  # noqa: E402  (bench/run.py's store, loaded once)

BENCH_USER_EMAIL = "bench@example.com"
BENCH_USER_PASSWORD = "bench-password-1"  # noqa: S105  (a scratch database's user)
ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
CHROMIUM = os.environ.get("WISMO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DASHBOARD = "/analytics/wismo"
CHARTS_ON_OVERVIEW = 3  # inquiry trends, inquiry types, order status (the heatmap is HTML)

# Records when the overview's cards have data and when its charts are drawn.
OBSERVER = f"""
(() => {{
  const marks = (window.__wismoBench = {{}});
  const check = () => {{
    const main = document.querySelector('main');
    if (!main) return;
    const values = main.querySelectorAll('[data-testid="metric-value"]').length;
    if (marks.cards === undefined && values >= 8) marks.cards = performance.now();
    if (marks.charts === undefined
        && main.querySelectorAll('svg.recharts-surface').length >= {CHARTS_ON_OVERVIEW}
        && main.querySelectorAll('.animate-pulse').length === 0)
      marks.charts = performance.now();
  }};
  const all = {{ childList: true, subtree: true, attributes: true }};
  new MutationObserver(check).observe(document, all);
}})();
"""


# ---------------------------------------------------------------- data


async def prepare(days: int, orders_per_day: int, reload: bool) -> tuple[str, str, dict[str, int]]:
    """bench/run.py's store (loaded once, with its neighbours) and a user of it."""
    url, _key, counts = await bench_store(orders_per_day, days, reload)
    db = Database(Settings(database_url=url))
    try:
        async with db.writer() as session:
            store_id = await session.scalar(select(Store.id).where(Store.name == "Bench Store"))
            assert store_id is not None
            await create_user(session, BENCH_USER_EMAIL, BENCH_USER_PASSWORD, store_id, "owner")
            await session.commit()
    finally:
        await db.dispose()
    return (
        url,
        str(store_id),
        {
            "orders": counts["orders"],
            "order_inquiries": counts["inquiries"],
            "tracking_events": counts["tracking_events"],
        },
    )


# ---------------------------------------------------------------- servers


@dataclass
class Variant:
    label: str
    api_dir: Path
    dist: Path
    base: str = ""
    proc: subprocess.Popen[bytes] | None = None
    server: ExitStack = field(default_factory=ExitStack)
    storage: dict[str, Any] = field(default_factory=dict)
    loads: list[dict[str, Any]] = field(default_factory=list)
    login: dict[str, Any] = field(default_factory=dict)

    def start(self, url: str) -> None:
        self.server = ExitStack()
        self.base, self.proc = self.server.enter_context(
            server_process(url, api_dir=self.api_dir, WISMO_WEB_DIST=str(self.dist))
        )

    def stop(self) -> None:
        self.server.close()


# ---------------------------------------------------------------- browser


def gzip_size(variant: Variant, url: str) -> int:
    """gzip -9 size of a file of the variant's dist (what "KB gzip" means below)."""
    path = variant.dist / urlparse(url).path.lstrip("/")
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


def scripts(variant: Variant, entries: list[dict[str, Any]], until: float | None) -> dict[str, Any]:
    js = [
        e
        for e in entries
        if urlparse(e["name"]).path.endswith(".js") and (until is None or e["responseEnd"] <= until)
    ]
    return {
        "files": sorted(Path(urlparse(e["name"]).path).name for e in js),
        "wire_bytes": sum(e["encodedBodySize"] for e in js),
        "decoded_bytes": sum(e["decodedBodySize"] for e in js),
        "gzip_bytes": sum(gzip_size(variant, e["name"]) for e in js),
    }


def load_once(browser: Any, variant: Variant, store_id: str) -> dict[str, Any]:
    context = browser.new_context(
        base_url=variant.base,
        storage_state=variant.storage,
        viewport={"width": 1280, "height": 900},
        reduced_motion="reduce",
    )
    try:
        page = context.new_page()
        page.add_init_script(OBSERVER)
        page.goto(DASHBOARD, wait_until="commit")
        page.wait_for_function(
            "() => window.__wismoBench && window.__wismoBench.charts !== undefined",
            timeout=60_000,
        )
        marks = page.evaluate("() => window.__wismoBench")
        entries = page.evaluate(
            "() => performance.getEntriesByType('resource').map((e) => e.toJSON())"
        )
        api = {
            urlparse(e["name"]).path.rsplit("/", 1)[-1]: e
            for e in entries
            if "/api/v1/" in e["name"]
        }
        me = api.get("me")
        overview = api.get("overview")
        return {
            "cards_ms": marks["cards"],
            "charts_ms": marks["charts"],
            "me_end_ms": me["responseEnd"] if me else None,
            "overview_start_ms": overview["startTime"] if overview else None,
            "before_cards": scripts(variant, entries, marks["cards"]),
            "all_scripts": scripts(variant, entries, None),
            "store": store_id,
            "timeline": [
                [urlparse(e["name"]).path, round(e["startTime"]), round(e["responseEnd"])]
                for e in entries
            ],
        }
    finally:
        context.close()


def login_page(browser: Any, variant: Variant) -> dict[str, Any]:
    context = browser.new_context(base_url=variant.base)
    try:
        page = context.new_page()
        page.goto("/login", wait_until="networkidle")
        page.get_by_label("Email").wait_for()
        entries = page.evaluate(
            "() => performance.getEntriesByType('resource').map((e) => e.toJSON())"
        )
        return scripts(variant, entries, None)
    finally:
        context.close()


def sign_in(variant: Variant, store_id: str) -> None:
    r = httpx.post(
        f"{variant.base}/api/v1/auth/login",
        json={"email": BENCH_USER_EMAIL, "password": BENCH_USER_PASSWORD},
    )
    r.raise_for_status()
    cookies = [
        {"name": c.name, "value": c.value or "", "domain": "127.0.0.1", "path": "/"}
        for c in r.cookies.jar
    ]
    variant.storage = {
        "cookies": cookies,
        "origins": [
            {"origin": variant.base, "localStorage": [{"name": "wismo.storeId", "value": store_id}]}
        ],
    }


# ---------------------------------------------------------------- report


def p50(values: list[float]) -> float:
    return statistics.median(values)


def kb(n: float) -> str:
    return f"{n / 1000:.1f}"


def report(variants: list[Variant], counts: dict[str, int]) -> str:
    lines = [
        f"Store: {counts['orders']:,} orders, {counts['order_inquiries']:,} inquiries, "
        f"{counts['tracking_events']:,} tracking events; {len(variants[0].loads)} cold loads each.",
        "",
        "| | " + " | ".join(v.label for v in variants) + " |",
        "| --- |" + " ---: |" * len(variants),
    ]

    def row(name: str, fn: Any) -> None:
        lines.append(f"| {name} | " + " | ".join(fn(v) for v in variants) + " |")

    row("cards with data, p50 ms", lambda v: f"{p50([x['cards_ms'] for x in v.loads]):.0f}")
    row("charts drawn, p50 ms", lambda v: f"{p50([x['charts_ms'] for x in v.loads]):.0f}")

    def spread(v: Variant, key: str) -> str:
        values = [x[key] for x in v.loads]
        return f"{min(values):.0f}-{max(values):.0f}"

    row("cards, min-max ms", lambda v: spread(v, "cards_ms"))
    row("charts, min-max ms", lambda v: spread(v, "charts_ms"))
    row("/auth/me answered, p50 ms", lambda v: f"{p50([x['me_end_ms'] for x in v.loads]):.0f}")
    row(
        "overview request sent, p50 ms",
        lambda v: f"{p50([x['overview_start_ms'] for x in v.loads]):.0f}",
    )
    row(
        "JS before cards: KB gzip (-9)",
        lambda v: kb(p50([x["before_cards"]["gzip_bytes"] for x in v.loads])),
    )
    row(
        "JS before cards: KB on the wire",
        lambda v: kb(p50([x["before_cards"]["wire_bytes"] for x in v.loads])),
    )
    row(
        "JS before cards: KB uncompressed",
        lambda v: kb(p50([x["before_cards"]["decoded_bytes"] for x in v.loads])),
    )
    row(
        "JS of the page in all: KB on the wire",
        lambda v: kb(p50([x["all_scripts"]["wire_bytes"] for x in v.loads])),
    )
    row("login page JS: KB gzip (-9)", lambda v: kb(v.login["gzip_bytes"]))
    row("login page JS: KB on the wire", lambda v: kb(v.login["wire_bytes"]))
    row("login page JS files", lambda v: ", ".join(v.login["files"]))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--orders-per-day", type=int, default=2800)
    parser.add_argument("--loads", type=int, default=7)
    parser.add_argument("--before", type=Path, help="an export holding apps/api and apps/web/dist")
    parser.add_argument("--reload", action="store_true")
    parser.add_argument("--prepare-only", action="store_true")
    args = parser.parse_args()

    url, store_id, counts = asyncio.run(prepare(args.days, args.orders_per_day, args.reload))
    print(f"store {store_id}: {json.dumps(counts)}", flush=True)
    if args.prepare_only:
        return

    variants: list[Variant] = []
    if args.before:
        variants.append(Variant("before", args.before / "apps/api", args.before / "apps/web/dist"))
    variants.append(Variant("after", ROOT / "apps/api", ROOT / "apps/web/dist"))

    from playwright.sync_api import sync_playwright

    try:
        for v in variants:
            v.start(url)
            sign_in(v, store_id)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            for v in variants:
                load_once(browser, v, store_id)  # warms the server, not the browser
                v.login = login_page(browser, v)
            for _ in range(args.loads):
                for v in variants:
                    v.loads.append(load_once(browser, v, store_id))
            browser.close()
    finally:
        for v in variants:
            v.stop()

    table = report(variants, counts)
    print(table)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS / f"web_load_{stamp}.json"
    out.write_text(
        json.dumps(
            {
                "store_id": store_id,
                "counts": counts,
                "variants": {v.label: {"loads": v.loads, "login": v.login} for v in variants},
            },
            indent=1,
        )
    )
    print(f"\nsaved {out}")


if __name__ == "__main__":
    main()
