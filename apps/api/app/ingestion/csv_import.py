"""CSV import of orders, shipments and inquiries (`wismo import KIND FILE.csv --store ID`),
and of Shopify's own order export (`wismo import shopify-orders`, see `shopify_export`).

The file is streamed row by row (never loaded whole). Each row is validated with the
ingestion schemas, then written through `app.ingestion.service` (which keeps the rollups
exact) inside its own SAVEPOINT: a row that fails -- on validation, on a business rule or
on a database constraint -- leaves nothing behind and never stops the rows after it.
Rows are committed in batches (2000 rows per transaction by default); the rollup changes of
a batch's rows are added up and written once, just before its commit.

Columns (header names are the field names in snake_case or camelCase, e.g. `created_at`
or `createdAt`; case and surrounding spaces are ignored; an empty cell means "not given"):

- orders:    order_number*, created_at*, customer_email, customer_name, status
             (open|closed|cancelled|refunded), financial_status, fulfillment_status
             (unfulfilled|partial|fulfilled), total, currency, shipping_postcode,
             promised_delivery_date, cancelled_at, external_id
- shipments: order_number*, carrier*, tracking_number*, shipped_at*, estimated_delivery
- inquiries: inquiry_type*, created_at*, order_number, customer_email, channel,
             first_response_at, resolved_at, escalated, rating, effort_score, feedback,
             external_id

(* required.) Timestamps are ISO 8601 with an offset (`2026-03-01T14:00:00Z`), dates
`YYYY-MM-DD`, booleans true/false/1/0/yes/no. A header with an unknown, duplicate or
missing required column stops the import before any row is written.

shopify-orders: Shopify's export as it is (`app/integrations/shopify/order_export.py` names
the columns read). The consecutive rows of one order (same Name) are imported together, in one
SAVEPOINT:
the order, then its shipments; a problem on any of its rows leaves the whole order out, and
each problem is reported on the line that carries it.
"""

import csv
import functools
import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Annotated, Any, Literal, cast, get_args

from pydantic import AfterValidator, BaseModel
from pydantic import ValidationError as PydanticValidationError
from pydantic.networks import validate_email
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import AppError, NotFoundError
from app.core.events import publish_touched
from app.db.scoping import for_store
from app.ingestion import batch as bulk
from app.ingestion import rollups
from app.ingestion import service as ingestion
from app.ingestion.schemas import InquiryCreate, OrderUpsert, ShipmentCreate
from app.integrations.shopify import order_export as shopify_export
from app.models import Shipment, Store

ImportKind = Literal["orders", "shipments", "inquiries", "shopify-orders"]
SHOPIFY_ORDERS = "shopify-orders"
IMPORT_KINDS: tuple[str, ...] = get_args(ImportKind)

ORDER_NUMBER = "order_number"
BATCHED_KINDS = ("orders", "inquiries")  # new rows of these are written a batch at a time
# kind -> (required columns, optional columns)
COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "orders": (
        (ORDER_NUMBER, "created_at"),
        (
            "customer_email",
            "customer_name",
            "status",
            "financial_status",
            "fulfillment_status",
            "total",
            "currency",
            "shipping_postcode",
            "promised_delivery_date",
            "cancelled_at",
            "external_id",
        ),
    ),
    "shipments": (
        (ORDER_NUMBER, "carrier", "tracking_number", "shipped_at"),
        ("estimated_delivery",),
    ),
    "inquiries": (
        ("inquiry_type", "created_at"),
        (
            ORDER_NUMBER,
            "customer_email",
            "channel",
            "first_response_at",
            "resolved_at",
            "escalated",
            "rating",
            "effort_score",
            "feedback",
            "external_id",
        ),
    ),
}


@functools.lru_cache(maxsize=100_000)
def _valid_email(address: str) -> str:
    """`EmailStr`'s check, the same result and error, made once per distinct address (a
    customer's address repeats on each of their rows; the check is most of a row's validation).
    Only valid addresses are kept: an invalid one raises every time."""
    return validate_email(address)[1]


CachedEmail = Annotated[str, AfterValidator(_valid_email)]


class _OrderRow(OrderUpsert):
    customer_email: CachedEmail | None = None


class _InquiryRow(InquiryCreate):
    customer_email: CachedEmail | None = None


