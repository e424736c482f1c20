"""REST ingestion for integrations that are not webhooks (DESIGN 6, Ingestion)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Response

from app.analytics import timeline
from app.analytics.schemas import OrderTimeline
from app.api.deps import CurrentStore, SessionDep
from app.api.errors import responses
from app.api.roles import ADMIN, ANALYST
from app.ingestion import service as ingestion
from app.ingestion.schemas import (
    InquiryCreate,
    InquiryOut,
    InquiryResolve,
    InquiryUpdate,
    InquiryUpsert,
    OrderOut,
    OrderUpsert,
    ShipmentCreate,
    ShipmentOut,
    TrackingEventCreate,
    TrackingEventOut,
)

router = APIRouter()


@router.put(
    "/orders/{order_number}",
    name="upsert",
    tags=["orders"],
    dependencies=[ADMIN],
    responses=responses(401, 404, 422),
)
async def upsert_order(
    order_number: str,
    body: OrderUpsert,
    store: CurrentStore,
    session: SessionDep,
    response: Response,
) -> OrderOut:
    order, created = await ingestion.upsert_order(session, store, order_number, body)
    response.status_code = 201 if created else 200
    return OrderOut.model_validate(order)


@router.get(
    "/orders/{order_number}/timeline",
    name="timeline",
    tags=["orders"],
    dependencies=[ANALYST],
    responses=responses(401, 404),
)
async def get_order_timeline(
    order_number: str, store: CurrentStore, session: SessionDep
) -> OrderTimeline:
    """The order's journey with tracking events and the customer's inquiries."""
    return await timeline.order_timeline(session, store, order_number)


@router.post(
    "/orders/{order_number}/shipments",
    name="add_shipment",
    tags=["orders"],
    dependencies=[ADMIN],
    responses=responses(401, 404, 409, 422),
)
async def add_shipment(
    order_number: str,
    body: ShipmentCreate,
    store: CurrentStore,
    session: SessionDep,
    response: Response,
) -> ShipmentOut:
    order = await ingestion.get_order(session, store.id, order_number)
    shipment, created = await ingestion.add_shipment(session, store, order, body)
    response.status_code = 201 if created else 200
    return ShipmentOut.model_validate(shipment)


@router.post(
    "/shipments/{shipment_id}/events",
    name="add_event",
    tags=["shipments"],
    dependencies=[ADMIN],
    responses=responses(401, 404, 422),
)
async def add_tracking_event(
    shipment_id: uuid.UUID,
    body: TrackingEventCreate,
    store: CurrentStore,
    session: SessionDep,
    response: Response,
) -> TrackingEventOut:
    shipment = await ingestion.get_shipment(session, store.id, shipment_id)
    result = await ingestion.add_tracking_event(session, store, shipment, body)
    response.status_code = 201 if result.created else 200
    e = result.event
    return TrackingEventOut(
        id=e.id,
        shipment_id=e.shipment_id,
        occurred_at=e.occurred_at,
        status=e.status,
        subtag=e.subtag,
        description=e.description,
        location=e.location,
        created=result.created,
        shipment_status=shipment.status,
    )


@router.post(
    "/inquiries",
    name="create",
    tags=["inquiries"],
    dependencies=[ADMIN],
    responses=responses(401, 404, 422),
)
async def create_inquiry(
    body: InquiryCreate, store: CurrentStore, session: SessionDep, response: Response
) -> InquiryOut:
    inquiry, created = await ingestion.record_inquiry(session, store, body)
    response.status_code = 201 if created else 200
    return InquiryOut.model_validate(inquiry)


@router.post(
    "/inquiries/{inquiry_id}/resolve",
    name="resolve",
    tags=["inquiries"],
    dependencies=[ADMIN],
    responses=responses(401, 404, 422),
)
async def resolve_inquiry(
    inquiry_id: uuid.UUID,
    store: CurrentStore,
    session: SessionDep,
    body: InquiryResolve | None = None,
) -> InquiryOut:
    resolved_at = body.resolved_at if body else None
    return InquiryOut.model_validate(
        await ingestion.resolve_inquiry(session, store, inquiry_id, resolved_at)
    )


@router.patch(
    "/inquiries/{inquiry_id}",
    name="update",
    tags=["inquiries"],
    dependencies=[ADMIN],
    responses=responses(401, 404, 422),
)
async def update_inquiry(
    inquiry_id: uuid.UUID, body: InquiryUpdate, store: CurrentStore, session: SessionDep
) -> InquiryOut:
    """A later rating, effort, feedback, first response, resolution or escalation. Fields
    left out stay; a changed rating moves the figures from the old value to the new one."""
    inquiry = await ingestion.get_inquiry(session, store.id, inquiry_id, for_update=True)
    return InquiryOut.model_validate(await ingestion.amend_inquiry(session, inquiry, body))


@router.put(
    "/inquiries/by-external/{external_id}",
    name="upsert_by_external_id",
    tags=["inquiries"],
    dependencies=[ADMIN],
    responses=responses(401, 404, 422),
)
async def upsert_inquiry_by_external_id(
    external_id: Annotated[str, Path(min_length=1, max_length=200)],
    body: InquiryUpsert,
    store: CurrentStore,
    session: SessionDep,
    response: Response,
) -> InquiryOut:
    """The inquiry a helpdesk knows by its own id: created (201) when new; otherwise (200)
    its later outcome is set as PATCH does, and its order, time, channel and type stay."""
    inquiry, created = await ingestion.upsert_inquiry_by_external_id(
        session, store, external_id, body
    )
    response.status_code = 201 if created else 200
    return InquiryOut.model_validate(inquiry)
