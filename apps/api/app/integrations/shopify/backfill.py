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
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.config import Settings
from app.core.errors import AppError, ConflictError, NotFoundError
from app.core.logging import get_logger
from app.core.timeutils import utcnow
from app.ingestion import rollups
from app.ingestion import service as ingestion
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


ProgressHook = Callable[[BackfillProgress], None]


async def run_backfill(
    sessionmaker: async_sessionmaker[AsyncSession],
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
    async with sessionmaker() as session:
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
            url = await _completed_result(sessionmaker, admin, key, sleep, poll_seconds)
            if on_progress:
                on_progress(await _progress(sessionmaker, key))
            if url is not None:
                await _stream(sessionmaker, admin, url, key, batch_lines, on_progress)
        except AppError as exc:
            async with sessionmaker() as session:
                failed = await session.get(ShopifyBackfill, key)
                assert failed is not None
                return await _fail(session, failed, exc.detail)
    async with sessionmaker() as session:
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


async def _progress(
    sessionmaker: async_sessionmaker[AsyncSession], key: BackfillKey
) -> BackfillProgress:
    async with sessionmaker() as session:
        row = await session.get(ShopifyBackfill, key)
        assert row is not None
        return BackfillProgress.of(row)


async def _completed_result(
    sessionmaker: async_sessionmaker[AsyncSession],
    admin: AdminClient,
    key: BackfillKey,
    sleep: Sleeper,
    poll_seconds: float,
) -> str | None:
    """The JSONL URL of the backfill's bulk operation, started first when it has none."""
    async with sessionmaker() as session:
        row = await session.get(ShopifyBackfill, key)
        assert row is not None
        operation_id = row.bulk_operation_id
        if operation_id is None:
            since = row.since.strftime("%Y-%m-%dT%H:%M:%SZ")
            data = await admin.graphql(RUN_QUERY, {"query": ORDERS_BULK_QUERY % since})
            result = data.get("bulkOperationRunQuery") or {}
            problem = user_errors(result)
            if problem:
                raise AppError(f"Shopify refused the bulk query: {problem}", status=502)
            operation_id = str((result.get("bulkOperation") or {}).get("id") or "")
            if not operation_id:
                raise AppError("Shopify answered the bulk query without an operation", status=502)
            row.bulk_operation_id, row.lines_done = operation_id, 0
            await session.commit()
    while True:
        data = await admin.graphql(STATUS_QUERY, {"id": operation_id}, cost=1.0)
        node = data.get("node") or {}
        status = node.get("status")
        if status == "COMPLETED":
            async with sessionmaker() as session:
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
                async with sessionmaker() as session:
                    row = await session.get(ShopifyBackfill, key)
                    assert row is not None
                    row.bulk_operation_id = None
                    await session.commit()
                return await _completed_result(sessionmaker, admin, key, sleep, poll_seconds)
            raise AppError(
                f"the bulk operation ended {status} ({node.get('errorCode')})", status=502
            )
        await sleep(poll_seconds)


async def _stream(
    sessionmaker: async_sessionmaker[AsyncSession],
    admin: AdminClient,
    url: str,
    key: BackfillKey,
    batch_lines: int,
    on_progress: ProgressHook | None,
) -> None:
    async with sessionmaker() as session:
        row = await session.get(ShopifyBackfill, key)
        assert row is not None
        skip = row.lines_done
    index = 0
    batch: list[bytes] = []

    async def flush() -> None:
        async with sessionmaker() as session:
            store = await session.get(Store, key[0])
            progress = await session.get(ShopifyBackfill, key)
            if store is None or progress is None:
                raise NotFoundError("the store or its backfill is gone")
            done = failed = 0
            # The batch's rollup contributions are added up and written once, with the
            # batch (as the CSV importer does); an order that was refused adds nothing.
            contribution = rollups.Contribution()
            for line in batch:
                node = orjson.loads(line)
                if not isinstance(node, dict) or "__parentId" in node:
                    continue
                with rollups.deferred(session, store.id) as delta:
                    ok = await ingest_order(session, store, node)
                if ok:
                    contribution.merge(delta)
                    done += 1
                else:
                    failed += 1
            await rollups.apply(session, store.id, contribution)
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
