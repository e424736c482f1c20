import uuid
from datetime import timedelta

from fastapi import APIRouter, Request, Response

from app.accounts import service as auth_service
from app.accounts.schemas import (
    LoginRequest,
    LoginResponse,
    Me,
    PasswordChange,
    StoreMembershipOut,
    UserOut,
)
from app.api.deps import (
    SESSION_COOKIE,
    CurrentUser,
    RateLimiterDep,
    SessionDep,
    SettingsDep,
    client_address,
    session_token,
)
from app.api.errors import responses
from app.api.roles import PUBLIC, USER

router = APIRouter(prefix="/auth", tags=["auth"])


async def start_cookie_session(
    session: SessionDep,
    settings: SettingsDep,
    request: Request,
    response: Response,
    user_id: uuid.UUID,
) -> str:
    """A new session for the user, set as the httpOnly cookie; returns its token."""
    ttl = timedelta(hours=settings.session_ttl_hours)
    token = await auth_service.start_session(session, user_id, ttl)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(ttl.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies or request.url.scheme == "https",
        path="/",
    )
    return token


async def me_of(session: SessionDep, user_id: uuid.UUID, email: str) -> Me:
    stores = await auth_service.memberships(session, user_id)
    return Me(
        user=UserOut(id=user_id, email=email),
        stores=[
            StoreMembershipOut(
                id=m.store.id,
                name=m.store.name,
                timezone=m.store.timezone,
                currency=m.store.currency,
                role=m.role,
            )
            for m in stores
        ],
    )


@router.post(
    "/login",
    dependencies=[PUBLIC],
    responses=responses(401, 413, 422, 429),
    description=(
        "Starts a session (httpOnly cookie). Failed logins are limited per account and per "
        "client address (429 with Retry-After)."
    ),
)
async def login(
    body: LoginRequest,
    request: Request,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    limiter: RateLimiterDep,
) -> LoginResponse:
    user = await auth_service.login(
        session, limiter, body.email, body.password, client_address(request)
    )
    token = await start_cookie_session(session, settings, request, response, user.id)
    me = await me_of(session, user.id, user.email)
    if body.return_token:
        return LoginResponse(
            access_token=token,
            token_type="bearer",  # noqa: S106 (a token type)
            user=me.user,
            stores=me.stores,
        )
    return LoginResponse(user=me.user, stores=me.stores)


@router.get("/me", dependencies=[USER], responses=responses(401))
async def me(user: CurrentUser, session: SessionDep) -> Me:
    return await me_of(session, user.id, user.email)


@router.post(
    "/logout",
    dependencies=[PUBLIC],
    status_code=204,
    description="Ends the session (cookie or bearer).",
)
async def logout(request: Request, response: Response, session: SessionDep) -> None:
    token = session_token(request)
    if token:
        await auth_service.end_session(session, token)
    response.delete_cookie(SESSION_COOKIE, path="/")


@router.post(
    "/password",
    dependencies=[USER],
    status_code=204,
    responses=responses(401, 422),
    description="Changes the password; every other session of the user ends.",
)
async def change_password(
    body: PasswordChange, request: Request, user: CurrentUser, session: SessionDep
) -> None:
    await auth_service.change_password(
        session,
        user,
        body.current_password,
        body.new_password,
        keep=getattr(request.state, "session_id", None),
    )
