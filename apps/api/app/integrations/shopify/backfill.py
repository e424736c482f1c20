"""History backfill: one GraphQL bulk operation over the orders of the last N days, its JSONL
result streamed into the one ingestion path (the same functions the webhooks use).

Shapes (https://shopify.dev/docs/api/usage/bulk-operations/queries):
`bulkOperationRunQuery(query:)` answers `{bulkOperation {id status}, userErrors}`; the
operation is polled with `node(id:) { ... on BulkOperation }` until `status` is COMPLETED
(FAILED, CANCELED, EXPIRED end it too), then `url` holds the JSONL: one object per line, the
order with its list fields inline (`fulfillments`, `trackingInfo`, `refunds`); nested
connections would come as separate lines with `__parentId` (none in this query).

Resumable: a `shopify_backfills` row keeps the bulk operation's id and `lines_done`, the
number of result lines whose writes are committed, in the same transaction as those writes.
A run that dies (worker killed, network gone) runs again from the first line not applied;
the ingestion path is idempotent besides, so a line applied twice changes nothing.

Each GraphQL order is rewritten into the REST shape the webhooks carry (numeric ids from
`legacyResourceId`, so a webhook and the backfill name the same order and fulfillment).
"""

import asyncio
import uuid
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import Settings
from app.core.errors import AppError, ConflictError, NotFoundError
from app.core.logging import get_logger
from app.core.timeutils import utcnow
from app.ingestion import batch as bulk
from app.ingestion import rollups
from app.ingestion import service as ingestion
from app.ingestion.schemas import OrderUpsert
from app.integrations.common import WebhookOutcome
from app.integrations.shopify import webhooks as shopify_webhooks
from app.integrations.shopify.client import AdminClient, Sleeper, outbound_for, user_errors
from app.integrations.shopify.models import ShopifyBackfill
from app.integrations.shopify.service import active_connection
from app.models import Store

log = get_logger(__name__)

DEFAULT_DAYS = 90
MAX_DAYS = 3650
BATCH_LINES = 250
FINISHED = frozenset({"completed", "failed"})

ORDERS_BULK_QUERY = """
{
  orders(query: "created_at:>='%s'", sortKey: CREATED_AT) {
    edges {
      node {
        id
        legacyResourceId
        name
        email
        createdAt
        updatedAt
        cancelledAt
        closedAt
        displayFinancialStatus
        displayFulfillmentStatus
        currencyCode
        totalPriceSet { shopMoney { amount currencyCode } }
        shippingAddress { name zip }
        refunds { createdAt }
        fulfillments {
          id
          legacyResourceId
          name
          status
          displayStatus
          createdAt
          updatedAt
          estimatedDeliveryAt
          trackingInfo { company number }
        }
      }
    }
  }
}
"""

RUN_QUERY = """
mutation bulkOperationRunQuery($query: String!) {
  bulkOperationRunQuery(query: $query) {
    bulkOperation { id status }
    userErrors { field message }
  }
}
"""

STATUS_QUERY = """
query bulkOperation($id: ID!) {
  node(id: $id) {
    ... on BulkOperation { id status errorCode objectCount url partialDataUrl }
  }
}
"""

_FINANCIAL = {"PARTIALLY_REFUNDED": "partially_refunded", "PARTIALLY_PAID": "partially_paid"}
_FULFILLMENT = {"FULFILLED": "fulfilled", "PARTIALLY_FULFILLED": "partial"}


@dataclass(frozen=True)
class BackfillProgress:
    id: uuid.UUID
    status: str
    days: int
    since: datetime
    lines_done: int
    object_count: int | None
    orders_done: int
    orders_failed: int
    error: str | None
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, row: ShopifyBackfill) -> "BackfillProgress":
        return cls(
            id=row.id,
            status=row.status,
            days=row.days,
            since=row.since,
            lines_done=row.lines_done,
            object_count=row.object_count,
            orders_done=row.orders_done,
            orders_failed=row.orders_failed,
            error=row.error,
            started_at=row.started_at,
            finished_at=row.finished_at,
        )


async def latest_backfill(session: AsyncSession, store_id: uuid.UUID) -> ShopifyBackfill | None:
    return (
        await session.scalars(
            select(ShopifyBackfill)
            .where(ShopifyBackfill.store_id == store_id)
            .order_by(ShopifyBackfill.created_at.desc())
            .limit(1)
        )
    ).first()


