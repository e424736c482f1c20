import uuid

from fastapi import APIRouter

from app.api.deps import CurrentStore, SessionDep
from app.api.errors import responses
from app.schemas.auth import ApiKeyCreate, ApiKeyCreated, ApiKeyOut, StoreOut
from app.services import auth as auth_service

router = APIRouter(prefix="/stores", tags=["stores"])


@router.get("/current", responses=responses(401, 404))
async def current_store(store: CurrentStore) -> StoreOut:
    return StoreOut.model_validate(store)


@router.get("/current/api-keys", responses=responses(401, 404))
async def list_api_keys(store: CurrentStore, session: SessionDep) -> list[ApiKeyOut]:
    return [
        ApiKeyOut.model_validate(k) for k in await auth_service.list_api_keys(session, store.id)
    ]


@router.post("/current/api-keys", status_code=201, responses=responses(401, 404, 422))
async def create_api_key(
    body: ApiKeyCreate, store: CurrentStore, session: SessionDep
) -> ApiKeyCreated:
    row, key = await auth_service.create_api_key(session, store.id, body.name)
    return ApiKeyCreated(**ApiKeyOut.model_validate(row).model_dump(), key=key)


@router.delete("/current/api-keys/{key_id}", responses=responses(401, 404))
async def revoke_api_key(key_id: uuid.UUID, store: CurrentStore, session: SessionDep) -> ApiKeyOut:
    return ApiKeyOut.model_validate(await auth_service.revoke_api_key(session, store.id, key_id))
