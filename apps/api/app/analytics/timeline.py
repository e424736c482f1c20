"""An order's journey, from purchase to delivery, with the customer's inquiries on the line."""

from sqlalchemy.ext.asyncio import AsyncSession

from app.analytics.schemas import OrderTimeline, TimelineEvent
from app.db.scoping import for_store
from app.ingestion import order_state
from app.ingestion.service import get_order
from app.models import Customer, OrderInquiry, Shipment, Store, TrackingEvent

_EVENT_STATUS = {
    "delivered": "completed",
    "exception": "exception",
    "failed_attempt": "exception",
    "returned": "exception",
    "expired": "exception",
}
_TITLES = {
    "pending": "Label created",
    "info_received": "Carrier received shipment information",
    "in_transit": "In transit",
    "out_for_delivery": "Out for delivery",
    "failed_attempt": "Delivery attempt failed",
    "available_for_pickup": "Ready for pickup",
    "delivered": "Delivered",
    "exception": "Delivery exception",
    "returned": "Returned to sender",
    "expired": "Tracking expired",
}


async def order_timeline(session: AsyncSession, store: Store, order_number: str) -> OrderTimeline:
    order = await get_order(session, store.id, order_number.strip().lstrip("#"))
    shipments = list(
        await session.scalars(
            for_store(Shipment, store.id)
            .where(Shipment.order_id == order.id)
            .order_by(Shipment.shipped_at)
        )
    )
    shipment_ids = [s.id for s in shipments]
    events = (
        list(
            await session.scalars(
                for_store(TrackingEvent, store.id)
                .where(TrackingEvent.shipment_id.in_(shipment_ids))
                .order_by(TrackingEvent.occurred_at)
            )
        )
        if shipment_ids
        else []
    )
    inquiries = list(
        await session.scalars(
            for_store(OrderInquiry, store.id)
            .where(OrderInquiry.order_id == order.id)
            .order_by(OrderInquiry.created_at)
        )
    )
    customer = (
        (
            await session.scalars(
                for_store(Customer, store.id).where(Customer.id == order.customer_id)
            )
        ).first()
        if order.customer_id
        else None
    )

    items: list[TimelineEvent] = [
        TimelineEvent(
            id=f"order-{order.id}",
            timestamp=order.created_at,
            type="order",
            title="Order placed",
            description=f"Order #{order.order_number}",
            status="completed",
        )
    ]
    carrier_of = {s.id: s for s in shipments}
    for s in shipments:
        items.append(
            TimelineEvent(
                id=f"shipment-{s.id}",
                timestamp=s.shipped_at,
                type="fulfillment",
                title=f"Shipped with {s.carrier}",
                description=f"Tracking number {s.tracking_number}",
                status="completed",
                data={"carrier": s.carrier, "trackingNumber": s.tracking_number},
            )
        )
    for e in events:
        shipment = carrier_of[e.shipment_id]
        is_delivery = e.status == "delivered"
        items.append(
            TimelineEvent(
                id=f"event-{e.id}",
                timestamp=e.occurred_at,
                type="delivery" if is_delivery else "tracking",
                title=_TITLES.get(e.status, e.status),
                description=e.description or f"{shipment.carrier} {shipment.tracking_number}",
                location=e.location,
                status=_EVENT_STATUS.get(e.status, "completed"),
                data={"shipmentStatus": e.status, "subtag": e.subtag},
            )
        )
    for q in inquiries:
        outcome = "resolved" if q.resolved else "open"
        items.append(
            TimelineEvent(
                id=f"inquiry-{q.id}",
                timestamp=q.created_at,
                type="inquiry",
                title=f"Customer asked: {q.inquiry_type}" + (" (repeat)" if q.is_repeat else ""),
                description=f"via {q.channel}, order was {q.order_status or 'unknown'}; {outcome}",
                status="completed" if q.resolved else "in_progress",
                data={
                    "inquiryId": str(q.id),
                    "channel": q.channel,
                    "rating": q.satisfaction_rating,
                },
            )
        )
    items.sort(key=lambda i: i.timestamp)

    latest = shipments[-1] if shipments else None
    delivered_at = latest.delivered_at if latest else None
    promise = (
        latest.original_estimated_delivery if latest else None
    ) or order.promised_delivery_date
    on_time = None
    if latest and latest.delivered_local_date and promise:
        on_time = latest.delivered_local_date <= promise
    latest_events = [e for e in events if latest is not None and e.shipment_id == latest.id]
    status, _ = order_state.order_state(order, latest, latest_events)
    return OrderTimeline(
        order_number=order.order_number,
        status=status,
        created_at=order.created_at,
        customer_name=customer.name if customer else None,
        estimated_delivery=latest.estimated_delivery if latest else None,
        original_estimated_delivery=latest.original_estimated_delivery if latest else None,
        promised_delivery_date=order.promised_delivery_date,
        delivered_at=delivered_at,
        delivered_on_time=on_time,
        events=items,
    )
