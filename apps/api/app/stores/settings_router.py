import uuid

from fastapi import APIRouter, BackgroundTasks

from app.accounts.dependencies import AuditorDep
from app.accounts.schemas import StoreOut
from app.api.deps import CurrentStore, SessionDep
from app.api.errors import responses
from app.api.roles import ADMIN, ANALYST
from app.core.timeutils import local_today
from app.stores import business_hours, service, timezone_change
from app.stores.schemas import (
    BusinessHoursOut,
    BusinessHoursUpdate,
    BusinessHoursVersionOut,
    StoreUpdate,
    TimezoneChangeOut,
)

router = APIRouter(prefix="/stores", tags=["stores"])


@router.patch("/current", dependencies=[ADMIN], responses=responses(401, 404, 409, 422))
async def update_current_store(
    body: StoreUpdate,
    store: CurrentStore,
    session: SessionDep,
    auditor: AuditorDep,
    background: BackgroundTasks,
) -> StoreOut:
    """Name, currency, Shopify domain and time zone. A new time zone starts a background job
    (GET /stores/current/timezone-change) that re-derives every local day and rebuilds the
    rollups; 409 while a previous change still runs."""
    changes = await service.update_store(
        session,
        store,
        name=body.name,
        currency=body.currency,
        **({"domain": body.domain} if "domain" in body.model_fields_set else {}),
    )
    for change in changes:
        await auditor.record("store.updated", change)
    if body.timezone is not None:
        previous = store.timezone
        job = await timezone_change.start_change(session, store, body.timezone)
        if job is not None:
            await auditor.record(
                "store.timezone_changed", f"timezone: {previous} -> {job.to_timezone}"
            )
            background.add_task(kick_timezone_change, job.id)
    return StoreOut.model_validate(store)


async def kick_timezone_change(job_id: uuid.UUID) -> None:
    """Runs after the response, so after the request's commit; the minute scheduler picks up
    a job whose kick was lost."""
    from app.workers.analytics_tasks import tasks

    await tasks.change_timezone.kiq(str(job_id))


@router.get("/current/timezone-change", dependencies=[ADMIN], responses=responses(401, 404, 422))
async def current_timezone_change(store: CurrentStore, session: SessionDep) -> TimezoneChangeOut:
    """The latest time-zone change of the store and its progress (404 when there was none)."""
    job = await timezone_change.get_progress(session, store.id)
    return TimezoneChangeOut.model_validate(job)


async def _business_hours_out(
    session: SessionDep, store: CurrentStore, remeasured: int | None = None
) -> BusinessHoursOut:
    versions = [
        BusinessHoursVersionOut.model_validate(v)
        for v in await business_hours.list_versions(session, store.id)
    ]
    today = local_today(store.timezone)
    current = [v for v in versions if v.effective_from <= today]
    return BusinessHoursOut(
        timezone=store.timezone,
        versions=versions,
        current=current[-1] if current else None,
        remeasured=remeasured,
    )


@router.get("/current/business-hours", dependencies=[ANALYST], responses=responses(401, 404))
async def get_business_hours(store: CurrentStore, session: SessionDep) -> BusinessHoursOut:
    """The store's business-hours versions: each holds from its date until the next one."""
    return await _business_hours_out(session, store)


@router.put("/current/business-hours", dependencies=[ADMIN], responses=responses(401, 404, 422))
async def put_business_hours(
    body: BusinessHoursUpdate, store: CurrentStore, session: SessionDep, auditor: AuditorDep
) -> BusinessHoursOut:
    """Set the hours taking effect on `effectiveFrom` (the same date again replaces that
    version; the same body again changes nothing). Response and resolution times in business
    hours are measured with the version in effect on each day an inquiry was open."""
    remeasured = await business_hours.put_version(
        session,
        store,
        weekly=body.weekly.model_dump(),
        holidays=body.holidays,
        effective_from=body.effective_from,
    )
    await auditor.record(
        "store.business_hours_set", f"business hours from {body.effective_from.isoformat()}"
    )
    return await _business_hours_out(session, store, remeasured)