SCHEMAS: dict[str, type[BaseModel]] = {
    "orders": _OrderRow,
    "shipments": ShipmentCreate,
    "inquiries": _InquiryRow,
}
DEFAULT_BATCH_SIZE = 2000
DEFAULT_MAX_ERRORS = 1000
PROGRESS_EVERY = 100  # rows between progress callbacks


@dataclass(frozen=True)
class RowError:
    line: int  # the file line the row starts on (the header is line 1)
    column: str | None  # the column as written in the header, when one is to blame
    reason: str


@dataclass
class ImportReport:
    kind: str
    path: str
    rows: int = 0  # data rows read (blank lines are not rows)
    rows_ok: int = 0
    rows_failed: int = 0
    created: int = 0  # new orders / shipments / inquiries
    existing: int = 0  # orders updated; shipments and inquiries already present (left as is)
    # shopify-orders: the orders read (one per run of rows with the same Name), those refused,
    # and the shipments created from their tracking numbers or Fulfilled at
    orders: int = 0
    orders_failed: int = 0
    shipments_created: int = 0
    batches: int = 0  # transactions committed
    aborted: bool = False  # the header was unusable: nothing was written
    errors: list[RowError] = field(default_factory=list)  # at most max_errors of them
    errors_omitted: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.aborted and self.rows_failed == 0


@dataclass(frozen=True)
class ImportProgress:
    bytes_read: int
    bytes_total: int
    rows: int
    rows_ok: int
    rows_failed: int


ProgressCallback = Callable[[ImportProgress], None]


@dataclass
class _Unit:
    """What is written in one SAVEPOINT: one row, or the rows of one order of a Shopify export."""

    rows: list[shopify_export.Row]
    order: shopify_export.OrderRows | None = None


