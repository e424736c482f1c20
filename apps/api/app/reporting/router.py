"""Exports: the CSV datasets (streamed) and the merchant PDF report."""

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response, StreamingResponse

from app.analytics.router import DrillRangeDep, FiltersDep, RangeDep
from app.api.deps import CurrentStore, SessionDep
from app.api.errors import responses
from app.api.roles import ANALYST
from app.core.vocab import OrderStatus
from app.reporting.csv_export import CsvExportService, Dataset, InquiryFilters
from app.reporting.pdf import build_report, report_filename

router = APIRouter(prefix="/analytics/wismo", tags=["analytics"], dependencies=[ANALYST])


class CSVResponse(StreamingResponse):
    media_type = "text/csv"  # Starlette appends "; charset=utf-8"


class PDFResponse(Response):
    media_type = "application/pdf"


def _ok(media_type: str, description: str, schema: dict[str, Any]) -> dict[int | str, Any]:
    return {200: {"description": description, "content": {media_type: {"schema": schema}}}}


def _download_headers(filename: str) -> dict[str, str]:
    return {
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "private, no-store",
    }


@router.get(
    "/export.csv",
    response_class=CSVResponse,
    responses={
        **_ok(
            "text/csv",
            "UTF-8 CSV with a header row (RFC 4180, CRLF), named wismo-<dataset>-<start>-<end>.csv",
            {"type": "string"},
        ),
        **responses(401, 404, 422),
    },
)
async def export_csv(
    store: CurrentStore,
    rng: DrillRangeDep,
    filters: FiltersDep,
    session: SessionDep,
    dataset: Annotated[
        Dataset,
        Query(
            description="daily: one row per local date; inquiries: every inquiry (drill-down "
            "filters apply); carriers: the per-carrier table"
        ),
    ] = "daily",
    order_status: Annotated[OrderStatus | None, Query(description="inquiries only")] = None,
    weekday: Annotated[
        int | None, Query(ge=0, le=6, description="inquiries only; 0 = Monday")
    ] = None,
    hour: Annotated[int | None, Query(ge=0, le=23, description="inquiries only")] = None,
    repeat: Annotated[bool | None, Query(description="inquiries only")] = None,
    resolved: Annotated[bool | None, Query(description="inquiries only")] = None,
    rating: Annotated[int | None, Query(ge=1, le=5, description="inquiries only")] = None,
) -> StreamingResponse:
    """Download a dataset as CSV, streamed. Rates are fractions, durations seconds, times UTC.

    Text cells that a spreadsheet would evaluate (starting with =, +, -, @, tab or CR) are
    prefixed with a single quote. The inquiries dataset holds no customer PII."""
    export = await CsvExportService(session).export(
        store,
        rng,
        dataset,
        filters,
        InquiryFilters(
            order_status=order_status,
            weekday=weekday,
            hour=hour,
            repeat=repeat,
            resolved=resolved,
            rating=rating,
        ),
    )
    return CSVResponse(export.chunks, headers=_download_headers(export.filename))


@router.get(
    "/report.pdf",
    response_class=PDFResponse,
    responses={
        **_ok(
            "application/pdf",
            "A multi-page merchant report: overview, trends, carriers, satisfaction, insights",
            {"type": "string", "format": "binary"},
        ),
        **responses(401, 404, 422),
    },
)
async def report_pdf(
    store: CurrentStore, rng: RangeDep, filters: FiltersDep, session: SessionDep
) -> Response:
    """The merchant report for the range (and one optional filter) as a PDF."""
    pdf = await build_report(session, store, rng, filters)
    return PDFResponse(pdf, headers=_download_headers(report_filename(rng)))
