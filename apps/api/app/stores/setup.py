"""The setup checklist of a new store: which kinds of data have arrived, and how to send them."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.scoping import for_store
from app.models import Order, OrderInquiry, Store, TrackingEvent
from app.stores.schemas import SetupChecklist, SetupInstruction, SetupStep
from app.stores.widget_settings import embed_snippet


async def _any(
    session: AsyncSession,
    model: type[Order] | type[TrackingEvent] | type[OrderInquiry],
    store_id: uuid.UUID,
) -> bool:
    found = await session.scalar(for_store(model, store_id).with_only_columns(model.id).limit(1))
    return found is not None


async def checklist(session: AsyncSession, store: Store, base_url: str) -> SetupChecklist:
    api = f"{base_url}/api/v1"
    auth = '-H "Authorization: Bearer $WISMO_API_KEY" -H "Content-Type: application/json"'
    shopify_note = (
        None
        if store.domain
        else "Set the shop's SHOP.myshopify.com domain in Store settings first: "
        "Shopify webhooks are matched to the store by it."
    )
    steps = [
        SetupStep(
            key="orders",
            title="Send your first order",
            done=await _any(session, Order, store.id),
            instructions=[
                SetupInstruction(
                    label="Shopify webhook URL (order and fulfillment topics)",
                    kind="url",
                    value=f"{api}/webhooks/shopify",
                    note=shopify_note,
                ),
                SetupInstruction(
                    label="Or send orders with the REST API (an API key from Settings → API keys)",
                    kind="snippet",
                    value=(
                        f"curl -X PUT {api}/orders/1001 {auth} "
                        """-d '{"createdAt": "2026-01-15T10:00:00Z", "total": "49.90"}'"""
                    ),
                ),
            ],
        ),
        SetupStep(
            key="tracking",
            title="Receive your first shipment event",
            done=await _any(session, TrackingEvent, store.id),
            instructions=[
                SetupInstruction(
                    label="AfterShip webhook URL",
                    kind="url",
                    value=f"{api}/webhooks/tracking/aftership?store={store.id}",
                ),
                SetupInstruction(
                    label="EasyPost webhook URL",
                    kind="url",
                    value=f"{api}/webhooks/tracking/easypost?store={store.id}",
                ),
                SetupInstruction(
                    label="Or add a shipment and its events with the REST API",
                    kind="snippet",
                    value=(
                        f"curl -X POST {api}/orders/1001/shipments {auth} "
                        """-d '{"carrier": "UPS", "trackingNumber": "1Z999AA10123456784", """
                        """"shippedAt": "2026-01-15T16:00:00Z"}'\n"""
                        f"curl -X POST {api}/shipments/SHIPMENT_ID/events {auth} "
                        """-d '{"occurredAt": "2026-01-16T08:00:00Z", "status": "in_transit", """
                        """"eventId": "scan-1"}'"""
                    ),
                ),
            ],
        ),
        SetupStep(
            key="inquiries",
            title="Record your first customer inquiry",
            done=await _any(session, OrderInquiry, store.id),
            instructions=[
                SetupInstruction(
                    label="Add the chat widget to your store's pages",
                    kind="snippet",
                    value=embed_snippet(base_url, store.widget_key),
                    note="Allow your shop's origin in Settings → Chat widget.",
                ),
                SetupInstruction(
                    label="Or record inquiries from your helpdesk with the REST API",
                    kind="snippet",
                    value=(
                        f"curl -X POST {api}/inquiries {auth} "
                        """-d '{"orderNumber": "1001", "inquiryType": "status", """
                        """"channel": "email", "createdAt": "2026-01-17T09:00:00Z"}'"""
                    ),
                ),
            ],
        ),
    ]
    return SetupChecklist(complete=all(s.done for s in steps), steps=steps)
