"""Reading Shopify's own order export (Admin > Orders > Export) for `wismo import shopify-orders`.

Shopify writes one row per line item; the order's own fields are on its first row and left
empty on the rows after it (Email and Created at are repeated on them), and the rows of one
order are consecutive. The header read here is the one of the real exports of 2025-2026 (79
columns, `Name,Email,Financial Status,Paid at,...,Payment References`); only these columns are
used, every other one is ignored, so columns Shopify adds later do no harm:

- Name* ("#1001": the order number 1001), Id (Shopify's order id: the external id)
- Created at*, Cancelled at (older and newer exports also spell it Canceled at), Fulfilled at:
  times written `2024-03-11 14:05:22 -0400`, read with their offset (ISO 8601 is accepted too)
- Email, Billing Name (else Shipping Name), Shipping Zip, Financial Status, Fulfillment Status,
  Total, Currency
- Tracking Number and Tracking Company, when present. Shopify's export has no tracking
  columns; files from export apps add them (also spelt `Fulfillment: Tracking Number`). A cell
  may hold several numbers separated by commas; a number may be on any row of its order.

The mapping is the Shopify webhook's (`app/integrations/shopify/webhooks.py`): Cancelled at set
-> cancelled, Financial Status refunded -> refunded; an email that is not a usable address is
left out rather than refusing the order. Unlike the webhook, the export has no Closed at, so
the status of an order that is neither cancelled nor refunded is left as it is (a new order is
open): re-importing an export never reopens an order a webhook closed.

Shipments: each tracking number becomes a shipment shipped at Fulfilled at. An order with a
Fulfilled at but no tracking number gets one untracked shipment, `untracked-<order number>`
with the carrier "unknown" (the webhook names it `fulfillment-<fulfillment id>`; the export
has no fulfillment id), and only when the order has no shipment at all: the time to ship is
kept, and an order whose fulfillments a webhook or backfill already stored is not counted
twice. (If the webhook's fulfillment arrives after the export was imported, the order has two
shipments; the export is meant for history the webhooks never sent.)
"""

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from pydantic import EmailStr, TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from app.ingestion.schemas import OrderUpsert, ShipmentCreate

# The header row of Shopify's order export (Admin > Orders > Export), as real exports
# carry it; the importer needs only `Name` and `Created at` of it and ignores columns it
# does not read, so columns Shopify adds later do not break it.
_EXPORT_HEADER_LINE = (
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,"
    "Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,"
    "Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,"
    "Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,"
    "Billing Name,Billing Street,Billing Address1,Billing Address2,Billing Company,"
    "Billing City,Billing Zip,Billing Province,Billing Country,Billing Phone,Shipping Name,"
    "Shipping Street,Shipping Address1,Shipping Address2,Shipping Company,Shipping City,"
    "Shipping Zip,Shipping Province,Shipping Country,Shipping Phone,Notes,Note Attributes,"
    "Cancelled at,Payment Method,Payment Reference,Refunded Amount,Vendor,Outstanding Balance,"
    "Employee,Location,Device ID,Id,Tags,Risk Level,Source,Lineitem discount,Tax 1 Name,"
    "Tax 1 Value,Tax 2 Name,Tax 2 Value,Tax 3 Name,Tax 3 Value,Tax 4 Name,Tax 4 Value,"
    "Tax 5 Name,Tax 5 Value,Phone,Receipt Number,Duties,Billing Province Name,"
    "Shipping Province Name,Payment ID,Payment Terms Name,Next Payment Due At,Payment References"
)
EXPORT_HEADER: Final = next(csv.reader([_EXPORT_HEADER_LINE]))


NAME: Final = "name"
CREATED_AT: Final = "created_at"
FULFILLED_AT: Final = "fulfilled_at"
CANCELLED_AT: Final = "cancelled_at"
TRACKING_NUMBER: Final = "tracking_number"
TRACKING_COMPANY: Final = "tracking_company"
REQUIRED: Final = (NAME, CREATED_AT)
USED: Final = frozenset(
    {
        NAME,
        CREATED_AT,
        "id",
        "email",
        "billing_name",
        "shipping_name",
        "shipping_zip",
        "financial_status",
        "fulfillment_status",
        FULFILLED_AT,
        "total",
        "currency",
        CANCELLED_AT,
        TRACKING_NUMBER,
        TRACKING_COMPANY,
    }
)
# Other spellings of a used column (keys as `csv_import.column_key` makes them).
ALIASES: Final = {
    "canceled_at": CANCELLED_AT,
    "tracking_numbers": TRACKING_NUMBER,
    "fulfillment:_tracking_number": TRACKING_NUMBER,
    "fulfillment:_tracking_company": TRACKING_COMPANY,
}
# The order field -> the export column it comes from (to blame the right column).
FIELD_COLUMNS: Final = {
    "created_at": CREATED_AT,
    "customer_email": "email",
    "customer_name": "billing_name",
    "financial_status": "financial_status",
    "fulfillment_status": "fulfillment_status",
    "total": "total",
    "currency": "currency",
    "shipping_postcode": "shipping_zip",
    "cancelled_at": CANCELLED_AT,
    "external_id": "id",
    "shipped_at": FULFILLED_AT,
    "carrier": TRACKING_COMPANY,
    "tracking_number": TRACKING_NUMBER,
}
# Shopify's order fulfillment statuses; restocked (items returned to stock) sets nothing.
FULFILLMENT_STATUS: Final[dict[str, str | None]] = {
    "fulfilled": "fulfilled",
    "partial": "partial",
    "unfulfilled": "unfulfilled",
    "restocked": None,
}
UNTRACKED_CARRIER: Final = "unknown"
TIME_FORMAT: Final = "%Y-%m-%d %H:%M:%S %z"  # 2024-03-11 14:05:22 -0400

