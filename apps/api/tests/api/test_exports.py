"""CSV exports and the PDF report route, against the hand-built store of test_analytics.

The expected rows are computed by hand from test_analytics' docstring (range P =
2026-03-06..2026-03-10, America/New_York):

  date   orders inquiries  notes
  03-06  1 (O1) 0          -
  03-07  1 (O2) 1 (I1)     S1 shipped (time to ship 10 h); I1 resolved 1800 s, response 300 s,
                           rating 5, effort 2, followed up by I2 -> not first-contact
  03-08  2 (O3, O4) 1 (I2) S2 shipped (32.5 h) and had an exception; S1 delivered on time;
                           I2 repeat, escalated, resolved 21600 s, response 7200 s, rating 2
  03-09  0      1 (I3)     S3 shipped (30.5 h); I3 resolved 7200 s, first contact, rating 4
  03-10  1 (O5) 1 (I4)     I4 unresolved, no order
"""

import csv
import io
import uuid
from datetime import date
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.analytics.service import DateRange, Filters
from app.models import Store
from app.reporting import csv_export as exports
from app.reporting.csv_export import CsvExportService, csv_cell
from tests.api.test_analytics import P, _build

URL = "/api/v1/analytics/wismo/export.csv"
NICE = 'Comma, "Quote" & Ünïcode ✓'  # quoted per RFC 4180, UTF-8, not escaped


def _rows(body: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body, newline="")))


def _num(cell: str) -> float | None:
    return None if cell == "" else float(cell)


async def _get(client: httpx.AsyncClient, store: Any, **params: Any) -> httpx.Response:
    return await client.get(URL, params={**P, **params}, headers=store.headers)


async def test_daily_export_every_column(client: httpx.AsyncClient, store: Any) -> None:
    await _build(client, store)
    r = await _get(client, store, dataset="daily")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["content-disposition"] == (
        'attachment; filename="wismo-daily-2026-03-06-2026-03-10.csv"'
    )
    assert r.headers["cache-control"] == "private, no-store"
    body = r.content.decode("utf-8")
    lines = body.split("\r\n")
    assert lines[-1] == "" and len(lines) == 1 + 5 + 1  # header, 5 days, final CRLF
    assert "\n" not in "".join(lines)  # CRLF only (RFC 4180)
    assert lines[0] == ",".join(exports.DAILY_COLUMNS)
    got = [{k: _num(v) if k != "date" else v for k, v in row.items()} for row in _rows(body)]
    none = None
    columns = exports.DAILY_COLUMNS
    expected = [
        ("2026-03-06", 1, 0, 0.0, 0, 0, none, none, none, none, none, none, 0, none, 0, none, none),
        ("2026-03-07", 1, 1, 1.0, 0, 1, 1800, 0.0, 300, 5, 1.0, 2, 1, 36000, 0, none, 0.0),
        ("2026-03-08", 2, 1, 0.5, 1, 1, 21600, 0.0, 7200, 2, 0.0, none, 1, 117000, 1, 1.0, 1.0),
        ("2026-03-09", 0, 1, none, 0, 1, 7200, 1.0, none, 4, 1.0, none, 1, 109800, 0, none, 0.0),
        ("2026-03-10", 1, 1, 1.0, 0, 0, none, none, none, none, none, none, 0, none, 0, none, none),
    ]
    assert got == [dict(zip(columns, row, strict=True)) for row in expected]
    # Counts are written as integers, not 1.0.
    assert lines[2].startswith("2026-03-07,1,1,1.0,0,1,1800.0,")

    # The single filter of the summaries applies: chat inquiries are I1 (03-07) and I3 (03-09).
    chat = _rows((await _get(client, store, dataset="daily", channel="chat")).text)
    assert [(r["date"], r["orders"], r["inquiries"]) for r in chat] == [
        ("2026-03-06", "1", "0"),
        ("2026-03-07", "1", "1"),
        ("2026-03-08", "2", "0"),
        ("2026-03-09", "0", "1"),
        ("2026-03-10", "1", "0"),
    ]


