"""Team (owners): members, invitations, roles; and the audit log (owners)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from app.accounts import audit
from app.accounts import team as accounts
from app.accounts.dependencies import AuditorDep, BaseUrlDep
from app.accounts.schemas import (
    AuditEventOut,
    AuditPage,
    InviteCreate,
    InviteCreated,
    InviteOut,
    MemberOut,
    RoleChange,
    Team,
)
from app.api.deps import CurrentStore, CurrentUser, SessionDep, SettingsDep
from app.api.errors import responses
from app.api.roles import OWNER
from app.models import User
from app.notifications.email import send_email

router = APIRouter(prefix="/settings", tags=["settings"])


@router.get("/team", dependencies=[OWNER], responses=responses(401, 404))
async def team(store: CurrentStore, session: SessionDep) -> Team:
    members = await accounts.list_members(session, store.id)
    invites = await accounts.list_invites(session, store.id)
    return Team(
        members=[
            MemberOut(
                user_id=user.id,
                email=user.email,
                name=user.name,
                role=member.role,
                joined_at=member.created_at,
            )
            for user, member in members
        ],
        invites=[InviteOut.model_validate(i) for i in invites],
    )


@router.post(
    "/team/invites",
    dependencies=[OWNER],
    status_code=201,
    responses=responses(401, 404, 409, 422),
    description=(
        "Emails a single-use invitation link (or, without SMTP, puts it in the outbox). "
        "A pending invitation to the same address is replaced."
    ),
)
async def invite(
    body: InviteCreate,
    store: CurrentStore,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    auditor: AuditorDep,
    base_url: BaseUrlDep,
) -> InviteCreated:
    row, mail = await accounts.create_invite(
        session,
        settings,
        store,
        email=body.email,
        role=body.role,
        invited_by=user,
        base_url=base_url,
    )
    emailed = await send_email(
        session,
        settings,
        to=mail.to,
        subject=mail.subject,
        text=mail.text,
        store_id=store.id,
        owner_only=True,
    )
    await auditor.record("invite.created", f"{row.email} as {row.role}")
    return InviteCreated(**InviteOut.model_validate(row).model_dump(), emailed=emailed)


@router.delete(
    "/team/invites/{invite_id}",
    dependencies=[OWNER],
    status_code=204,
    responses=responses(401, 404),
)
async def revoke_invite(
    invite_id: uuid.UUID, store: CurrentStore, session: SessionDep, auditor: AuditorDep
) -> None:
    row = await accounts.revoke_invite(session, store.id, invite_id)
    await auditor.record("invite.revoked", row.email)


@router.put(
    "/team/members/{user_id}/role",
    dependencies=[OWNER],
    responses=responses(401, 404, 409, 422),
    description="The last owner of a store cannot be demoted (409).",
)
async def change_role(
    user_id: uuid.UUID,
    body: RoleChange,
    store: CurrentStore,
    session: SessionDep,
    auditor: AuditorDep,
) -> MemberOut:
    member, previous = await accounts.change_role(session, store.id, user_id, body.role)
    target = await session.get(User, user_id)
    assert target is not None
    await auditor.record("member.role_changed", f"{target.email}: {previous} -> {member.role}")
    return MemberOut(
        user_id=user_id,
        email=target.email,
        name=target.name,
        role=member.role,
        joined_at=member.created_at,
    )


@router.delete(
    "/team/members/{user_id}",
    dependencies=[OWNER],
    status_code=204,
    responses=responses(401, 404, 409),
    description="Removes the member from this store; the last owner cannot be removed (409).",
)
async def remove_member(
    user_id: uuid.UUID, store: CurrentStore, session: SessionDep, auditor: AuditorDep
) -> None:
    user = await accounts.remove_member(session, store.id, user_id)
    await auditor.record("member.removed", user.email)


@router.get("/audit", dependencies=[OWNER], responses=responses(401, 404, 422))
async def audit_log(
    store: CurrentStore,
    session: SessionDep,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> AuditPage:
    """Role, invite, API key, settings and erasure changes, newest first."""
    rows, next_cursor = await audit.page(session, store.id, cursor=cursor, limit=limit)
    return AuditPage(items=[AuditEventOut.model_validate(r) for r in rows], next_cursor=next_cursor)