async def start_backfill(
    session: AsyncSession, store_id: uuid.UUID, days: int = DEFAULT_DAYS
) -> tuple[ShopifyBackfill, bool]:
    """A new backfill row (and True), or the one still unfinished (and False)."""
    if not 1 <= days <= MAX_DAYS:
        raise ConflictError(f"days must be 1 to {MAX_DAYS}")
    if await active_connection(session, store_id) is None:
        raise NotFoundError("Shopify is not connected to this store: install the app first")
    current = await latest_backfill(session, store_id)
    if current is not None and current.status not in FINISHED:
        return current, False
    row = ShopifyBackfill(
        store_id=store_id,
        days=days,
        since=utcnow() - timedelta(days=days),
        status="pending",
        lines_done=0,
        orders_done=0,
        orders_failed=0,
    )
    session.add(row)
    await session.flush()
    return row, True


def _status_word(value: Any) -> str | None:
    return value.lower() if isinstance(value, str) else None


def rest_fulfillment(node: dict[str, Any], order_id: str | None) -> dict[str, Any]:
    tracking = [t for t in node.get("trackingInfo") or [] if isinstance(t, dict)]
    return {
        "id": node.get("legacyResourceId") or node.get("id"),
        "order_id": order_id,
        "name": node.get("name"),
        "status": _status_word(node.get("status")),
        "shipment_status": _status_word(node.get("displayStatus")),
        "created_at": node.get("createdAt"),
        "updated_at": node.get("updatedAt"),
        "estimated_delivery_at": node.get("estimatedDeliveryAt"),
        "tracking_company": next((t.get("company") for t in tracking if t.get("company")), None),
        "tracking_numbers": [t.get("number") for t in tracking if t.get("number")],
    }


def rest_order(node: dict[str, Any]) -> dict[str, Any]:
    """A bulk-operation Order in the REST/webhook shape `shopify_webhooks` reads."""
    financial = str(node.get("displayFinancialStatus") or "")
    money = ((node.get("totalPriceSet") or {}).get("shopMoney")) or {}
    order_id = node.get("legacyResourceId") or node.get("id")
    return {
        "id": order_id,
        "name": node.get("name"),
        "email": node.get("email"),
        "created_at": node.get("createdAt"),
        "updated_at": node.get("updatedAt"),
        "cancelled_at": node.get("cancelledAt"),
        "closed_at": node.get("closedAt"),
        "financial_status": _FINANCIAL.get(financial, financial.lower() or None),
        "fulfillment_status": _FULFILLMENT.get(node.get("displayFulfillmentStatus") or ""),
        "currency": node.get("currencyCode") or money.get("currencyCode"),
        "total_price": money.get("amount"),
        "shipping_address": node.get("shippingAddress") or {},
        "refunds": [{"created_at": r.get("createdAt")} for r in node.get("refunds") or []],
        "fulfillments": [
            rest_fulfillment(f, order_id) for f in node.get("fulfillments") or [] if f
        ],
    }


async def ingest_order(session: AsyncSession, store: Store, node: dict[str, Any]) -> bool:
    """One order line through the webhook path; False when it was refused (and skipped)."""
    payload = rest_order(node)
    outcome = WebhookOutcome("processed", "shopify-backfill")
    try:
        async with session.begin_nested():
            number, data = shopify_webhooks.order_from_payload(payload, cancelled=False)
            order, _ = await ingestion.upsert_order(session, store, number, data)
            for fulfillment in payload["fulfillments"]:
                await shopify_webhooks.apply_fulfillment(
                    session, store, order, fulfillment, outcome
                )
    except AppError as exc:
        log.info("shopify_backfill_order_skipped", order=payload.get("name"), error=exc.detail)
        return False
    return True


@dataclass
class _Parsed:
    number: str
    data: OrderUpsert
    plans: list[shopify_webhooks.FulfillmentPlan]


def _parse(node: dict[str, Any]) -> _Parsed | None:
    """The order and its fulfillments read without the database; None when refused (the
    one-row path then reports why)."""
    payload = rest_order(node)
    try:
        number, data = shopify_webhooks.order_from_payload(payload, cancelled=False)
        plans = [shopify_webhooks.plan_fulfillment(f) for f in payload["fulfillments"]]
    except AppError:
        return None
    return _Parsed(number, data, plans)


class _HandBack(Exception):
    """Some orders' shipments cannot be written in the batch: undo it, leave them out."""

    def __init__(self, orders: set[int]) -> None:
        self.orders = orders


