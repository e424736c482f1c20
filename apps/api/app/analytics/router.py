"""WISMO analytics endpoints: parse the range and filters, call the service, return."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.analytics.schemas import (
    FulfillmentMetrics,
    GroupBy,
    InquiryPage,
    InquiryTrends,
    MetricDefinition,
    NamedRange,
    Overview,
    SatisfactionMetrics,
    ShipmentPage,
)
from app.analytics.service import (
    DateRange,
    Filters,
    WISMOAnalyticsService,
    bucket_range,
    metric_definitions,
    resolve_range,
)
from app.api.deps import CurrentStore, SessionDep
from app.api.errors import responses
from app.api.roles import ANALYST
from app.core.vocab import Channel, InquiryType, OrderStatus, ShipmentStatus

router = APIRouter(prefix="/analytics/wismo", tags=["analytics"], dependencies=[ANALYST])
ERRORS = responses(401, 404, 422)


def date_range_dep(
    store: CurrentStore,
    date_range: Annotated[
        NamedRange, Query(description="7d, 30d, 90d (ending today) or custom")
    ] = "30d",
    start: Annotated[date | None, Query(description="custom range start (store-local)")] = None,
    end: Annotated[date | None, Query(description="custom range end, inclusive")] = None,
) -> DateRange:
    return resolve_range(date_range, start, end, store.timezone)


def filters_dep(
    channel: Annotated[
        list[Channel] | None, Query(description="repeat for several channels (summed)")
    ] = None,
    carrier: Annotated[
        list[Annotated[str, Query(max_length=64)]] | None,
        Query(max_length=20, description="repeat for several carriers (summed)"),
    ] = None,
    inquiry_type: Annotated[
        list[InquiryType] | None, Query(description="repeat for several types (summed)")
    ] = None,
) -> Filters:
    return Filters.of(channel=channel, carrier=carrier, inquiry_type=inquiry_type)


RangeDep = Annotated[DateRange, Depends(date_range_dep)]


def drill_range_dep(
    rng: RangeDep,
    day: Annotated[
        date | None,
        Query(alias="date", description="narrow to the bucket that starts on this date"),
    ] = None,
    group_by: Annotated[GroupBy, Query(description="the bucket size of `date`")] = "day",
) -> DateRange:
    return bucket_range(rng, day, group_by) if day is not None else rng


DrillRangeDep = Annotated[DateRange, Depends(drill_range_dep)]
FiltersDep = Annotated[Filters, Depends(filters_dep)]
GroupByQuery = Annotated[GroupBy, Query(description="day, week (ISO, Monday) or month")]


@router.get("/metrics", name="metrics", responses=responses(401, 404))
async def get_metric_definitions(store: CurrentStore) -> list[MetricDefinition]:
    """Every metric's definition (label, unit, good direction, formula) from the registry."""
    return metric_definitions()


@router.get("/overview", name="overview", responses=ERRORS)
async def get_wismo_overview(
    store: CurrentStore, rng: RangeDep, filters: FiltersDep, session: SessionDep
) -> Overview:
    """Every headline metric with its previous-period value and change."""
    return await WISMOAnalyticsService(session).get_overview(store, rng, filters)


@router.get("/inquiries", name="inquiries", responses=ERRORS)
async def get_inquiry_trends(
    store: CurrentStore,
    rng: RangeDep,
    filters: FiltersDep,
    session: SessionDep,
    group_by: GroupByQuery = "day",
) -> InquiryTrends:
    """Inquiry volume over time, by type, order status, channel and hour of the week."""
    return await WISMOAnalyticsService(session).get_inquiry_metrics(store, rng, group_by, filters)


@router.get("/fulfillment", name="fulfillment", responses=ERRORS)
async def get_fulfillment_metrics(
    store: CurrentStore,
    rng: RangeDep,
    filters: FiltersDep,
    session: SessionDep,
    group_by: GroupByQuery = "day",
) -> FulfillmentMetrics:
    """Time to ship, on-time rate, transit, exceptions, and the per-carrier table.

    Medians and p90 come from log-spaced histograms: within 4.9% of the exact value."""
    return await WISMOAnalyticsService(session).get_fulfillment_insights(
        store, rng, group_by, filters
    )


@router.get("/satisfaction", name="satisfaction", responses=ERRORS)
async def get_satisfaction(
    store: CurrentStore,
    rng: RangeDep,
    filters: FiltersDep,
    session: SessionDep,
    group_by: GroupByQuery = "day",
) -> SatisfactionMetrics:
    """Ratings over time, their distribution, resolution-time effect and drivers."""
    return await WISMOAnalyticsService(session).get_satisfaction_trends(
        store, rng, group_by, filters
    )


@router.get("/drilldown/inquiries", responses=ERRORS)
async def drilldown_inquiries(
    store: CurrentStore,
    rng: DrillRangeDep,
    filters: FiltersDep,
    session: SessionDep,
    order_status: OrderStatus | None = None,
    exception_reason: Annotated[
        str | None, Query(max_length=64, description="the order's exception cause when asked")
    ] = None,
    weekday: Annotated[int | None, Query(ge=0, le=6, description="0 = Monday")] = None,
    hour: Annotated[int | None, Query(ge=0, le=23)] = None,
    repeat: bool | None = None,
    resolved: bool | None = None,
    rating: Annotated[int | None, Query(ge=1, le=5)] = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> InquiryPage:
    """The inquiries behind any figure, newest first; pass nextCursor for the next page."""
    return await WISMOAnalyticsService(session).list_inquiries(
        store,
        rng,
        filters=filters,
        order_status=order_status,
        exception_reason=exception_reason,
        weekday=weekday,
        hour=hour,
        repeat=repeat,
        resolved=resolved,
        rating=rating,
        cursor=cursor,
        limit=limit,
    )


@router.get("/drilldown/shipments", responses=ERRORS)
async def drilldown_shipments(
    store: CurrentStore,
    rng: DrillRangeDep,
    session: SessionDep,
    carrier: Annotated[str | None, Query(max_length=64)] = None,
    status: ShipmentStatus | None = None,
    exception_reason: Annotated[str | None, Query(max_length=64)] = None,
    had_exception: bool | None = None,
    basis: Annotated[
        str, Query(pattern="^(shipped|delivered)$", description="which local date falls in range")
    ] = "shipped",
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ShipmentPage:
    """The shipments behind any fulfillment figure, newest first."""
    return await WISMOAnalyticsService(session).list_shipments(
        store,
        rng,
        carrier=carrier,
        status=status,
        exception_reason=exception_reason,
        had_exception=had_exception,
        basis=basis,
        cursor=cursor,
        limit=limit,
    )