async def test_inquiries_export_rows_filters_and_no_pii(
    client: httpx.AsyncClient, store: Any
) -> None:
    ids = await _build(client, store)
    r = await _get(client, store, dataset="inquiries")
    assert r.status_code == 200, r.text
    assert r.headers["content-disposition"] == (
        'attachment; filename="wismo-inquiries-2026-03-06-2026-03-10.csv"'
    )
    rows = _rows(r.text)
    assert list(rows[0]) == list(exports.INQUIRY_COLUMNS)
    assert [tuple(row.values()) for row in rows] == [  # oldest first
        (ids["i1"], "2026-03-07T12:00:00Z", "2026-03-07", "O1", "status", "unfulfilled", "chat",
         "", "false", "true", "1800", "300", "false", "5", "2"),
        (ids["i2"], "2026-03-08T07:30:00Z", "2026-03-08", "O1", "tracking", "in_transit", "email",
         "UPS", "true", "true", "21600", "7200", "true", "2", ""),
        (ids["i3"], "2026-03-10T03:59:00Z", "2026-03-09", "O2", "delivery", "exception", "chat",
         "FedEx", "false", "true", "7200", "", "false", "4", ""),
        (ids["i4"], "2026-03-10T14:00:00Z", "2026-03-10", "", "refund", "", "phone",
         "", "false", "false", "", "", "false", "", ""),
    ]  # fmt: skip
    assert "x@example.com" not in r.text  # I4's customer: no PII in exports

    async def ids_for(**params: Any) -> list[str]:
        resp = await _get(client, store, dataset="inquiries", **params)
        assert resp.status_code == 200, resp.text
        return [row["id"] for row in _rows(resp.text)]

    assert await ids_for(channel="chat") == [ids["i1"], ids["i3"]]
    # The drill-down filters combine (unlike the summaries).
    assert await ids_for(channel="chat", carrier="FedEx") == [ids["i3"]]
    assert await ids_for(repeat="true") == [ids["i2"]]
    assert await ids_for(resolved="false") == [ids["i4"]]
    assert await ids_for(order_status="in_transit", rating=2) == [ids["i2"]]
    assert await ids_for(weekday=0, hour=23) == [ids["i3"]]
    assert await ids_for(date="2026-03-08") == [ids["i2"]]  # one day of the range
    assert await ids_for(date="2026-03-09", group_by="week") == [ids["i3"], ids["i4"]]
    previous = await ids_for(start="2026-03-01", end="2026-03-05")  # I5 only (03-04)
    assert len(previous) == 1 and previous[0] not in ids.values()
    assert await ids_for(start="2026-03-01", end="2026-03-10") == [*previous, *ids.values()]


