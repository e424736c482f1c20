import uuid

from fastapi import APIRouter, Request, Response

from app.api.deps import SESSION_COOKIE, SESSION_PURPOSE, CurrentUser, SessionDep, SettingsDep
from app.api.errors import responses
from app.core.security import sign_token
from app.schemas.auth import LoginRequest, LoginResponse, Me, StoreMembershipOut, UserOut
from app.services import auth as auth_service

router = APIRouter(prefix="/auth", tags=["auth"])


async def _me(session: SessionDep, user_id: uuid.UUID, email: str) -> Me:
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


@router.post("/login", responses=responses(401, 422))
async def login(
    body: LoginRequest,
    request: Request,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
) -> LoginResponse:
    user = await auth_service.authenticate(session, body.email, body.password)
    ttl = settings.session_ttl_hours * 3600
    token = sign_token(settings.secret_key, SESSION_PURPOSE, {"uid": str(user.id)}, ttl)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=ttl,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies or request.url.scheme == "https",
        path="/",
    )
    me = await _me(session, user.id, user.email)
    return LoginResponse(access_token=token, user=me.user, stores=me.stores)


@router.get("/me", responses=responses(401))
async def me(user: CurrentUser, session: SessionDep) -> Me:
    return await _me(session, user.id, user.email)


@router.post("/logout", status_code=204)
async def logout(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")
