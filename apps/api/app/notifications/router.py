from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import CurrentAccess, SessionDep, SettingsDep
from app.api.errors import responses
from app.api.roles import ADMIN, RANKS
from app.notifications import outbox
from app.notifications.schemas import OutboxEmailOut, OutboxPage

router = APIRouter(prefix="/settings", tags=["settings"])


@router.get("/outbox", dependencies=[ADMIN], responses=responses(401, 404, 422))
async def outbox_page(
    access: CurrentAccess,
    session: SessionDep,
    settings: SettingsDep,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> OutboxPage:
    """Mail of this store that no SMTP server took, newest first. The body of a message
    holding an invitation link is shown to owners only."""
    rows, next_cursor = await outbox.page(session, access.store.id, cursor=cursor, limit=limit)
    owner = RANKS.get(access.role, 0) >= RANKS["owner"]
    return OutboxPage(
        smtp_configured=settings.smtp_url is not None,
        items=[
            OutboxEmailOut(
                id=m.id,
                recipient=m.recipient,
                subject=m.subject,
                text_body=m.text_body if owner or not m.owner_only else None,
                error=m.error,
                created_at=m.created_at,
            )
            for m in rows
        ],
        next_cursor=next_cursor,
    )