_email = TypeAdapter(EmailStr)

Problem = tuple[int, str | None, str]  # (file line, column key or None, reason)
Row = tuple[int, list[str]]  # (file line the row starts on, cells)


class ExportProblem(Exception):
    def __init__(self, errors: list[Problem]) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclass
class OrderRows:
    """The consecutive rows of one order, as the file has them."""

    name: str
    rows: list[Row]
    seen_at: int | None = None  # the line where this Name's rows appeared before, if they did

    @property
    def line(self) -> int:
        return self.rows[0][0]


@dataclass
class ExportShipment:
    line: int  # the line carrying its tracking number (or Fulfilled at)
    data: ShipmentCreate


@dataclass
class ExportOrder:
    order_number: str
    data: OrderUpsert
    shipments: list[ExportShipment] = field(default_factory=list)
    untracked: ExportShipment | None = None  # stored only when the order has no shipment


def check_header(
    header: list[str], keys: list[str], fail: Callable[[int, str | None, str], None]
) -> list[str] | None:
    """The column keys of an export's header (`keys`: its names as `csv_import.column_key`
    makes them; aliases resolved, unused columns kept as they are), or None."""
    columns = [ALIASES.get(key, key) for key in keys]
    good = True
    seen: set[str] = set()
    for written, key in zip(header, columns, strict=True):
        if key in USED and key in seen:
            fail(1, written, "this column appears twice")
            good = False
        seen.add(key)
    for key, written in ((NAME, "Name"), (CREATED_AT, "Created at")):
        if key not in seen:
            fail(
                1,
                written,
                f"the required column {written} is missing: is this Shopify's order export?",
            )
            good = False
    return columns if good else None


def group_rows(rows: Iterator[Row], name_at: int) -> Iterator[OrderRows]:
    """Runs of consecutive rows with the same Name (a row without a Name stands alone).

    Only the Names are remembered (to report one that comes back after other orders), never
    the rows.
    """
    first_line: dict[str, int] = {}
    group: OrderRows | None = None
    for line, cells in rows:
        name = cells[name_at].strip() if name_at < len(cells) else ""
        if group is not None and name == group.name and name:
            group.rows.append((line, cells))
            continue
        if group is not None:
            yield group
        group = OrderRows(name, [(line, cells)], first_line.get(name))
        if name and group.seen_at is None:
            first_line[name] = line
    if group is not None:
        yield group


