import uuid

from fastapi import APIRouter, BackgroundTasks

from app.accounts.dependencies import AuditorDep
from app.accounts.schemas import StoreOut
from app.api.deps import CurrentStore, SessionDep
from app.api.errors import responses
from app.api.roles import ADMIN
from app.stores import service, timezone_change
from app.stores.schemas import StoreUpdate, TimezoneChangeOut

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
