"""A digest's HTML in a real browser: laid out in its 600 px column, every figure and insight
shown, data escaped; a screenshot and the plain text go to tests/e2e/artifacts/."""

from datetime import date
from pathlib import Path
from typing import Any

from app.analytics.metrics import METRICS
from app.notifications.digest_email import DigestContent, FigureRow, render
from app.reporting.pdf import ReportInsight

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def _row(slug: str, value: float | None, previous: float | None) -> FigureRow:
    change = None if value is None or not previous else (value - previous) / previous * 100
    return FigureRow(METRICS[slug], value, previous, change)


CONTENT = DigestContent(
    store_name="Acme <Outdoor> & Co",
    frequency="weekly",
    start=date(2026, 11, 23),
    end=date(2026, 11, 29),
    previous_start=date(2026, 11, 16),
    previous_end=date(2026, 11, 22),
    timezone="America/New_York",
    figures=[
        _row("total_inquiries", 182, 140),
        _row("total_orders", 1240, 1190),
        _row("inquiry_rate", 182 / 1240, 140 / 1190),
        _row("avg_resolution_seconds", 5400, 7200),
        _row("satisfaction_score", 4.2, 4.4),
        _row("on_time_delivery_rate", 0.91, 0.93),
        _row("customer_effort_score", None, None),
    ],
    insights=[
        ReportInsight(
            "warning",
            "UPS Ground draws 2.1× the inquiries of other carriers",
            "",
            "Send proactive tracking updates for <script>alert(1)</script> UPS parcels.",
            "high",
        ),
        ReportInsight(
            "opportunity",
            "Refund questions peak on Mondays",
            "",
            "Staff Monday mornings.",
            "medium",
        ),
    ],
    at_risk_count=17,
    at_risk_top=["#1042", "#1057", "#1063"],
    link="https://wismo.example.com/?store=s1&date_range=custom&start=2026-11-23&end=2026-11-29",
)


def test_the_digest_renders_in_chromium(chromium: Any) -> None:
    subject, text, html = render(CONTENT)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "digest-email.txt").write_text(f"Subject: {subject}\n\n{text}")
    page = chromium.new_page(viewport={"width": 760, "height": 900})
    try:
        page.set_content(html)
        column = page.locator("body > table")
        assert column.bounding_box()["width"] == 600
        assert page.evaluate("document.documentElement.scrollWidth") <= 760
        heading = page.locator("h1")
        assert heading.inner_text() == "Acme <Outdoor> & Co"
        rows = page.locator("body > table table tr").all_inner_texts()
        assert [r.split("\t") for r in rows[:4]] == [
            ["Metric", "This period", "Before", "Change"],
            ["Total inquiries", "182", "140", "+30.0%"],
            ["Total orders", "1,240", "1,190", "+4.2%"],
            ["Inquiry rate", "14.7%", "11.8%", "+24.8%"],  # 182·1190 / (1240·140) = 1.2476
        ]
        assert rows[4].split("\t") == ["Avg resolution time", "1h 30m", "2h", "-25.0%"]
        # More inquiries is worse (red); a faster resolution is better (green).
        color = "el => getComputedStyle(el).color"
        cells = page.locator("body > table table tr td:nth-child(4)")
        assert cells.nth(0).evaluate(color) == "rgb(190, 18, 60)"
        assert cells.nth(3).evaluate(color) == "rgb(4, 120, 87)"
        assert page.locator("script").count() == 0
        assert "<script>alert(1)</script>" in page.locator("li").first.inner_text()
        button = page.get_by_role("link", name="Open the dashboard for this period")
        assert button.get_attribute("href") == CONTENT.link
        page.screenshot(path=str(ARTIFACTS / "digest-email.png"), full_page=True)
    finally:
        page.close()
    assert "Orders at risk of an inquiry now: 17" in text
    assert "Most at risk: #1042, #1057, #1063" in text
