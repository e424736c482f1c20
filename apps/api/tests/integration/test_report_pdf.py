"""The PDF report rendered for real: poppler's pdftoppm turns every page into a PNG (and a
low-resolution greyscale image whose ink we measure), pdftotext reads the text back, and the
hand-computed figures of test_analytics' store must be on the pages. Markup in data (a
carrier or store name, insight text) must print literally, not be interpreted by ReportLab.

Needs poppler-utils (Debian); skipped without it unless WISMO_REQUIRE_SERVICES=1.
"""

import dataclasses
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.analytics.service import DateRange, Filters
from app.models import Store
from app.reporting.pdf import ReportInsight, gather_report, render_report
from tests.api.test_analytics import P, _build
from tests.conftest import REQUIRE_SERVICES

if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
    if REQUIRE_SERVICES:
        raise RuntimeError("pdftoppm/pdftotext (poppler-utils) are required")
    pytest.skip("poppler-utils (pdftoppm, pdftotext) not installed", allow_module_level=True)

SCRIPT = "<script>alert(1)</script>"
STORE_NAME = 'Evil <font color="red">& Co</font>'


def _render(pdf: bytes, tmp_path: Path) -> tuple[int, str]:
    """(page count, text with layout) after checking that every page renders with ink."""
    tmp_path.mkdir(exist_ok=True)
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "72", "-png", str(path), str(tmp_path / "page")], check=True)
    pngs = sorted(tmp_path.glob("page-*.png"))
    for png in pngs:
        assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 5000
    subprocess.run(["pdftoppm", "-r", "36", "-gray", str(path), str(tmp_path / "ink")], check=True)
    grays = sorted(tmp_path.glob("ink-*.pgm"))
    assert len(grays) == len(pngs)
    for pgm in grays:
        magic, width, height, maxval, pixels = pgm.read_bytes().split(maxsplit=4)
        assert magic == b"P5" and maxval == b"255"
        body = pixels[: int(width) * int(height) * 88 // 100]  # above the footer
        ink = sum(1 for p in body if p < 224) / len(body)
        assert ink > 0.003, f"{pgm.name}: nothing but the footer ({ink:.2%} ink)"
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return len(pngs), text


def _has(text: str, *pattern_parts: str) -> bool:
    """The parts on one line, in order, separated by whitespace."""
    pattern = r"\s+".join(re.escape(p) for p in pattern_parts)
    return any(re.search(pattern, line) for line in text.splitlines())


async def test_report_renders_the_hand_computed_figures(
    client: httpx.AsyncClient, make_store: Any, tmp_path: Path
) -> None:
    store = await make_store(STORE_NAME, "America/New_York")
    await _build(client, store)
    # A carrier whose name is markup: a shipment in the range for O4.
    r = await client.post(
        "/api/v1/orders/O4/shipments",
        json={"carrier": SCRIPT, "trackingNumber": "XSS1", "shippedAt": "2026-03-09T20:00:00Z"},
        headers=store.headers,
    )
    assert r.status_code == 201, r.text
    r = await client.get("/api/v1/analytics/wismo/report.pdf", params=P, headers=store.headers)
    assert r.status_code == 200, r.text
    pages, text = _render(r.content, tmp_path)

    assert 3 <= pages <= 6
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    # Title page: store (literally), range, time zone, and the overview's figures.
    assert STORE_NAME in text
    assert "2026-03-06 to 2026-03-10 (5 days, inclusive)" in text
    assert "2026-03-01 to 2026-03-05" in text
    assert "America/New_York" in text
    assert "4 inquiries about 5 orders: an inquiry rate of 80.0% (-20.0% on the previous" in text
    assert _has(text, "Total inquiries", "Total orders", "Inquiry rate", "Repeat inquiry rate")
    assert _has(text, "4", "5", "80.0%", "25.0%")
    assert _has(text, "+300.0% vs 1 before", "+400.0% vs 1 before", "-20.0% vs 100.0% before")
    assert _has(text, "2h 50m", "33.3%", "1h 2m")  # 10200 s, 1/3, 3750 s
    assert _has(text, "3.7 / 5", "66.7%", "2.0 / 7")
    # Inquiry trends: types, channels, order status.
    assert _has(text, "Delivery", "1", "25.0%", "Chat", "2", "50.0%")
    assert _has(text, "Resolution", "3", "2h 50m")
    # Carriers (the hand-computed UPS and FedEx rows), exception causes.
    assert _has(text, "UPS", "2", "1", "100.0%", "1.5 d", "0.0%", "1", "0.50")
    assert _has(text, "FedEx", "1", "0", "—", "—", "100.0%", "1", "1.00")
    assert _has(text, "Weather delay", "1", "100.0%")
    assert "<script>alert(1)" in text  # the carrier's name, printed as text
    # Satisfaction.
    assert _has(text, "Satisfaction score", "3.7 / 5")
    assert _has(text, "CSAT (4 or 5)", "66.7%")
    assert _has(text, "Carrier", "UPS", "1", "2.0", "0.0%")  # lowest-rated carrier
    # Insights (the insights service says there is not enough data for this small store).
    assert "Insights" in text and "Not enough data yet" in text


async def test_markup_in_insights_prints_literally(
    client: httpx.AsyncClient, session: AsyncSession, store: Any, tmp_path: Path
) -> None:
    await _build(client, store)
    db_store = await session.get(Store, store.id)
    assert db_store is not None
    rng = DateRange(date(2026, 3, 6), date(2026, 3, 10), "America/New_York")
    data = await gather_report(session, db_store, rng, Filters(carrier=("UPS",)))
    injected = dataclasses.replace(
        data,
        insights=[
            ReportInsight(
                type="warning",
                title='<font color="red" size="40">Injected</font> & Co',
                description=f'{SCRIPT} <a href="http://evil.example">link</a> <img src="x"/>',
                recommendation="Close the <b>tag</i> & carry on\x00",
                impact="high",
            )
        ],
    )
    pages, text = _render(render_report(injected), tmp_path)
    assert pages >= 3
    assert '<font color="red" size="40">Injected</font> & Co' in text
    assert f'{SCRIPT} <a href="http://evil.example">link</a> <img src="x"/>' in text
    assert "Recommendation: Close the <b>tag</i> & carry on" in text
    assert "WARNING · high impact" in text
    assert "Filter" in text and "carrier = UPS" in text
    assert "the report's filter does not" in text
    # UPS-filtered overview: I2 only (test_analytics' filtered overview).
    assert "1 inquiry about 5 orders: an inquiry rate of 20.0%" in text

    none = dataclasses.replace(data, insights=None)
    _, text = _render(render_report(none), tmp_path / "without-insights")
    assert "Automated insights are not available for this report." in text


@pytest.mark.parametrize(
    ("start", "end", "bucket"),
    [("2026-03-06", "2026-03-06", "per day"), ("2025-03-11", "2026-03-10", "per ISO week"),
     ("2024-03-10", "2026-03-10", "per month")],
)  # fmt: skip
async def test_empty_store_and_long_ranges_render(
    client: httpx.AsyncClient, store: Any, tmp_path: Path, start: str, end: str, bucket: str
) -> None:
    params = {"date_range": "custom", "start": start, "end": end}
    r = await client.get("/api/v1/analytics/wismo/report.pdf", params=params, headers=store.headers)
    assert r.status_code == 200, r.text
    pages, text = _render(r.content, tmp_path)
    assert pages >= 3
    assert bucket in text
    assert "0 inquiries about 0 orders: an inquiry rate of —." in text
    assert "No shipments in this period." in text
    assert "No shipment exceptions in this period." in text
    assert "No ratings in this period." in text