class _RowProblem(Exception):
    def __init__(self, errors: list[tuple[str | None, str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def column_key(header: str) -> str:
    """`createdAt`, `Created_At ` and `created_at` all name the column `created_at`."""
    name = header.strip().lstrip("\ufeff")
    name = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name)
    return re.sub(r"[\s\-]+", "_", name).lower()


class _CountingLines:
    """Iterates the lines of a text file, counting the bytes read (for the progress bar)."""

    def __init__(self, handle: IO[str]) -> None:
        self._handle = handle
        self.bytes_read = 0

    def __iter__(self) -> Iterator[str]:
        for line in self._handle:
            self.bytes_read += len(line.encode("utf-8"))
            yield line


async def import_csv(
    session_factory: Callable[[], AsyncSession],
    store_id: uuid.UUID,
    kind: str,
    path: Path | str,
    progress: ProgressCallback | None = None,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_errors: int = DEFAULT_MAX_ERRORS,
) -> ImportReport:
    """Import one CSV file of `kind` into a store; returns the row-level report.

    Raises NotFoundError for an unknown store and ValueError for an unknown kind; every
    problem with the file's content is reported, not raised.
    """
    if kind not in IMPORT_KINDS:
        raise ValueError(f"kind must be one of {', '.join(IMPORT_KINDS)}, not {kind!r}")
    path = Path(path)
    started = time.perf_counter()
    report = ImportReport(kind=kind, path=str(path))
    total_bytes = path.stat().st_size

    def fail(line: int, column: str | None, reason: str) -> None:
        if len(report.errors) < max_errors:
            report.errors.append(RowError(line, column, reason))
        else:
            report.errors_omitted += 1

    def tick(lines: _CountingLines) -> None:
        if progress is not None:
            progress(
                ImportProgress(
                    lines.bytes_read, total_bytes, report.rows, report.rows_ok, report.rows_failed
                )
            )

    # Buffered reads of a local file between database round trips: blocking is negligible.
    with path.open("r", encoding="utf-8-sig", newline="") as handle:  # noqa: ASYNC230
        lines = _CountingLines(handle)
        reader = csv.reader(iter(lines))
        header = next(reader, None)
        columns = _check_header(kind, header, fail)
        if columns is None:
            report.aborted = True
            report.seconds = time.perf_counter() - started
            tick(lines)
            return report
        names = dict(zip(columns, header or [], strict=False))  # key -> header as written

        problems: list[tuple[int, str | None, str]] = []  # of the batch, reported in line order
        async with session_factory() as session:
            store = await session.get(Store, store_id)
            if store is None:
                raise NotFoundError(f"store {store_id} not found")
            pending = ticked = 0
            batch = rollups.Contribution()  # the rollups of the rows stored since the commit
            waiting: list[_Unit] = []  # rows of a batched kind, written together
            for unit in _units(kind, _rows(reader), columns):
                report.rows += len(unit.rows)
                if kind in BATCHED_KINDS:
                    waiting.append(unit)
                else:
                    await _import_one(session, store, kind, columns, unit, report, batch, problems)
                pending += len(unit.rows)
                if pending >= batch_size:
                    await _import_batch(
                        session, store, kind, columns, waiting, report, batch, problems
                    )
                    _report(problems, fail, names)
                    store = await _commit(session, store_id, report, batch)
                    pending, batch, waiting = 0, rollups.Contribution(), []
                if report.rows - ticked >= PROGRESS_EVERY:
                    tick(lines)
                    ticked = report.rows
            if pending:
                await _import_batch(session, store, kind, columns, waiting, report, batch, problems)
                _report(problems, fail, names)
                await _commit(session, store_id, report, batch)
        tick(lines)
    report.seconds = time.perf_counter() - started
    return report


async def _import_one(
    session: AsyncSession,
    store: Store,
    kind: str,
    columns: list[str],
    unit: _Unit,
    report: ImportReport,
    batch: rollups.Contribution,
    problems: list[tuple[int, str | None, str]],
) -> None:
    """Write one unit in its SAVEPOINT; its rollups are added to the batch's (written once
    per batch, the biggest cost of a write otherwise); a unit that failed adds nothing."""
    with rollups.deferred(session, store.id) as delta:
        found = await _import_unit(session, store, kind, columns, unit, report)
    if found:
        report.rows_failed += len(unit.rows)
        report.orders_failed += int(unit.order is not None)
        problems.extend(found)
    else:
        report.rows_ok += len(unit.rows)
        batch.merge(delta)


async def _import_batch(
    session: AsyncSession,
    store: Store,
    kind: str,
    columns: list[str],
    units: list[_Unit],
    report: ImportReport,
    batch: rollups.Contribution,
    problems: list[tuple[int, str | None, str]],
) -> None:
    """Validate a batch's rows, write the new orders or inquiries together (`app.ingestion.
    batch`), and the rows it hands back one by one. When the batch write fails, its SAVEPOINT
    leaves nothing behind and every row goes one by one, so the failure is blamed on its row."""
    valid: list[tuple[_Unit, str | None, BaseModel]] = []
    for unit in units:
        line, cells = unit.rows[0]
        if len(cells) != len(columns):
            problems.append((line, None, f"expected {len(columns)} fields, found {len(cells)}"))
            report.rows_failed += 1
            continue
        values = {k: cell.strip() for k, cell in zip(columns, cells, strict=True) if cell.strip()}
        try:
            order_number, data = _validate(kind, values)
        except _RowProblem as problem:
            problems.extend((line, column, reason) for column, reason in problem.errors)
            report.rows_failed += 1
            continue
        valid.append((unit, order_number, data))
    if not valid:
        return
    one_by_one = range(len(valid))
    try:
        with rollups.deferred(session, store.id) as delta:
            async with session.begin_nested():
                if kind == "orders":
                    orders = [(n or "", cast(OrderUpsert, d)) for _, n, d in valid]
                    result = await bulk.add_new_orders(session, store, orders)
                else:
                    inquiries = [cast(InquiryCreate, d) for _, _, d in valid]
                    result = await bulk.add_new_inquiries(session, store, inquiries)
    except (AppError, SQLAlchemyError):
        pass
    else:
        batch.merge(delta)
        report.created += len(result.created)
        report.rows_ok += len(result.created)
        one_by_one = result.one_by_one  # type: ignore[assignment]
    for index in one_by_one:
        await _import_one(session, store, kind, columns, valid[index][0], report, batch, problems)


def _report(
    problems: list[tuple[int, str | None, str]],
    fail: Callable[[int, str | None, str], None],
    names: dict[str, str],
) -> None:
    for line, column, reason in sorted(problems, key=lambda p: p[0]):
        fail(line, names.get(column, column) if column else None, reason)
    problems.clear()


async def _commit(
    session: AsyncSession, store_id: uuid.UUID, report: ImportReport, batch: rollups.Contribution
) -> Store:
    """Write a batch's rollups and commit it, tell live dashboards, and start the next batch
    with an empty session."""
    await rollups.apply(session, store_id, batch)
    await session.commit()
    report.batches += 1
    await publish_touched(session)
    session.expunge_all()  # the identity map stays bounded however long the file is
    store = await session.get(Store, store_id)
    if store is None:
        raise NotFoundError(f"store {store_id} was deleted during the import")
    return store


def _rows(reader: Any) -> Iterator[shopify_export.Row]:
    """(line, cells) of each non-blank row; the line a row starts on (a quoted cell may span
    several lines)."""
    next_line = reader.line_num + 1
    for cells in reader:
        line, next_line = next_line, reader.line_num + 1
        if any(cell.strip() for cell in cells):
            yield line, cells


def _units(kind: str, rows: Iterator[shopify_export.Row], columns: list[str]) -> Iterator[_Unit]:
    if kind != SHOPIFY_ORDERS:
        for row in rows:
            yield _Unit([row])
        return
    for order in shopify_export.group_rows(rows, columns.index(shopify_export.NAME)):
        yield _Unit(order.rows, order)


def _check_header(
    kind: str, header: list[str] | None, fail: Callable[[int, str | None, str], None]
) -> list[str] | None:
    if header is None or not any(h.strip() for h in header):
        fail(1, None, "the file is empty: the first line must name the columns")
        return None
    if kind == SHOPIFY_ORDERS:
        return shopify_export.check_header(header, [column_key(h) for h in header], fail)
    required, optional = COLUMNS[kind]
    known = set(required) | set(optional)
    columns = [column_key(h) for h in header]
    good = True
    seen: set[str] = set()
    for written, key in zip(header, columns, strict=True):
        if key not in known:
            fail(1, written, f"unknown column for {kind}; expected: {', '.join(sorted(known))}")
            good = False
        elif key in seen:
            fail(1, written, "this column appears twice")
            good = False
        seen.add(key)
    for key in required:
        if key not in seen:
            fail(1, key, f"the required column {key} is missing")
            good = False
    return columns if good else None


async def _import_unit(
    session: AsyncSession,
    store: Store,
    kind: str,
    columns: list[str],
    unit: _Unit,
    report: ImportReport,
) -> list[tuple[int, str | None, str]]:
    """Validate and write one row (or one exported order's rows); the (line, column, reason)
    problems, empty when it was stored."""
    if unit.order is not None:
        return await _import_export_order(session, store, columns, unit.order, report)
    line, cells = unit.rows[0]
    if len(cells) != len(columns):
        return [(line, None, f"expected {len(columns)} fields, found {len(cells)}")]
    values = {key: cell.strip() for key, cell in zip(columns, cells, strict=True) if cell.strip()}
    try:
        order_number, data = _validate(kind, values)
    except _RowProblem as problem:
        return [(line, column, reason) for column, reason in problem.errors]
    try:
        async with session.begin_nested():  # SAVEPOINT: a failing row leaves nothing behind
            created = await _write(session, store, kind, order_number, data)
    except AppError as exc:
        return [(line, _blame(exc.detail, columns), exc.detail)]
    except SQLAlchemyError as exc:  # a database constraint refused the row
        return [(line, None, _database_error(exc))]
    if created:
        report.created += 1
    else:
        report.existing += 1
    return []


async def _import_export_order(
    session: AsyncSession,
    store: Store,
    columns: list[str],
    rows: shopify_export.OrderRows,
    report: ImportReport,
) -> list[tuple[int, str | None, str]]:
    """One order of a Shopify export: the order, then its shipments, in one SAVEPOINT."""
    report.orders += 1
    try:
        parsed = shopify_export.parse_order(columns, rows)
    except shopify_export.ExportProblem as problem:
        return problem.errors
    line = rows.line  # the line whose data is being written, to report a refusal on
    shipments = 0
    try:
        async with session.begin_nested():
            order, created = await ingestion.upsert_order(
                session, store, parsed.order_number, parsed.data
            )
            for shipment in parsed.shipments:
                line = shipment.line
                _, made = await ingestion.add_shipment(session, store, order, shipment.data)
                shipments += int(made)
            if parsed.untracked is not None:
                line = parsed.untracked.line
                if created or not await _has_shipment(session, store, order.id):
                    await ingestion.add_shipment(session, store, order, parsed.untracked.data)
                    shipments += 1
    except AppError as exc:
        return [(line, _blame_export(exc.detail), exc.detail)]
    except SQLAlchemyError as exc:
        return [(line, None, _database_error(exc))]
    report.created += int(created)
    report.existing += int(not created)
    report.shipments_created += shipments
    return []


async def _has_shipment(session: AsyncSession, store: Store, order_id: uuid.UUID) -> bool:
    stmt = for_store(Shipment, store.id).where(Shipment.order_id == order_id).limit(1)
    return (await session.scalars(stmt)).first() is not None


def _database_error(exc: SQLAlchemyError) -> str:
    origin = getattr(exc, "orig", None) or exc
    return f"database error ({type(exc).__name__}): {_first_line(origin)}"


def _validate(kind: str, values: dict[str, str]) -> tuple[str | None, BaseModel]:
    errors: list[tuple[str | None, str]] = []
    order_number: str | None = None
    if kind in ("orders", "shipments"):
        order_number = values.pop(ORDER_NUMBER, "").lstrip("#").strip()
        if not order_number:
            errors.append((ORDER_NUMBER, "an order number is required"))
        elif len(order_number) > 100:
            errors.append((ORDER_NUMBER, "at most 100 characters"))
    try:
        data = SCHEMAS[kind].model_validate(values)
    except PydanticValidationError as exc:
        for error in exc.errors():
            loc = [str(p) for p in error.get("loc", ())]
            column = column_key(loc[0]) if loc else None
            errors.append((column, _reason(error)))
        raise _RowProblem(errors) from None
    if errors:
        raise _RowProblem(errors)
    return order_number, data


def _reason(error: Any) -> str:
    message = str(error.get("msg", "invalid value"))
    value = error.get("input")
    if isinstance(value, str) and error.get("type") != "missing":
        return f"{message} (got {value[:60]!r})"
    return message


async def _write(
    session: AsyncSession, store: Store, kind: str, order_number: str | None, data: BaseModel
) -> bool:
    if isinstance(data, OrderUpsert):
        assert order_number is not None
        _, created = await ingestion.upsert_order(session, store, order_number, data)
        return created
    if isinstance(data, ShipmentCreate):
        assert order_number is not None
        order = await ingestion.get_order(session, store.id, order_number)
        _, created = await ingestion.add_shipment(session, store, order, data)
        return created
    assert isinstance(data, InquiryCreate), kind
    _, created = await ingestion.record_inquiry(session, store, data)
    return created


_BLAME_PHRASES = (
    ("order not found", ORDER_NUMBER),
    ("order number", ORDER_NUMBER),
    ("tracking number", "tracking_number"),
    ("a rating needs", "rating"),
)


def _blame(detail: str, columns: list[str]) -> str | None:
    """The column a service error names (its messages start with the camelCase field)."""
    first = column_key(detail.split(" ", 1)[0])
    if first in columns:
        return first
    lowered = detail.lower()
    for phrase, column in _BLAME_PHRASES:
        if phrase in lowered and column in columns:
            return column
    return None


def _blame_export(detail: str) -> str | None:
    """The export column a service error names (createdAt -> Created at, and so on)."""
    first = column_key(detail.split(" ", 1)[0])
    if first in shopify_export.FIELD_COLUMNS:
        return shopify_export.FIELD_COLUMNS[first]
    lowered = detail.lower()
    if "tracking number" in lowered:
        return shopify_export.TRACKING_NUMBER
    if "order number" in lowered or "order not found" in lowered:
        return shopify_export.NAME
    return None


def _first_line(error: BaseException) -> str:
    line = (str(error).strip().splitlines() or [""])[0]
    return re.sub(r"^<class '[\w.]+'>: ", "", line)[:200]  # asyncpg names its class first


__all__ = [
    "COLUMNS",
    "IMPORT_KINDS",
    "SHOPIFY_ORDERS",
    "ImportKind",
    "ImportProgress",
    "ImportReport",
    "ProgressCallback",
    "RowError",
    "column_key",
    "import_csv",
]
