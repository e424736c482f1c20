"""The merchant PDF report (DESIGN 6: `GET /analytics/wismo/report.pdf`), made with ReportLab.

`gather_report` reads every figure through `WISMOAnalyticsService` (the only home of the
formulas) and the insights service when it is installed; `render_report` is a pure function
of that data, run in a worker thread because ReportLab is synchronous.

Pages: a title page (store, range, time zone, the overview cards coloured by whether each
change is an improvement for that metric), inquiry trends (a line chart of inquiries vs
orders by day, week or month, types, channels, order statuses, response times), fulfillment
and carriers (the carrier table, exception causes), satisfaction, and insights; every page
numbered "Page n of N".

Markup safety: ReportLab's Paragraph interprets an XML-like markup (`<font>`, `<a>`, `<img>`
...). Every string that comes from data (store name, carrier, exception reason, insight text,
dimension keys) goes through `text()` (control characters dropped, then
`xml.sax.saxutils.escape`) before it reaches a Paragraph, so a carrier named
`<script>alert(1)</script>` or `<font color=red>` prints as those characters. Strings drawn
directly on the canvas (the footer) are never interpreted.
"""

import asyncio
import io
import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal
from xml.sax.saxutils import escape

from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from sqlalchemy.ext.asyncio import AsyncSession

from app.analytics.metrics import METRICS, Metric, share
from app.analytics.schemas import (
    FulfillmentMetrics,
    InquiryTrends,
    MetricValue,
    Overview,
    SatisfactionMetrics,
    ShareItem,
)
from app.analytics.service import DateRange, Filters, WISMOAnalyticsService
from app.core.logging import get_logger
from app.core.timeutils import utcnow
from app.models import Store
from app.reporting.csv_export import export_filename

log = get_logger(__name__)

GroupBy = Literal["day", "week", "month"]
Kind = Literal["count", "rate", "duration", "score5", "score7"]

# Palette (the dashboard's Tailwind slate / indigo / emerald / rose).
INK = colors.HexColor("#0f172a")
MUTED = colors.HexColor("#64748b")
LINE = colors.HexColor("#e2e8f0")
CARD = colors.HexColor("#f8fafc")
HEAD = colors.HexColor("#f1f5f9")
BRAND = colors.HexColor("#4f46e5")
ORDERS = colors.HexColor("#94a3b8")
GOOD = colors.HexColor("#047857")
BAD = colors.HexColor("#be123c")
TONE_HEX = {"good": "#047857", "bad": "#be123c", "neutral": "#64748b"}
# The dashboard's insight colours and labels (apps/web/src/components/analytics/InsightsPanel).
INSIGHT_HEX = {"warning": "#d97706", "opportunity": "#4f46e5", "success": "#059669"}
INSIGHT_LABEL = {"warning": "Warning", "opportunity": "Opportunity", "success": "Going well"}
EMPTY = "—"
MARGIN = 48.0
FRAME_PADDING = 6.0  # platypus' default Frame padding, inside the margins


# ---------------------------------------------------------------- data


@dataclass(frozen=True)
class ReportInsight:
    type: str
    title: str
    description: str
    recommendation: str
    impact: str


@dataclass(frozen=True)
class ReportData:
    store_name: str
    timezone: str
    range: DateRange
    filters: Filters
    generated_at: datetime
    overview: Overview
    trends: InquiryTrends
    fulfillment: FulfillmentMetrics
    satisfaction: SatisfactionMetrics
    # None: no insights service in this build (or it failed); [] : nothing to report.
    insights: list[ReportInsight] | None


def trend_group_by(days: int) -> GroupBy:
    """Day buckets up to two months, ISO weeks up to a year, months beyond."""
    return "day" if days <= 62 else "week" if days <= 366 else "month"


async def load_insights(
    session: AsyncSession, store: Store, rng: DateRange
) -> list[ReportInsight] | None:
    """Insights hook: the latest stored set for the range if fresh, else generated now (and
    not stored: a download writes nothing). None when the insights service is unavailable."""
    try:
        from app.insights import WISMOInsightsService
    except ImportError:
        return None
    try:
        async with session.begin_nested():  # a failure must not poison the request's transaction
            service = WISMOInsightsService(WISMOAnalyticsService(session))
            found = await service.latest(store, rng)
            if found is None:
                found = await service.generate_insights(store, rng)
    except Exception:
        log.exception("insights unavailable for the PDF report", store_id=str(store.id))
        return None
    return [
        ReportInsight(
            type=i.type,
            title=i.title,
            description=i.description,
            recommendation=i.recommendation,
            impact=i.impact,
        )
        for i in found
    ]


