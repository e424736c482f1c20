import uuid

from fastapi import APIRouter

from app.accounts import service as auth_service
from app.accounts.dependencies import AuditorDep, BaseUrlDep
from app.accounts.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyOut, StoreOut
from app.api.deps import CurrentStore, SessionDep
from app.api.errors import responses
from app.api.roles import ADMIN, ANALYST
from app.assistant.schemas import WidgetSettingsOut, WidgetSettingsUpdate
from app.models import Store
from app.stores import setup, widget_settings
from app.stores.schemas import SetupChecklist

router = APIRouter(prefix="/stores", tags=["stores"])


@router.get("/current", name="current", dependencies=[ANALYST], responses=responses(401, 404))
async def current_store(store: CurrentStore) -> StoreOut:
    return StoreOut.model_validate(store)


@router.get("/current/setup", dependencies=[ANALYST], responses=responses(401, 404))
async def setup_checklist(
    store: CurrentStore, session: SessionDep, base_url: BaseUrlDep
) -> SetupChecklist:
    """Whether the store has received an order, a shipment event and an inquiry yet, with the
    exact webhook URLs and snippets that send each."""
    return await setup.checklist(session, store, base_url)


@router.get("/current/api-keys", dependencies=[ADMIN], responses=responses(401, 404))
async def list_api_keys(store: CurrentStore, session: SessionDep) -> list[ApiKeyOut]:
    return [
        ApiKeyOut.model_validate(k) for k in await auth_service.list_api_keys(session, store.id)
    ]


@router.post(
    "/current/api-keys", dependencies=[ADMIN], status_code=201, responses=responses(401, 404, 422)
)
async def create_api_key(
    body: ApiKeyCreate, store: CurrentStore, session: SessionDep, auditor: AuditorDep
) -> ApiKeyCreated:
    row, key = await auth_service.create_api_key(session, store.id, body.name)
    await auditor.record("api_key.created", f"{row.name} ({row.prefix}…)")
    return ApiKeyCreated(**ApiKeyOut.model_validate(row).model_dump(), key=key)


@router.delete("/current/api-keys/{key_id}", dependencies=[ADMIN], responses=responses(401, 404))
async def revoke_api_key(
    key_id: uuid.UUID, store: CurrentStore, session: SessionDep, auditor: AuditorDep
) -> ApiKeyOut:
    row = await auth_service.revoke_api_key(session, store.id, key_id)
    await auditor.record("api_key.revoked", f"{row.name} ({row.prefix}…)")
    return ApiKeyOut.model_validate(row)


def _widget_out(store: Store, base_url: str) -> WidgetSettingsOut:
    return WidgetSettingsOut(
        widget_key=store.widget_key,
        allowed_origins=list(store.widget_allowed_origins or []),
        embed_snippet=widget_settings.embed_snippet(base_url, store.widget_key),
    )


@router.get("/current/widget", dependencies=[ANALYST], responses=responses(401, 404))
async def get_widget_settings(store: CurrentStore, base_url: BaseUrlDep) -> WidgetSettingsOut:
    """The chat widget's key, embed snippet and the origins allowed to embed it."""
    return _widget_out(store, base_url)


@router.put("/current/widget", dependencies=[ADMIN], responses=responses(401, 404, 422))
async def update_widget_settings(
    body: WidgetSettingsUpdate,
    store: CurrentStore,
    session: SessionDep,
    base_url: BaseUrlDep,
    auditor: AuditorDep,
) -> WidgetSettingsOut:
    """Replace the origins allowed to embed the widget (pages elsewhere are refused)."""
    await widget_settings.set_allowed_origins(session, store, body.allowed_origins)
    origins = ", ".join(store.widget_allowed_origins or []) or "none"
    await auditor.record("widget.origins_changed", origins)
    return _widget_out(store, base_url)
