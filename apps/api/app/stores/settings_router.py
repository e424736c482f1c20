from fastapi import APIRouter

from app.accounts.dependencies import AuditorDep
from app.accounts.schemas import StoreOut
from app.api.deps import CurrentStore, SessionDep
from app.api.errors import responses
from app.api.roles import ADMIN
from app.stores import service
from app.stores.schemas import StoreUpdate

router = APIRouter(prefix="/stores", tags=["stores"])


@router.patch("/current", dependencies=[ADMIN], responses=responses(401, 404, 409, 422))
async def update_current_store(
    body: StoreUpdate, store: CurrentStore, session: SessionDep, auditor: AuditorDep
) -> StoreOut:
    """Name, currency and Shopify domain (the time zone is shown, not changed, here)."""
    changes = await service.update_store(
        session,
        store,
        name=body.name,
        currency=body.currency,
        **({"domain": body.domain} if "domain" in body.model_fields_set else {}),
    )
    for change in changes:
        await auditor.record("store.updated", change)
    return StoreOut.model_validate(store)