async def gather_report(
    session: AsyncSession, store: Store, rng: DateRange, filters: Filters
) -> ReportData:
    analytics = WISMOAnalyticsService(session)
    group_by = trend_group_by(rng.days)
    overview = await analytics.get_overview(store, rng, filters)  # validates the filters
    trends = await analytics.get_inquiry_metrics(store, rng, group_by, filters)
    fulfillment = await analytics.get_fulfillment_insights(store, rng, group_by, filters)
    satisfaction = await analytics.get_satisfaction_trends(store, rng, group_by, filters)
    return ReportData(
        store_name=store.name,
        timezone=store.timezone,
        range=rng,
        filters=filters,
        generated_at=utcnow(),
        overview=overview,
        trends=trends,
        fulfillment=fulfillment,
        satisfaction=satisfaction,
        insights=await load_insights(session, store, rng),
    )


async def build_report(
    session: AsyncSession, store: Store, rng: DateRange, filters: Filters
) -> bytes:
    data = await gather_report(session, store, rng, filters)
    return await asyncio.to_thread(render_report, data)


def report_filename(rng: DateRange) -> str:
    return export_filename("report", rng, "pdf")


# ---------------------------------------------------------------- formatting


def text(value: object) -> str:
    """A data string made safe for a Paragraph: control characters dropped, markup escaped."""
    s = "".join(
        ch if ch in "\t\n" or unicodedata.category(ch) != "Cc" else " " for ch in str(value)
    )
    return escape(s)


def plain(value: object, limit: int = 80) -> str:
    """A data string for the canvas (never interpreted): control characters dropped."""
    s = "".join(ch if unicodedata.category(ch) != "Cc" else " " for ch in str(value))
    return s if len(s) <= limit else s[: limit - 1] + "…"


def fmt_count(v: float | None) -> str:
    return EMPTY if v is None else f"{v:,.0f}"


def fmt_pct(v: float | None) -> str:
    return EMPTY if v is None else f"{v * 100:.1f}%"


def fmt_score(v: float | None) -> str:
    return EMPTY if v is None else f"{v:.1f}"


def fmt_ratio(v: float | None) -> str:
    return EMPTY if v is None else f"{v:.2f}"


def fmt_change(pct: float | None) -> str:
    if pct is None:
        return EMPTY
    return "0.0%" if round(pct, 1) == 0 else f"{pct:+.1f}%"


def fmt_duration(seconds: float | None) -> str:
    """As the dashboard shows durations: 45s, 12m, 2h 30m, 1.5 d."""
    if seconds is None:
        return EMPTY
    s = max(0.0, seconds)
    if round(s) < 60:
        return f"{round(s)}s"
    minutes = round(s / 60)
    if minutes < 60:
        return f"{minutes}m"
    if minutes < 24 * 60:
        h, m = divmod(minutes, 60)
        return f"{h}h" if m == 0 else f"{h}h {m}m"
    return f"{s / 86400:.1f} d"


FORMATTERS: dict[Kind, Callable[[float | None], str]] = {
    "count": fmt_count,
    "rate": fmt_pct,
    "duration": fmt_duration,
    "score5": fmt_score,
    "score7": fmt_score,
}
SUFFIX: dict[Kind, str] = {"score5": " / 5", "score7": " / 7"}


# The overview's cards, grouped; labels and directions come from the metric registry.
CARD_GROUPS: tuple[tuple[str, tuple[Metric, ...]], ...] = (
    (
        "Inquiries",
        tuple(
            METRICS[slug]
            for slug in ("total_inquiries", "total_orders", "inquiry_rate", "repeat_inquiry_rate")
        ),
    ),
    (
        "Resolution",
        tuple(
            METRICS[slug]
            for slug in (
                "avg_resolution_seconds",
                "first_contact_resolution_rate",
                "avg_first_response_seconds",
            )
        ),
    ),
    (
        "Satisfaction",
        tuple(METRICS[slug] for slug in ("satisfaction_score", "csat", "customer_effort_score")),
    ),
    (
        "Fulfillment",
        tuple(
            METRICS[slug]
            for slug in ("avg_time_to_ship_seconds", "on_time_delivery_rate", "exception_rate")
        ),
    ),
)


