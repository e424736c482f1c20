"""Getting in: the first sign-up, accepting an invite, resetting a forgotten password.

All public and bounded like the login: the anonymous body limit (`/api/v1/auth/`), a rate
limit per client address, and signed single-use links.
"""

from fastapi import APIRouter, BackgroundTasks, Request, Response

from app.accounts import audit
from app.accounts import team as accounts
from app.accounts.dependencies import BaseUrlDep
from app.accounts.router import me_of, start_cookie_session
from app.accounts.schemas import (
    Accepted,
    InviteAccept,
    InvitePreview,
    Me,
    PasswordResetConfirm,
    PasswordResetRequest,
    SignupRequest,
    SignupStatus,
    TokenOnly,
)
from app.api.deps import RateLimiterDep, SessionDep, SettingsDep, client_address
from app.api.errors import responses
from app.api.roles import PUBLIC
from app.core.config import Settings
from app.db.session import Database
from app.notifications.email import send_email

router = APIRouter(prefix="/auth", tags=["auth"])

RESET_ANSWER = "if an account uses this address, a reset link is on its way"


@router.get("/signup", dependencies=[PUBLIC])
async def signup_status(session: SessionDep) -> SignupStatus:
    """Whether this install still waits for its first owner."""
    return SignupStatus(open=await accounts.signup_open(session))


@router.post(
    "/signup",
    dependencies=[PUBLIC],
    status_code=201,
    responses=responses(409, 413, 422, 429),
    description=(
        "Creates the install's first store and its owner, and logs them in. Once anyone has "
        "an account, 409: people join by invite."
    ),
)
async def signup(
    body: SignupRequest,
    request: Request,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    limiter: RateLimiterDep,
) -> Me:
    ip = client_address(request)
    user, store = await accounts.signup(
        session,
        limiter,
        client=ip,
        store_name=body.store_name,
        timezone=body.timezone,
        currency=body.currency,
        email=body.email,
        password=body.password,
        name=body.name,
    )
    await audit.record(
        session, store.id, actor=user.email, action="store.created", target=store.name, ip=ip
    )
    await start_cookie_session(session, settings, request, response, user.id)
    return await me_of(session, user.id, user.email)


@router.post(
    "/invites/preview",
    dependencies=[PUBLIC],
    responses=responses(404, 413, 422, 429),
    description="What an invitation link offers (store, role, address), without using it.",
)
async def preview_invite(
    body: TokenOnly,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    limiter: RateLimiterDep,
) -> InvitePreview:
    invite, store, has_account = await accounts.preview_invite(
        session, settings, limiter, body.token, client_address(request)
    )
    return InvitePreview(
        email=invite.email, role=invite.role, store_name=store.name, has_account=has_account
    )


@router.post(
    "/invites/accept",
    dependencies=[PUBLIC],
    responses=responses(401, 404, 413, 422, 429),
    description=(
        "Joins the store with the invited role and logs in. A new address sets its name and "
        "password (at least 8 characters); an existing account gives its current password. "
        "The link works once."
    ),
)
async def accept_invite(
    body: InviteAccept,
    request: Request,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    limiter: RateLimiterDep,
) -> Me:
    ip = client_address(request)
    user, invite = await accounts.accept_invite(
        session,
        settings,
        limiter,
        token=body.token,
        name=body.name,
        password=body.password,
        client=ip,
    )
    await audit.record(
        session,
        invite.store_id,
        actor=user.email,
        action="invite.accepted",
        target=f"{user.email} as {invite.role}",
        ip=ip,
    )
    await start_cookie_session(session, settings, request, response, user.id)
    return await me_of(session, user.id, user.email)


async def _send_after_response(database: Database, settings: Settings, mail: accounts.Mail) -> None:
    async with database.writer() as session:
        await send_email(session, settings, to=mail.to, subject=mail.subject, text=mail.text)
        await session.commit()


@router.post(
    "/password-reset",
    dependencies=[PUBLIC],
    status_code=202,
    responses=responses(413, 422, 429),
    description=(
        "Emails a single-use reset link when an account uses this address; the answer is the "
        "same whether or not one does."
    ),
)
async def request_password_reset(
    body: PasswordResetRequest,
    request: Request,
    background: BackgroundTasks,
    session: SessionDep,
    settings: SettingsDep,
    limiter: RateLimiterDep,
    base_url: BaseUrlDep,
) -> Accepted:
    mail = await accounts.request_password_reset(
        session,
        settings,
        limiter,
        email=body.email,
        client=client_address(request),
        base_url=base_url,
    )
    if mail is not None:
        if settings.smtp_url:
            # After the response, so that its timing does not tell whether the account exists.
            background.add_task(_send_after_response, request.app.state.db, settings, mail)
        else:
            await send_email(session, settings, to=mail.to, subject=mail.subject, text=mail.text)
    return Accepted(detail=RESET_ANSWER)


@router.post(
    "/password-reset/confirm",
    dependencies=[PUBLIC],
    status_code=204,
    responses=responses(404, 413, 422, 429),
    description="Sets the new password; the link stops working and every session ends.",
)
async def confirm_password_reset(
    body: PasswordResetConfirm,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    limiter: RateLimiterDep,
) -> None:
    await accounts.reset_password(
        session,
        settings,
        limiter,
        token=body.token,
        password=body.password,
        client=client_address(request),
    )