async def _write_batch(
    session: AsyncSession, store: Store, parsed: dict[int, _Parsed]
) -> tuple[list[int], rollups.Contribution]:
    """New orders with their shipments and events, written together (`app.ingestion.batch`,
    as the CSV import writes): returns the lines written and their rollup contribution (not
    yet applied). The rest is left to the one-row path, in the order of the lines."""
    indexes = list(parsed)
    with rollups.deferred(session, store.id) as delta:
        async with session.begin_nested():
            orders = await bulk.add_new_orders(
                session, store, [(parsed[i].number, parsed[i].data) for i in indexes]
            )
            owners: list[int] = []
            shipments: list[bulk.NewShipment] = []
            for position, order in zip(orders.created, orders.rows, strict=True):
                for plan in parsed[indexes[position]].plans:
                    if plan.dead is not None:
                        continue  # a new order has no shipment to remove
                    events = [plan.event] if plan.event is not None else []
                    for data in plan.shipments:
                        owners.append(indexes[position])
                        shipments.append(bulk.NewShipment(order, data, events))
            written = await bulk.add_new_shipments(session, store, shipments)
            if written.one_by_one:
                raise _HandBack({owners[k] for k in written.one_by_one})
    return [indexes[k] for k in orders.created], delta


async def apply_lines(session: AsyncSession, store: Store, nodes: list[Any]) -> tuple[int, int]:
    """A batch of result lines into the store: (orders applied, orders refused). The batch's
    rollup contributions are added up and written once (as the CSV importer does)."""
    orders = [n for n in nodes if isinstance(n, dict) and "__parentId" not in n]
    parsed = {i: p for i, node in enumerate(orders) if (p := _parse(node)) is not None}
    contribution = rollups.Contribution()
    written: set[int] = set()
    while parsed:
        try:
            created, delta = await _write_batch(session, store, parsed)
        except _HandBack as back:
            # One customer's orders keep their file order (a later name wins): those that
            # share an email with an order left out are left out too.
            emails = {parsed[i].data.customer_email for i in back.orders} - {None}
            parsed = {
                i: p
                for i, p in parsed.items()
                if i not in back.orders and p.data.customer_email not in emails
            }
            continue
        except (AppError, SQLAlchemyError) as exc:
            log.info("shopify_backfill_batch_one_by_one", error=str(exc)[:200])
            break
        contribution.merge(delta)
        written.update(created)
        break
    done = len(written)
    failed = 0
    for index, node in enumerate(orders):
        if index in written:
            continue
        with rollups.deferred(session, store.id) as delta:
            ok = await ingest_order(session, store, node)
        if ok:
            contribution.merge(delta)
            done += 1
        else:
            failed += 1
    await rollups.apply(session, store.id, contribution)
    return done, failed


ProgressHook = Callable[[BackfillProgress], None]
#: Opens a session for a unit of work that writes: `Database.writer` in the app (on SQLite it
#: takes the write lock at BEGIN, so the import waits for the requests' writes instead of
#: failing with "database is locked" when its read turns into a write).
Sessions = Callable[[], AbstractAsyncContextManager[AsyncSession]]


async def run_backfill(
    sessions: Sessions,
    settings: Settings,
    store_id: uuid.UUID,
    backfill_id: uuid.UUID,
    *,
    sleep: Sleeper = asyncio.sleep,
    poll_seconds: float = 2.0,
    batch_lines: int = BATCH_LINES,
    on_progress: ProgressHook | None = None,
) -> BackfillProgress:
    """Run (or resume) a backfill to its end; each batch of lines commits with its progress."""
    key = (store_id, backfill_id)
    async with sessions() as session:
        row = await session.get(ShopifyBackfill, key)
        if row is None:
            raise NotFoundError(f"no backfill {backfill_id}")
        if row.status in FINISHED:
            return BackfillProgress.of(row)
        connection = await active_connection(session, row.store_id)
        if connection is None or connection.access_token is None:
            return await _fail(session, row, "Shopify is no longer connected to this store")
        shop, token = connection.shop_domain, connection.access_token
        row.status, row.started_at = "running", row.started_at or utcnow()
        await session.commit()

    async with outbound_for(settings) as outbound:
        admin = AdminClient(outbound, settings, shop, token, sleep=sleep)
        try:
            url = await _completed_result(sessions, admin, key, sleep, poll_seconds)
            if on_progress:
                on_progress(await _progress(sessions, key))
            if url is not None:
                await _stream(sessions, admin, url, key, batch_lines, on_progress)
        except AppError as exc:
            async with sessions() as session:
                failed = await session.get(ShopifyBackfill, key)
                assert failed is not None
                return await _fail(session, failed, exc.detail)
    async with sessions() as session:
        done = await session.get(ShopifyBackfill, key)
        assert done is not None
        done.status, done.finished_at = "completed", utcnow()
        await session.commit()
        log.info(
            "shopify_backfill_completed",
            store_id=str(store_id),
            orders=done.orders_done,
            waited_for_throttle=round(admin.waited_seconds, 3),
        )
        return BackfillProgress.of(done)