def kind_of(metric: Metric) -> Kind:
    if metric.unit == "score":
        return "score5" if metric.scale == (1, 5) else "score7"
    return {"count": "count", "fraction": "rate", "seconds": "duration"}[metric.unit]  # type: ignore[return-value]


def tone(metric_def: Metric, change_pct: float | None) -> Literal["good", "bad", "neutral"]:
    """Is this change an improvement for that metric? No change (or unknown) is neutral."""
    if change_pct is None or not math.isfinite(change_pct) or round(change_pct, 1) == 0:
        return "neutral"
    return "good" if (change_pct > 0) == (metric_def.good == "up") else "bad"


def _day(d: date) -> str:
    return f"{d:%b} {d.day}, {d.year}"


def _span(start: date, end: date) -> str:
    return f"{start.isoformat()} to {end.isoformat()}"


def _bucket_label(d: date, group_by: GroupBy) -> str:
    return f"{d:%b %Y}" if group_by == "month" else f"{d:%b} {d.day}"


def _nice_step(top: float, ticks: int = 5) -> float:
    raw = max(top, 1) / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * power >= raw:
            return max(1.0, m * power)
    return 10 * power


def _humanize(key: str) -> str:
    s = key.replace("_", " ").strip()
    return s[:1].upper() + s[1:] if s else key


# ---------------------------------------------------------------- rendering


@cache
def _fonts() -> tuple[str, str]:
    """A Unicode TrueType family: DejaVu Sans when the system has it (broad script coverage),
    else Bitstream Vera, which ships inside the ReportLab wheel (same metrics for Latin)."""
    import reportlab

    bundled = Path(reportlab.__file__).parent / "fonts"
    candidates = [
        ("DejaVuSans", Path("/usr/share/fonts/truetype/dejavu"), "DejaVuSans{}.ttf"),
        ("Vera", bundled, "Vera{}.ttf"),
    ]
    variants = {"DejaVuSans": ("", "-Bold", "-Oblique"), "Vera": ("", "Bd", "It")}
    for family, folder, pattern in candidates:
        paths = [folder / pattern.format(v) for v in variants[family]]
        if all(p.is_file() for p in paths):
            name = f"Wismo{family}"
            for suffix, path in zip(("", "-Bold", "-Italic"), paths, strict=True):
                pdfmetrics.registerFont(TTFont(name + suffix, str(path)))
            pdfmetrics.registerFontFamily(
                name,
                normal=name,
                bold=f"{name}-Bold",
                italic=f"{name}-Italic",
                boldItalic=f"{name}-Bold",
            )
            return name, f"{name}-Bold"
    return "Helvetica", "Helvetica-Bold"  # pragma: no cover - ReportLab always ships Vera


class _Styles:
    def __init__(self) -> None:
        regular, bold = _fonts()
        self.regular, self.bold = regular, bold

        def style(name: str, **kw: Any) -> ParagraphStyle:
            base: dict[str, Any] = {
                "fontName": regular,
                "fontSize": 9,
                "leading": 12,
                "textColor": INK,
                "alignment": TA_LEFT,
            }
            return ParagraphStyle(name, **(base | kw))

        self.body = style("body")
        self.small = style("small", fontSize=8, leading=10, textColor=MUTED)
        self.kicker = style("kicker", fontName=bold, fontSize=9, textColor=BRAND, spaceAfter=6)
        self.title = style("title", fontName=bold, fontSize=26, leading=31, spaceAfter=4)
        self.subtitle = style("subtitle", fontSize=11, leading=15, textColor=MUTED)
        self.h1 = style("h1", fontName=bold, fontSize=16, leading=20, spaceBefore=4, spaceAfter=8)
        self.h2 = style("h2", fontName=bold, fontSize=11, leading=14, spaceBefore=10, spaceAfter=5)
        self.group = style("group", fontName=bold, fontSize=8, leading=10, textColor=MUTED)
        self.card_label = style("card_label", fontSize=7.5, leading=9, textColor=MUTED)
        self.card_value = style("card_value", fontName=bold, fontSize=15, leading=18)
        self.card_change = style("card_change", fontSize=7, leading=9, textColor=MUTED)
        self.cell = style("cell", fontSize=8.5, leading=10.5)
        self.cell_bold = style("cell_bold", fontName=bold, fontSize=8.5, leading=10.5)
        self.insight_title = style("insight_title", fontName=bold, fontSize=10, leading=13)