def parse_order(columns: list[str], order: OrderRows) -> ExportOrder:
    """The order and shipments of one order's rows; raises ExportProblem with every problem."""
    if order.seen_at is not None:
        raise ExportProblem(
            [
                (
                    order.line,
                    NAME,
                    f"order {order.name} already appeared at line {order.seen_at}, with other "
                    "orders in between: Shopify writes an order's rows together, so the file "
                    "was edited or joined; put this order's rows together and import it again",
                )
            ]
        )
    errors: list[Problem] = [
        (line, None, f"expected {len(columns)} fields, found {len(cells)}")
        for line, cells in order.rows
        if len(cells) != len(columns)
    ]
    if errors:
        raise ExportProblem(errors)
    line = order.line
    first = _values(columns, order.rows[0][1])

    number = order.name.lstrip("#").strip()
    if not number:
        errors.append((line, NAME, "an order name is required"))
    elif len(number) > 100:
        errors.append((line, NAME, "at most 100 characters"))

    def time(key: str) -> datetime | None:
        value = first.get(key)
        if value is None:
            return None
        try:
            return parse_time(value)
        except ValueError as exc:
            errors.append((line, key, str(exc)))
            return None

    created_at, cancelled_at, fulfilled_at = (
        time(CREATED_AT),
        time(CANCELLED_AT),
        time(FULFILLED_AT),
    )
    if CREATED_AT not in first:
        errors.append((line, CREATED_AT, "the order's creation time is required"))

    fulfillment = first.get("fulfillment_status")
    if fulfillment is not None and fulfillment.lower() not in FULFILLMENT_STATUS:
        known = ", ".join(FULFILLMENT_STATUS)
        errors.append(
            (line, "fulfillment_status", f"expected one of {known} (got {fulfillment!r})")
        )
        fulfillment = None
    financial = first.get("financial_status")
    status = None
    if cancelled_at is not None:
        status = "cancelled"
    elif financial is not None and financial.lower() == "refunded":
        status = "refunded"
    currency = first.get("currency")
    fields: dict[str, Any] = {
        "created_at": created_at,
        "customer_email": _valid_email(first.get("email")),
        "customer_name": first.get("billing_name") or first.get("shipping_name"),
        "status": status,
        "financial_status": financial,
        "fulfillment_status": FULFILLMENT_STATUS.get(fulfillment.lower()) if fulfillment else None,
        "total": first.get("total"),
        "currency": currency.upper() if currency else None,
        # Shopify writes the postcode as '01234 so spreadsheets keep its leading zeros.
        "shipping_postcode": (first.get("shipping_zip") or "").lstrip("'") or None,
        "cancelled_at": cancelled_at,
        "external_id": first.get("id"),
    }
    data: OrderUpsert | None = None
    if created_at is not None:
        try:
            data = OrderUpsert.model_validate({k: v for k, v in fields.items() if v is not None})
        except PydanticValidationError as exc:
            errors.extend(_pydantic_errors(exc, line))

    shipments = _shipments(columns, order, fulfilled_at, errors)
    if errors or data is None:
        raise ExportProblem(errors)
    result = ExportOrder(number, data, shipments)
    if not shipments and fulfilled_at is not None:
        untracked = ShipmentCreate(
            carrier=UNTRACKED_CARRIER,
            tracking_number=f"untracked-{number}"[:100],
            shipped_at=fulfilled_at,
        )
        result.untracked = ExportShipment(line, untracked)
    return result


def _shipments(
    columns: list[str], order: OrderRows, shipped_at: datetime | None, errors: list[Problem]
) -> list[ExportShipment]:
    if TRACKING_NUMBER not in columns:
        return []
    found: list[tuple[int, str, str | None]] = []  # (line, tracking number, its row's company)
    numbers: set[str] = set()
    company = None  # the order's first Tracking Company, for rows that leave it empty
    for line, cells in order.rows:
        values = _values(columns, cells)
        company = company or values.get(TRACKING_COMPANY)
        for number in (values.get(TRACKING_NUMBER) or "").split(","):
            number = number.strip()
            if number and number not in numbers:
                numbers.add(number)
                found.append((line, number, values.get(TRACKING_COMPANY)))
    if not found:
        return []
    if shipped_at is None:
        if FULFILLED_AT not in _values(columns, order.rows[0][1]):  # else: reported unreadable
            errors.append(
                (
                    found[0][0],
                    FULFILLED_AT,
                    "a tracking number needs Fulfilled at (when it shipped)",
                )
            )
        return []
    shipments: list[ExportShipment] = []
    for line, number, row_company in found:
        carrier = row_company or company or UNTRACKED_CARRIER
        try:
            data = ShipmentCreate(carrier=carrier, tracking_number=number, shipped_at=shipped_at)
        except PydanticValidationError as exc:
            errors.extend(_pydantic_errors(exc, line))
            continue
        shipments.append(ExportShipment(line, data))
    return shipments


def parse_time(value: str) -> datetime:
    """`2024-03-11 14:05:22 -0400` (Shopify's export) or ISO 8601, with its offset kept."""
    try:
        return datetime.strptime(value, TIME_FORMAT)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ValueError(f"expected a time like 2024-03-11 14:05:22 -0400 (got {value[:60]!r})")
    return moment


def _values(columns: list[str], cells: list[str]) -> dict[str, str]:
    """The used, non-empty cells of a row by column key."""
    return {
        key: cell.strip()
        for key, cell in zip(columns, cells, strict=False)
        if key in USED and cell.strip()
    }


def _valid_email(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return str(_email.validate_python(value))
    except PydanticValidationError:
        return None


def _pydantic_errors(exc: PydanticValidationError, line: int) -> list[Problem]:
    problems: list[Problem] = []
    for error in exc.errors():
        loc = [str(p) for p in error.get("loc", ())]
        column = FIELD_COLUMNS.get(loc[0]) if loc else None
        message = str(error.get("msg", "invalid value"))
        value = error.get("input")
        if isinstance(value, str):
            message = f"{message} (got {value[:60]!r})"
        problems.append((line, column, message))
    return problems


__all__ = [
    "ExportOrder",
    "ExportProblem",
    "ExportShipment",
    "OrderRows",
    "check_header",
    "group_rows",
    "parse_order",
    "parse_time",
]
