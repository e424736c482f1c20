"""A digest's subject, plain text and HTML: pure functions of `DigestContent`.

The HTML is a single table-based column (mail clients ignore most CSS): inline styles only,
600 px wide, every value from data escaped. Changes are coloured by whether they are an
improvement for that metric (the registry's `good` direction), as on the dashboard.
"""

from dataclasses import dataclass
from datetime import date
from html import escape

from app.analytics.metrics import Metric
from app.reporting import pdf

PERIOD_NAMES = {"daily": "Daily", "weekly": "Weekly", "monthly": "Monthly"}
TONE_COLORS = {"good": "#047857", "bad": "#be123c", "neutral": "#64748b"}


@dataclass(frozen=True)
class FigureRow:
    metric: Metric
    value: int | float | None
    previous: int | float | None
    change_pct: float | None


@dataclass(frozen=True)
class DigestContent:
    store_name: str
    frequency: str
    start: date
    end: date
    previous_start: date
    previous_end: date
    timezone: str
    figures: list[FigureRow]
    insights: list[pdf.ReportInsight]
    at_risk_count: int
    at_risk_top: list[str]
    link: str


def fmt_value(row: FigureRow, value: int | float | None) -> str:
    kind = pdf.kind_of(row.metric)
    if value is None:
        return pdf.EMPTY
    if kind == "count":
        return pdf.fmt_count(value)
    if kind == "rate":
        return pdf.fmt_pct(value)
    if kind == "duration":
        return pdf.fmt_duration(value)
    return pdf.fmt_score(value) + (" / 5" if kind == "score5" else " / 7")


def span(start: date, end: date) -> str:
    if start == end:
        return f"{start:%a %d %b %Y}"
    return f"{start:%d %b} – {end:%d %b %Y}"


def subject_of(c: DigestContent) -> str:
    return f"{PERIOD_NAMES[c.frequency]} WISMO digest for {c.store_name}: {span(c.start, c.end)}"


def render_text(c: DigestContent) -> str:
    lines = [
        f"{PERIOD_NAMES[c.frequency]} digest — {c.store_name}",
        f"{span(c.start, c.end)} (vs {span(c.previous_start, c.previous_end)}), {c.timezone}",
        "",
        "Key figures",
    ]
    width = max(len(r.metric.label) for r in c.figures) if c.figures else 0
    for r in c.figures:
        lines.append(
            f"  {r.metric.label.ljust(width)}  {fmt_value(r, r.value):>10}  "
            f"(before {fmt_value(r, r.previous)}, {pdf.fmt_change(r.change_pct)})"
        )
    lines += ["", "Top insights"]
    if c.insights:
        for i in c.insights:
            lines.append(f"  - [{i.impact}] {pdf.plain(i.title, 200)}")
            lines.append(f"    {pdf.plain(i.recommendation, 300)}")
    else:
        lines.append("  No insights for this period.")
    lines += ["", f"Orders at risk of an inquiry now: {c.at_risk_count}"]
    if c.at_risk_top:
        lines.append("  Most at risk: " + ", ".join(pdf.plain(n, 40) for n in c.at_risk_top))
    lines += [
        "",
        f"Open the dashboard for this period: {c.link}",
        "",
        "The full report is attached as a PDF. Change or stop this digest in Settings > "
        "Alerts & digests.",
    ]
    return "\n".join(lines) + "\n"


def _row_html(r: FigureRow) -> str:
    color = TONE_COLORS[pdf.tone(r.metric, r.change_pct)]
    return (
        "<tr>"
        f"<td style='padding:6px 8px;border-bottom:1px solid #e2e8f0'>{escape(r.metric.label)}</td>"
        "<td style='padding:6px 8px;border-bottom:1px solid #e2e8f0;text-align:right;"
        f"font-weight:bold'>{escape(fmt_value(r, r.value))}</td>"
        "<td style='padding:6px 8px;border-bottom:1px solid #e2e8f0;text-align:right;"
        f"color:#64748b'>{escape(fmt_value(r, r.previous))}</td>"
        "<td style='padding:6px 8px;border-bottom:1px solid #e2e8f0;text-align:right;"
        f"color:{color}'>{escape(pdf.fmt_change(r.change_pct))}</td>"
        "</tr>"
    )


def render_html(c: DigestContent) -> str:
    figures = "".join(_row_html(r) for r in c.figures)
    if c.insights:
        insights = "".join(
            "<li style='margin:0 0 8px'>"
            f"<strong>{escape(i.title)}</strong> "
            f"<span style='color:#64748b'>({escape(i.impact)} impact)</span><br>"
            f"{escape(i.recommendation)}</li>"
            for i in c.insights
        )
        insights_html = f"<ul style='padding-left:18px;margin:0'>{insights}</ul>"
    else:
        insights_html = "<p style='margin:0;color:#64748b'>No insights for this period.</p>"
    top = (
        f"<br><span style='color:#64748b'>Most at risk: {escape(', '.join(c.at_risk_top))}</span>"
        if c.at_risk_top
        else ""
    )
    link = escape(c.link, quote=True)
    head = "padding:6px 8px;text-align:right;color:#64748b;font-weight:normal"
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(subject_of(c))}</title></head>"
        "<body style='margin:0;padding:24px;background:#f1f5f9;"
        "font-family:Arial,Helvetica,sans-serif;color:#0f172a'>"
        "<table role='presentation' width='600' align='center' cellpadding='0' cellspacing='0' "
        "style='background:#ffffff;border-radius:8px;padding:24px'><tr><td>"
        f"<p style='margin:0;color:#6366f1;font-size:13px'>{PERIOD_NAMES[c.frequency]} digest</p>"
        f"<h1 style='margin:4px 0 4px;font-size:22px'>{escape(c.store_name)}</h1>"
        f"<p style='margin:0 0 16px;color:#64748b'>{escape(span(c.start, c.end))} "
        f"vs {escape(span(c.previous_start, c.previous_end))} · {escape(c.timezone)}</p>"
        "<table role='presentation' width='100%' cellpadding='0' cellspacing='0' "
        "style='border-collapse:collapse;font-size:14px'>"
        "<tr><th style='padding:6px 8px;text-align:left;color:#64748b;font-weight:normal'>"
        f"Metric</th><th style='{head}'>This period</th><th style='{head}'>Before</th>"
        f"<th style='{head}'>Change</th></tr>{figures}</table>"
        "<h2 style='font-size:16px;margin:24px 0 8px'>Top insights</h2>"
        f"{insights_html}"
        "<h2 style='font-size:16px;margin:24px 0 8px'>Orders at risk</h2>"
        f"<p style='margin:0'><strong>{c.at_risk_count}</strong> open orders are likely to "
        f"draw an inquiry.{top}</p>"
        "<p style='margin:24px 0'><a href='" + link + "' style='background:#4f46e5;"
        "color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none'>"
        "Open the dashboard for this period</a></p>"
        "<p style='margin:0;color:#64748b;font-size:12px'>The full report is attached as a "
        "PDF. Change or stop this digest in Settings › Alerts &amp; digests.</p>"
        "</td></tr></table></body></html>"
    )


def render(c: DigestContent) -> tuple[str, str, str]:
    """(subject, text, html)."""
    return subject_of(c), render_text(c), render_html(c)