def _table_style(styles: _Styles, numeric_from: int, rows: int) -> TableStyle:
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), styles.regular, 8.5),
        ("FONT", (0, 0), (-1, 0), styles.bold, 8),
        ("TEXTCOLOR", (0, 0), (-1, 0), MUTED),
        ("TEXTCOLOR", (0, 1), (-1, -1), INK),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, LINE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
    ]
    if numeric_from >= 0:
        commands.append(("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"))
    if rows > 2:
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, CARD]))
    return TableStyle(commands)


def _data_table(
    styles: _Styles,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    numeric_from: int = 1,
) -> Table:
    """Header strings are ours; every data string in `rows` must already be a Paragraph
    built with `text()` or a string formatted from numbers (Table cells are not markup)."""
    table = Table([list(header), *[list(r) for r in rows]], colWidths=list(widths), repeatRows=1)
    table.setStyle(_table_style(styles, numeric_from, len(rows) + 1))
    return table


def _kv_table(styles: _Styles, pairs: Sequence[tuple[str, str]], width: float) -> Table:
    rows = [[Paragraph(text(k), styles.small), Paragraph(v, styles.body)] for k, v in pairs]
    table = Table(rows, colWidths=[width * 0.24, width * 0.76])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _scored(value: float | None, kind: Kind) -> str:
    """A value with its scale ("3.7 / 5"), or the empty mark alone."""
    return EMPTY if value is None else FORMATTERS[kind](value) + SUFFIX.get(kind, "")


def _card(styles: _Styles, metric_def: Metric, mv: MetricValue, width: float) -> Table:
    fmt = FORMATTERS[kind_of(metric_def)]
    value = _scored(mv.value, kind_of(metric_def))
    colour = TONE_HEX[tone(metric_def, mv.change_pct)]
    if mv.change_pct is not None:
        change = (
            f'<font color="{colour}"><b>{text(fmt_change(mv.change_pct))}</b></font>'
            f" vs {text(fmt(mv.previous))} before"
        )
    elif mv.previous is None:
        change = "no previous data"
    else:
        change = f"previous period: {text(fmt(mv.previous))}"
    card = Table(
        [
            [Paragraph(text(metric_def.label), styles.card_label)],
            [Paragraph(text(value), styles.card_value)],
            [Paragraph(change, styles.card_change)],
        ],
        colWidths=[width],
    )
    card.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), CARD),
                ("BOX", (0, 0), (-1, -1), 0.6, LINE),
                ("ROUNDEDCORNERS", [4, 4, 4, 4]),
                ("LEFTPADDING", (0, 0), (-1, -1), 7),
                ("RIGHTPADDING", (0, 0), (-1, -1), 7),
                ("TOPPADDING", (0, 0), (0, 0), 7),
                ("TOPPADDING", (0, 1), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 7),
            ]
        )
    )
    return card