async def test_inquiries_export_streams_keyset_pages_without_gaps(
    client: httpx.AsyncClient, session: AsyncSession, store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seven inquiries, five at the very same instant, read two at a time: every row once,
    in (created_at, id) order, one chunk per page after the header."""
    h = store.headers
    created = []
    for i, at in enumerate(
        ["2026-03-08T12:00:00Z"] * 5 + ["2026-03-07T09:00:00Z", "2026-03-09T09:00:00Z"]
    ):
        payload = {
            "customerEmail": f"c{i}@example.com",
            "inquiryType": "status",
            "channel": "chat",
            "createdAt": at,
            "resolvedAt": at,
            "rating": 3,
            "feedback": f"secret feedback {i}",
        }
        r = await client.post("/api/v1/inquiries", json=payload, headers=h)
        assert r.status_code == 201, r.text
        created.append((at, r.json()["id"]))
    monkeypatch.setattr(exports, "PAGE_SIZE", 2)
    r = await _get(client, store, dataset="inquiries")
    assert r.status_code == 200, r.text
    body = r.text
    # The body is produced page by page (httpx's ASGI transport joins the chunks, so count
    # them at the service).
    db_store = await session.get(Store, store.id)
    assert db_store is not None
    rng = DateRange(date(2026, 3, 6), date(2026, 3, 10), store.timezone)
    export = await CsvExportService(session).export(db_store, rng, "inquiries", Filters())
    chunks = [chunk async for chunk in export.chunks]
    assert len(chunks) == 1 + 4  # header + pages of 2, 2, 2, 1
    assert b"".join(chunks).decode() == body
    ids = [row["id"] for row in _rows(body)]
    expected = sorted(created, key=lambda c: (c[0], uuid.UUID(c[1]).hex))
    assert len(ids) == len(set(ids)) == 7
    assert ids[0] == expected[0][1] and ids[-1] == expected[-1][1]
    assert sorted(ids[1:6]) == sorted(i for _, i in expected[1:6])
    assert "secret feedback" not in body and "@example.com" not in body


async def test_carriers_export(client: httpx.AsyncClient, store: Any) -> None:
    await _build(client, store)
    r = await _get(client, store, dataset="carriers")
    assert r.status_code == 200, r.text
    assert r.headers["content-disposition"] == (
        'attachment; filename="wismo-carriers-2026-03-06-2026-03-10.csv"'
    )
    rows = _rows(r.text)
    assert list(rows[0]) == list(exports.CARRIER_COLUMNS)
    picked = ("carrier", "shipped", "delivered", "on_time_rate", "avg_transit_seconds",
              "exception_rate", "inquiries", "inquiries_per_shipment", "processing_mean_seconds",
              "pickup_mean_seconds", "carrier_transit_mean_seconds")  # fmt: skip
    assert [tuple(row[k] for k in picked) for row in rows] == [
        ("UPS", "2", "1", "1.0", "133200.0", "0.0", "1", "0.5", "72900.0", "21600.0", "111600.0"),
        ("FedEx", "1", "0", "", "", "1.0", "1", "1.0", "117000.0", "14400.0", ""),
    ]
    # Medians are the histogram estimates (within 4.9%), in whole seconds.
    assert int(rows[0]["processing_median_seconds"]) == pytest.approx(36000, rel=0.049)
    ups = _rows((await _get(client, store, dataset="carriers", carrier="UPS")).text)
    assert [row["carrier"] for row in ups] == ["UPS"]


def test_csv_cell_escapes_formulas_in_text_only() -> None:
    for dangerous in ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("u","c")']:
        assert csv_cell(dangerous) == "'" + dangerous
    for safe in ["UPS", "O-1", "1Z-9", " =x", "'quoted", "", "Ünïcödé ✓"]:
        assert csv_cell(safe) == safe
    assert csv_cell(-3) == -3 and csv_cell(-0.5) == -0.5  # numbers stay numbers
    assert csv_cell(1 / 3) == 0.333333
    assert (csv_cell(True), csv_cell(False), csv_cell(None)) == ("true", "false", "")


async def test_formula_injection_is_escaped_in_every_dataset(
    client: httpx.AsyncClient, store: Any
) -> None:
    h = store.headers
    evil_carrier = '=HYPERLINK("http://evil.example/x","click")'
    for number in ("-2+3", "@cmd"):
        r = await client.put(
            f"/api/v1/orders/{quote(number, safe='')}",
            json={"createdAt": "2026-03-09T15:00:00Z"},
            headers=h,
        )
        assert r.status_code in (200, 201), r.text
    for number, carrier, tracking in (("-2+3", evil_carrier, "EVIL1"), ("@cmd", NICE, "OK1")):
        body = {"carrier": carrier, "trackingNumber": tracking, "shippedAt": "2026-03-09T18:00Z"}
        r = await client.post(
            f"/api/v1/orders/{quote(number, safe='')}/shipments", json=body, headers=h
        )
        assert r.status_code == 201, r.text
        body = {
            "orderNumber": number,
            "inquiryType": "tracking",
            "channel": "email",
            "createdAt": "2026-03-10T12:00:00Z",
        }
        r = await client.post("/api/v1/inquiries", json=body, headers=h)
        assert r.status_code == 201, r.text

    inquiries = await _get(client, store, dataset="inquiries")
    rows = _rows(inquiries.content.decode("utf-8"))
    assert sorted((row["order_number"], row["carrier"]) for row in rows) == [
        ("'-2+3", "'" + evil_carrier),
        ("'@cmd", NICE),
    ]
    raw = inquiries.content.decode("utf-8")
    assert '"\'=HYPERLINK(""http://evil.example/x"",""click"")"' in raw  # RFC 4180 quoting
    assert ",-2+3," not in raw and ",=" not in raw and '"=' not in raw

    carriers = _rows((await _get(client, store, dataset="carriers")).text)
    assert sorted(row["carrier"] for row in carriers) == sorted(["'" + evil_carrier, NICE])
    for row in carriers:  # numbers are not prefixed
        assert row["shipped"] == "1" and row["inquiries_per_shipment"] == "1.0"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"dataset": "orders"}, "dataset"),
        ({"dataset": "daily", "order_status": "in_transit"}, "only apply to dataset=inquiries"),
        ({"dataset": "carriers", "repeat": "true"}, "only apply to dataset=inquiries"),
        ({"dataset": "daily", "channel": "chat", "carrier": "UPS"}, "one of channel"),
        ({"dataset": "inquiries", "date": "2026-03-11"}, "bucket"),
        ({"dataset": "inquiries", "start": "2026-03-10", "end": "2026-03-01"}, "before start"),
        ({"dataset": "inquiries", "weekday": 7}, "weekday"),
    ],
)  # fmt: skip
async def test_bad_export_requests_are_422(
    client: httpx.AsyncClient, store: Any, params: dict[str, str], message: str
) -> None:
    r = await _get(client, store, **params)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert message in r.json()["detail"]


async def test_exports_need_credentials_and_stay_in_their_store(
    client: httpx.AsyncClient, store: Any, other_store: Any
) -> None:
    ids = await _build(client, store)
    for path in (URL, "/api/v1/analytics/wismo/report.pdf"):
        assert (await client.get(path, params=P)).status_code == 401
    for dataset in ("daily", "inquiries", "carriers"):
        r = await _get(client, other_store, dataset=dataset)
        assert r.status_code == 200
        for secret in (*ids.values(), "O1", "UPS", "FedEx"):
            assert secret not in r.text
    daily = _rows((await _get(client, other_store, dataset="daily")).text)
    assert {(row["orders"], row["inquiries"]) for row in daily} == {("0", "0")}
    assert _rows((await _get(client, other_store, dataset="inquiries")).text) == []


async def test_report_pdf_route(client: httpx.AsyncClient, store: Any) -> None:
    await _build(client, store)
    r = await client.get("/api/v1/analytics/wismo/report.pdf", params=P, headers=store.headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == (
        'attachment; filename="wismo-report-2026-03-06-2026-03-10.pdf"'
    )
    assert r.content.startswith(b"%PDF-") and r.content.rstrip().endswith(b"%%EOF")
    filtered = await client.get(
        "/api/v1/analytics/wismo/report.pdf",
        params={**P, "carrier": "UPS"},
        headers=store.headers,
    )
    assert filtered.status_code == 200
    both = await client.get(
        "/api/v1/analytics/wismo/report.pdf",
        params={**P, "carrier": "UPS", "channel": "chat"},
        headers=store.headers,
    )
    assert both.status_code == 422


def test_openapi_documents_the_downloads(app: Any) -> None:
    paths = app.openapi()["paths"]
    csv_ok = paths["/api/v1/analytics/wismo/export.csv"]["get"]["responses"]["200"]
    assert list(csv_ok["content"]) == ["text/csv"]
    pdf_ok = paths["/api/v1/analytics/wismo/report.pdf"]["get"]["responses"]["200"]
    assert list(pdf_ok["content"]) == ["application/pdf"]
