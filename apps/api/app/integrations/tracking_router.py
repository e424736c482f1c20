"""Settings > Integrations, tracking card: `GET /stores/current/tracking` and
`PUT /stores/current/tracking-secret` (admins)."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter
from pydantic import Field, StringConstraints

from app.accounts.dependencies import AuditorDep, BaseUrlDep
from app.api.deps import CurrentStore, SessionDep
from app.api.errors import responses
from app.api.roles import ADMIN
from app.core.schemas import CamelModel
from app.integrations import tracking_settings
from app.integrations.tracking import TrackingProvider

router = APIRouter(prefix="/stores/current", tags=["integrations"], dependencies=[ADMIN])


class TrackingProviderOut(CamelModel):
    provider: TrackingProvider
    webhook_url: str = Field(description="register this URL with the provider")
    last_delivery_at: datetime | None = Field(description="the last delivery of any outcome")
    accepted_last_day: int = Field(
        description="deliveries verified in the last 24 hours (processed, ignored or parked)"
    )
    duplicate_last_day: int = Field(description="repeats of an earlier delivery, last 24 hours")
    rejected_last_day: int = Field(
        description="refused for a missing secret or a wrong signature, last 24 hours"
    )
    last_error: str | None = Field(description="why the last refused delivery was refused")
    last_error_at: datetime | None


class TrackingSettingsOut(CamelModel):
    secret_set: bool = Field(description="AfterShip and EasyPost share one secret")
    providers: list[TrackingProviderOut]


class TrackingSecretIn(CamelModel):
    secret: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=16, max_length=255)
    ] = Field(
        description="AfterShip: the secret its webhook settings show. EasyPost: the one you "
        "chose for the webhook."
    )


def _out(status: tracking_settings.TrackingStatus) -> TrackingSettingsOut:
    return TrackingSettingsOut(
        secret_set=status.secret_set,
        providers=[
            TrackingProviderOut(
                provider=p.provider,
                webhook_url=p.webhook_url,
                last_delivery_at=p.last_delivery_at,
                accepted_last_day=p.accepted_last_day,
                duplicate_last_day=p.duplicate_last_day,
                rejected_last_day=p.rejected_last_day,
                last_error=p.last_error,
                last_error_at=p.last_error_at,
            )
            for p in status.providers
        ],
    )


@router.get("/tracking", responses=responses(401, 403, 404))
async def get_tracking_settings(
    store: CurrentStore, session: SessionDep, base_url: BaseUrlDep
) -> TrackingSettingsOut:
    """AfterShip and EasyPost: the webhook URL to register, whether the secret is set, and
    the deliveries of the last 24 hours."""
    return _out(await tracking_settings.status(session, store.id, base_url))


@router.put("/tracking-secret", responses=responses(401, 403, 404, 422))
async def set_tracking_secret(
    body: TrackingSecretIn,
    store: CurrentStore,
    session: SessionDep,
    base_url: BaseUrlDep,
    auditor: AuditorDep,
) -> TrackingSettingsOut:
    """Set or rotate the tracking webhook secret; it is never returned."""
    await tracking_settings.set_secret(session, store.id, body.secret)
    await auditor.record("tracking_secret.changed", "aftership, easypost")
    return _out(await tracking_settings.status(session, store.id, base_url))