def _cards(styles: _Styles, overview: Overview, width: float) -> list[Flowable]:
    columns, gap = 4, 8.0
    card_width = (width - gap * (columns - 1)) / columns
    out: list[Flowable] = []
    for group, defs in CARD_GROUPS:
        row: list[Any] = [_card(styles, d, getattr(overview, d.slug), card_width) for d in defs]
        row += [""] * (columns - len(row))
        cells: list[Any] = []
        widths: list[float] = []
        for i, c in enumerate(row):
            if i:
                cells.append("")
                widths.append(gap)
            cells.append(c)
            widths.append(card_width)
        grid = Table([cells], colWidths=widths)
        grid.setStyle(
            TableStyle(
                [
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        out.append(
            KeepTogether(
                [Paragraph(text(group.upper()), styles.group), Spacer(1, 3), grid, Spacer(1, 9)]
            )
        )
    return out


def _trend_chart(styles: _Styles, trends: InquiryTrends, width: float) -> Drawing:
    height = 215.0
    drawing = Drawing(width, height)
    points = trends.series
    inquiries = [p.inquiries for p in points]
    orders = [p.orders for p in points]
    top = max([*inquiries, *orders, 1])
    step = _nice_step(top)
    chart = HorizontalLineChart()
    chart.x, chart.y = 38, 42
    chart.width, chart.height = width - 48, height - 72
    chart.data = [orders, inquiries]
    chart.joinedLines = 1
    for i, colour in enumerate((ORDERS, BRAND)):
        chart.lines[i].strokeColor = colour
        chart.lines[i].strokeWidth = 2 if i else 1.5
        if len(points) <= 45:
            chart.lines[i].symbol = makeMarker("FilledCircle", size=3.5, fillColor=colour)
            chart.lines[i].symbol.strokeColor = colour
    every = max(1, math.ceil(len(points) / 9))
    chart.categoryAxis.categoryNames = [
        _bucket_label(p.date, trends.group_by) if i % every == 0 else ""
        for i, p in enumerate(points)
    ]
    chart.categoryAxis.labels.fontName = styles.regular
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.fillColor = MUTED
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.categoryAxis.labels.dy = -4
    chart.categoryAxis.strokeColor = LINE
    chart.categoryAxis.tickDown = 0
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = math.ceil(top / step) * step
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = styles.regular
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labels.fillColor = MUTED
    chart.valueAxis.labelTextFormat = lambda v: f"{v:,.0f}" if float(v).is_integer() else f"{v:g}"
    chart.valueAxis.strokeColor = colors.white
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = LINE
    chart.valueAxis.gridStrokeWidth = 0.5
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = chart.x, height - 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 90
    legend.dxTextSpace = 5
    legend.fontName = styles.regular
    legend.fontSize = 8
    legend.strokeColor = None
    legend.colorNamePairs = [(BRAND, "Inquiries"), (ORDERS, "Orders")]
    drawing.add(legend)
    unit = {"day": "per day", "week": "per ISO week", "month": "per month"}[trends.group_by]
    drawing.add(
        String(
            width,
            height - 14,
            unit,
            fontName=styles.regular,
            fontSize=7.5,
            fillColor=MUTED,
            textAnchor="end",
        )
    )
    return drawing


def _share_table(
    styles: _Styles, title: str, items: Sequence[ShareItem], width: float, humanize: bool = True
) -> Table:
    rows = [
        [
            Paragraph(text(_humanize(i.key) if humanize else i.key), styles.cell),
            fmt_count(i.count),
            fmt_pct(i.share),
        ]
        for i in items
    ] or [[Paragraph("None in this period", styles.small), "", ""]]
    return _data_table(styles, [title, "Count", "Share"], rows, [width * 0.5, *[width * 0.25] * 2])


def _side_by_side(tables: Sequence[Flowable], width: float, gap: float = 12) -> Table:
    n = len(tables)
    col = (width - gap * (n - 1)) / n
    cells: list[Any] = []
    widths: list[float] = []
    for i, t in enumerate(tables):
        if i:
            cells.append("")
            widths.append(gap)
        cells.append(t)
        widths.append(col)
    grid = Table([cells], colWidths=widths)
    grid.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return grid


def _section(
    styles: _Styles, title: str, intro: str | None, lead: Flowable | None = None
) -> list[Flowable]:
    """A section heading kept on the page of its first block (`lead`)."""
    head: list[Flowable] = [Paragraph(text(title), styles.h1)]
    if intro:
        head += [Paragraph(intro, styles.small), Spacer(1, 6)]
    if lead is not None:
        head.append(lead)
    return [CondPageBreak(160), Spacer(1, 6), KeepTogether(head)]


def _title_page(styles: _Styles, data: ReportData, width: float) -> list[Flowable]:
    rng, ov = data.range, data.overview
    prev = rng.previous
    chosen = [(k, " or ".join(v)) for k, v in data.filters.items() if v]
    filter_text = (
        ", ".join(f"{text(_humanize(k).lower())} = <b>{text(v)}</b>" for k, v in chosen)
        if chosen
        else "none (all inquiries)"
    )
    days = f"{rng.days} day" + ("s" if rng.days != 1 else "")
    rate = ov.inquiry_rate.value
    inquiries, orders = ov.total_inquiries.value, ov.total_orders.value
    headline = (
        f"<b>{text(fmt_count(inquiries))}</b> inquir{'y' if inquiries == 1 else 'ies'} about "
        f"<b>{text(fmt_count(orders))}</b> order{'' if orders == 1 else 's'}: an inquiry rate of "
        f"<b>{text(fmt_pct(rate))}</b>"
        + (
            f" ({text(fmt_change(ov.inquiry_rate.change_pct))} on the previous period)."
            if ov.inquiry_rate.change_pct is not None
            else "."
        )
    )
    return [
        Paragraph("WISMO ANALYTICS · MERCHANT REPORT", styles.kicker),
        Paragraph(text(data.store_name), styles.title),
        Paragraph(
            f"Where is my order? {text(_day(rng.start))} – {text(_day(rng.end))}",
            styles.subtitle,
        ),
        Spacer(1, 12),
        _kv_table(
            styles,
            [
                ("Period", f"{text(_span(rng.start, rng.end))} ({days}, inclusive)"),
                ("Compared with", text(_span(prev.start, prev.end))),
                ("Time zone", f"{text(data.timezone)} (every day is a local day of the store)"),
                ("Filter", filter_text),
                ("Generated", text(f"{data.generated_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC")),
            ],
            width,
        ),
        Spacer(1, 10),
        Paragraph(headline, styles.body),
        Spacer(1, 14),
        Paragraph("At a glance", styles.h2),
        Paragraph(
            "Each card compares the period with the previous one of the same length. "
            f'<font color="{TONE_HEX["good"]}"><b>Green</b></font> is an improvement for that '
            f'metric, <font color="{TONE_HEX["bad"]}"><b>red</b></font> a deterioration '
            "(fewer inquiries is better, a higher CSAT is better).",
            styles.small,
        ),
        Spacer(1, 8),
        *_cards(styles, ov, width),
    ]


def _trends_section(styles: _Styles, data: ReportData, width: float) -> list[Flowable]:
    t = data.trends
    res, first = t.resolution_time, t.first_response_time
    statuses = [i for i in t.by_order_status if i.count]
    third = (width - 24) / 3
    return [
        *_section(
            styles,
            "Inquiry trends",
            "Inquiries (order-status questions) against orders placed, by local "
            f"{t.group_by} of the store."
            + (
                " The first and last points may cover only part of a "
                f"{'week (weeks start on Monday)' if t.group_by == 'week' else 'month'}."
                if t.group_by != "day"
                else ""
            ),
            _trend_chart(styles, t, width),
        ),
        Spacer(1, 8),
        KeepTogether(
            [
                Paragraph("Inquiry types, channels and order status when asked", styles.h2),
                _side_by_side(
                    [
                        _share_table(styles, "Inquiry type", t.by_type, third),
                        _share_table(styles, "Channel", t.by_channel, third),
                        _share_table(styles, "Order status", statuses, third),
                    ],
                    width,
                ),
            ]
        ),
        KeepTogether(
            [
                Paragraph("Response and resolution times", styles.h2),
                _data_table(
                    styles,
                    ["", "Inquiries", "Mean", "Median", "90th percentile"],
                    [
                        [
                            "First response",
                            fmt_count(first.count),
                            fmt_duration(first.mean),
                            fmt_duration(first.median),
                            fmt_duration(first.p90),
                        ],
                        [
                            "Resolution",
                            fmt_count(res.count),
                            fmt_duration(res.mean),
                            fmt_duration(res.median),
                            fmt_duration(res.p90),
                        ],
                    ],
                    [width * 0.28, *[width * 0.18] * 4],
                ),
                Spacer(1, 3),
                Paragraph(
                    "Medians and percentiles come from log-spaced histograms (within 5%).",
                    styles.small,
                ),
            ]
        ),
    ]


def _fulfillment_section(styles: _Styles, data: ReportData, width: float) -> list[Flowable]:
    f = data.fulfillment
    carriers = [
        [
            Paragraph(text(c.carrier), styles.cell_bold),
            fmt_count(c.shipped),
            fmt_count(c.delivered),
            fmt_pct(c.on_time_rate),
            fmt_duration(c.avg_transit_seconds),
            fmt_pct(c.exception_rate),
            fmt_count(c.inquiries),
            fmt_ratio(c.inquiries_per_shipment),
        ]
        for c in f.carriers
    ]
    header = [
        "Carrier",
        "Shipped",
        "Delivered",
        "On time",
        "Avg transit",
        "Exceptions",
        "Inquiries",
        "Inq./shipment",
    ]
    widths = [width * f for f in (0.19, 0.10, 0.11, 0.10, 0.12, 0.12, 0.10, 0.16)]
    exceptions = [
        [Paragraph(text(_humanize(e.key)), styles.cell), fmt_count(e.count), fmt_pct(e.share)]
        for e in f.exceptions
    ]
    out: list[Flowable] = [
        *_section(
            styles,
            "Fulfillment and carriers",
            "Shipments by the local date they shipped; deliveries by the local date they "
            "arrived. On time = delivered by the original estimate.",
            _kv_table(
                styles,
                [
                    ("Shipped", text(fmt_count(f.shipped))),
                    ("Delivered", text(fmt_count(f.delivered))),
                    ("Avg time to ship", text(fmt_duration(f.avg_time_to_ship_seconds))),
                    ("On-time delivery", text(fmt_pct(f.on_time_delivery_rate))),
                    ("Avg transit time", text(fmt_duration(f.avg_transit_seconds))),
                    ("Exception rate", text(fmt_pct(f.exception_rate))),
                ],
                width,
            ),
        ),
        KeepTogether(
            [
                Paragraph("Carrier performance", styles.h2),
                _data_table(styles, header, carriers, widths)
                if carriers
                else Paragraph("No shipments in this period.", styles.small),
            ]
        ),
        KeepTogether(
            [
                Paragraph("Exception causes", styles.h2),
                _data_table(
                    styles,
                    ["Cause", "Shipments", "Share"],
                    exceptions,
                    [width * 0.5, *[width * 0.25] * 2],
                )
                if exceptions
                else Paragraph("No shipment exceptions in this period.", styles.small),
            ]
        ),
    ]
    return out


def _satisfaction_section(styles: _Styles, data: ReportData, width: float) -> list[Flowable]:
    s = data.satisfaction
    total = sum(r.count for r in s.distribution)
    distribution = [
        [f"{r.rating} / 5", fmt_count(r.count), fmt_pct(share(r.count, total))]
        for r in reversed(s.distribution)
    ]
    drivers: list[list[Any]] = []
    for label, rows, name in (
        ("Inquiry type", s.drivers.inquiry_type, _humanize),
        ("Carrier", s.drivers.carrier, str),  # carrier names as the store spells them
        ("Order status", s.drivers.order_status, _humanize),
    ):
        for d in rows[:3]:  # lowest-rated first
            drivers.append(
                [
                    label,
                    Paragraph(text(name(d.key)), styles.cell),
                    fmt_count(d.rating_count),
                    fmt_score(d.satisfaction_score),
                    fmt_pct(d.csat),
                ]
            )
    half = (width - 12) / 2
    return [
        *_section(
            styles,
            "Customer satisfaction",
            "Ratings (1-5) and effort (1-7, lower is easier) given after an inquiry, by the "
            "inquiry's local date.",
            _kv_table(
                styles,
                [
                    ("Satisfaction score", text(_scored(s.satisfaction_score, "score5"))),
                    ("CSAT (4 or 5)", text(fmt_pct(s.csat))),
                    ("Customer effort", text(_scored(s.customer_effort_score, "score7"))),
                    ("Ratings", text(fmt_count(s.rating_count))),
                ],
                width,
            ),
        ),
        Spacer(1, 6),
        _side_by_side(
            [
                _data_table(
                    styles,
                    ["Rating", "Count", "Share"],
                    distribution,
                    [half * 0.4, *[half * 0.3] * 2],
                ),
                _data_table(
                    styles,
                    ["Resolution time", "Ratings", "Score"],
                    [
                        [b.label, fmt_count(b.count), fmt_score(b.satisfaction_score)]
                        for b in s.resolution_buckets
                    ],
                    [half * 0.4, *[half * 0.3] * 2],
                ),
            ],
            width,
        ),
        KeepTogether(
            [
                Paragraph("Lowest-rated segments", styles.h2),
                _data_table(
                    styles,
                    ["Segment", "Value", "Ratings", "Score", "CSAT"],
                    drivers,
                    [width * 0.2, width * 0.35, *[width * 0.15] * 3],
                    numeric_from=2,
                )
                if drivers
                else Paragraph("No ratings in this period.", styles.small),
            ]
        ),
    ]


def _insight_block(styles: _Styles, insight: ReportInsight, width: float) -> Flowable:
    """One insight as a single table cell, which never splits across pages (a nested
    KeepTogether would force a page break in ReportLab)."""
    colour = INSIGHT_HEX.get(insight.type, "#64748b")
    label = INSIGHT_LABEL.get(insight.type, insight.type)
    badge = (
        f'<font color="{colour}"><b>{text(label.upper())}</b></font>'
        f" · {text(insight.impact)} impact"
    )
    title = ParagraphStyle("insight_title_spaced", parent=styles.insight_title, spaceBefore=2)
    body = ParagraphStyle("insight_body", parent=styles.body, spaceBefore=3)
    content: list[Flowable] = [
        Paragraph(badge, styles.small),
        Paragraph(text(insight.title), title),
        Paragraph(text(insight.description), body),
    ]
    if insight.recommendation:
        advice = f"<b>Recommendation:</b> {text(insight.recommendation)}"
        content.append(Paragraph(advice, body))
    block = Table([[content]], colWidths=[width], spaceAfter=8)
    block.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), CARD),
                ("LINEBEFORE", (0, 0), (0, -1), 3, colors.HexColor(colour)),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 7),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return block


