import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import audit
from app.api.deps import CurrentAccess, SessionDep, SettingsDep, client_address


@dataclass
class Auditor:
    """Records an audit event of the current store, by the current caller, from their address."""

    session: AsyncSession
    store_id: uuid.UUID
    actor: str
    ip: str

    async def record(self, action: str, target: str) -> None:
        await audit.record(
            self.session,
            self.store_id,
            actor=self.actor,
            action=action,
            target=target,
            ip=self.ip,
        )


async def get_auditor(request: Request, session: SessionDep, access: CurrentAccess) -> Auditor:
    return Auditor(session, access.store.id, access.actor, client_address(request))


def public_base_url(request: Request, settings: SettingsDep) -> str:
    """The dashboard's address for emailed links."""
    return (settings.public_url or str(request.base_url)).rstrip("/")


AuditorDep = Annotated[Auditor, Depends(get_auditor)]
BaseUrlDep = Annotated[str, Depends(public_base_url)]