async def _fail(session: AsyncSession, row: ShopifyBackfill, error: str) -> BackfillProgress:
    row.status, row.error, row.finished_at = "failed", error[:500], utcnow()
    await session.commit()
    return BackfillProgress.of(row)


BackfillKey = tuple[uuid.UUID, uuid.UUID]


async def _progress(sessions: Sessions, key: BackfillKey) -> BackfillProgress:
    async with sessions() as session:
        row = await session.get(ShopifyBackfill, key)
        assert row is not None
        return BackfillProgress.of(row)


async def _completed_result(
    sessions: Sessions,
    admin: AdminClient,
    key: BackfillKey,
    sleep: Sleeper,
    poll_seconds: float,
) -> str | None:
    """The JSONL URL of the backfill's bulk operation, started first when it has none."""
    async with sessions() as session:
        row = await session.get(ShopifyBackfill, key)
        assert row is not None
        operation_id, since = row.bulk_operation_id, row.since
    if operation_id is None:
        # No session is held across a call to Shopify.
        query = ORDERS_BULK_QUERY % since.strftime("%Y-%m-%dT%H:%M:%SZ")
        data = await admin.graphql(RUN_QUERY, {"query": query})
        result = data.get("bulkOperationRunQuery") or {}
        problem = user_errors(result)
        if problem:
            raise AppError(f"Shopify refused the bulk query: {problem}", status=502)
        operation_id = str((result.get("bulkOperation") or {}).get("id") or "")
        if not operation_id:
            raise AppError("Shopify answered the bulk query without an operation", status=502)
        async with sessions() as session:
            row = await session.get(ShopifyBackfill, key)
            assert row is not None
            row.bulk_operation_id, row.lines_done = operation_id, 0
            await session.commit()
    while True:
        data = await admin.graphql(STATUS_QUERY, {"id": operation_id}, cost=1.0)
        node = data.get("node") or {}
        status = node.get("status")
        if status == "COMPLETED":
            async with sessions() as session:
                row = await session.get(ShopifyBackfill, key)
                assert row is not None
                row.object_count = int(node.get("objectCount") or 0)
                await session.commit()
            url = node.get("url")
            return str(url) if url else None  # no url: the query matched nothing
        if status in {"FAILED", "CANCELED", "EXPIRED"}:
            if status == "EXPIRED":
                # The result file is gone; a fresh operation starts the import over (safe:
                # applying an order twice changes nothing).
                async with sessions() as session:
                    row = await session.get(ShopifyBackfill, key)
                    assert row is not None
                    row.bulk_operation_id = None
                    await session.commit()
                return await _completed_result(sessions, admin, key, sleep, poll_seconds)
            raise AppError(
                f"the bulk operation ended {status} ({node.get('errorCode')})", status=502
            )
        await sleep(poll_seconds)


async def _stream(
    sessions: Sessions,
    admin: AdminClient,
    url: str,
    key: BackfillKey,
    batch_lines: int,
    on_progress: ProgressHook | None,
) -> None:
    async with sessions() as session:
        row = await session.get(ShopifyBackfill, key)
        assert row is not None
        skip = row.lines_done
    index = 0
    batch: list[bytes] = []

    async def flush() -> None:
        async with sessions() as session:
            store = await session.get(Store, key[0])
            progress = await session.get(ShopifyBackfill, key)
            if store is None or progress is None:
                raise NotFoundError("the store or its backfill is gone")
            done, failed = await apply_lines(session, store, [orjson.loads(b) for b in batch])
            progress.lines_done += len(batch)
            progress.orders_done += done
            progress.orders_failed += failed
            await session.commit()
            snapshot = BackfillProgress.of(progress)
        batch.clear()
        if on_progress:
            on_progress(snapshot)

    async for line in admin.lines(url):
        if not line.strip():
            continue
        index += 1
        if index <= skip:
            continue
        batch.append(line)
        if len(batch) >= batch_lines:
            await flush()
    if batch:
        await flush()