def _insights_section(styles: _Styles, data: ReportData, width: float) -> list[Flowable]:
    chosen = any(v for _, v in data.filters.items())
    intro = "Found automatically in the period's figures, most important first." + (
        " Insights cover the whole store: the report's filter does not apply to them."
        if chosen
        else ""
    )
    if data.insights is None:
        blocks = [Paragraph("Automated insights are not available for this report.", styles.body)]
    elif not data.insights:
        blocks = [Paragraph("No insights for this period.", styles.body)]
    else:
        blocks = [_insight_block(styles, i, width) for i in data.insights]
    return [*_section(styles, "Insights", intro, blocks[0]), *blocks[1:]]


def _canvas_class(footer: str, font: str) -> type[pdfcanvas.Canvas]:
    class NumberedCanvas(pdfcanvas.Canvas):  # type: ignore[misc]
        """Defers each page so the footer can say "Page n of N"."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                width, _ = self._pagesize
                self.saveState()
                self.setStrokeColor(LINE)
                self.setLineWidth(0.5)
                self.line(MARGIN, 30, width - MARGIN, 30)
                self.setFont(font, 7.5)
                self.setFillColor(MUTED)
                self.drawString(MARGIN, 18, footer)
                self.drawRightString(width - MARGIN, 18, f"Page {number} of {total}")
                self.restoreState()
                super().showPage()
            super().save()

    return NumberedCanvas


def page_size(timezone: str) -> tuple[float, float]:
    """US Letter for stores in the Americas' letter-paper countries, A4 elsewhere."""
    letter_zones = ("America/", "US/", "Canada/")
    size: tuple[float, float] = letter if timezone.startswith(letter_zones) else A4
    return size


def render_report(data: ReportData) -> bytes:
    styles = _Styles()
    size = page_size(data.timezone)
    width = size[0] - 2 * MARGIN - 2 * FRAME_PADDING
    buffer = io.BytesIO()
    rng = data.range
    doc = SimpleDocTemplate(
        buffer,
        pagesize=size,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=plain(f"WISMO report: {data.store_name}, {_span(rng.start, rng.end)}", 200),
        author="WISMO Analytics",
        subject="Where is my order? analytics",
        creator="WISMO Analytics",
    )

    def first_page(canvas: Any, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFillColor(BRAND)
        canvas.rect(0, size[1] - 10, size[0], 10, stroke=0, fill=1)
        canvas.restoreState()

    story: list[Flowable] = [
        *_title_page(styles, data, width),
        PageBreak(),
        *_trends_section(styles, data, width),
        PageBreak(),
        *_fulfillment_section(styles, data, width),
        PageBreak(),
        *_satisfaction_section(styles, data, width),
        *_insights_section(styles, data, width),
    ]
    footer = plain(
        f"{data.store_name} · WISMO report · {_span(rng.start, rng.end)} · {data.timezone}", 110
    )
    doc.build(
        story,
        onFirstPage=first_page,
        canvasmaker=_canvas_class(footer, styles.regular),
    )
    return buffer.getvalue()


__all__ = [
    "ReportData",
    "ReportInsight",
    "build_report",
    "gather_report",
    "load_insights",
    "render_report",
    "report_filename",
]
