"""Dependencies as Annotated aliases: SessionDep, CurrentUser, CurrentStore, CurrentAccess,
RateLimiterDep."""

import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import BackgroundTasks, Depends, Header, Request
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import service as auth_service
from app.core.config import Settings
from app.core.errors import AuthenticationError, NotFoundError, ValidationError
from app.core.events import publish_touched
from app.core.rate_limit import RateLimiter, limiter_for
from app.core.security import API_KEY_PREFIX, api_key_display_prefix
from app.db.session import Database
from app.models import Store, User

SESSION_COOKIE = "wismo_session"


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per request, committed when the route returns, before the response."""
    database: Database = request.app.state.db
    opener = database.sessionmaker() if request.method in SAFE_METHODS else database.writer()
    async with opener as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise
    await publish_touched(session, getattr(request.app.state, "bus", None))


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]


def client_address(request: Request) -> str:
    """The client's address as the server sees it: the peer, or behind one of
    WISMO_TRUSTED_PROXIES the X-Forwarded-For client (uvicorn resolves it)."""
    return request.client.host if request.client else "unknown"


def get_rate_limiter(request: Request) -> RateLimiter:
    return limiter_for(request.app.state)


RateLimiterDep = Annotated[RateLimiter, Depends(get_rate_limiter)]


def bearer_token(authorization: str | None) -> str | None:
    scheme, _, value = (authorization or "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def session_token(request: Request) -> str | None:
    """The dashboard session token: a bearer token that is not an API key, or the cookie."""
    token = bearer_token(request.headers.get("authorization"))
    if token is not None and token.startswith(API_KEY_PREFIX):
        return None  # an API key names a store, not a user
    return token or request.cookies.get(SESSION_COOKIE)


async def user_from_session_token(
    session: AsyncSession, token: str | None
) -> tuple[User, uuid.UUID] | None:
    """(user, session id), None without a token; a dead or unknown token is a 401."""
    if not token:
        return None
    found = await auth_service.user_for_session(session, token)
    if found is None:
        raise AuthenticationError("session expired or invalid; log in again")
    return found


@dataclass(frozen=True)
class StoreAccess:
    """The current store and the caller's role in it: a member's role, or for a store API
    key `API_KEY_ROLE` (DESIGN 8: keys act as admin for their store)."""

    store: Store
    role: str
    actor: str = ""  # who acts, for the audit log: the user's email or the key's prefix


async def resolve_access(
    session: AsyncSession,
    *,
    bearer: str | None,
    cookie: str | None,
    store_id: str | None,
    on_key_used: Callable[[uuid.UUID], None] | None = None,
    on_session: Callable[[uuid.UUID], None] | None = None,
) -> StoreAccess:
    """The API key's store, or for a user the store `store_id` among their memberships.

    Another store's id answers 404, exactly like an unknown one.
    """
    if bearer is not None and bearer.startswith(API_KEY_PREFIX):
        found = await auth_service.store_for_api_key(session, bearer)
        if found is None:
            raise AuthenticationError("unknown or revoked API key")
        store, key_id, stale = found
        if stale and on_key_used is not None:
            on_key_used(key_id)
        return StoreAccess(
            store, auth_service.API_KEY_ROLE, f"API key {api_key_display_prefix(bearer)}"
        )
    login = await user_from_session_token(session, bearer or cookie)
    if login is None:
        raise AuthenticationError("log in or send a store API key")
    user, session_id = login
    if on_session is not None:
        on_session(session_id)
    stores = await auth_service.memberships(session, user.id)
    if store_id is None:
        if len(stores) == 1:
            return StoreAccess(stores[0].store, stores[0].role, user.email)
        raise ValidationError("send the X-Store-Id header: this user belongs to several stores")
    try:
        wanted = uuid.UUID(store_id)
    except ValueError:
        raise ValidationError("X-Store-Id is not a valid store id") from None
    for membership in stores:
        if membership.store.id == wanted:
            return StoreAccess(membership.store, membership.role, user.email)
    raise NotFoundError("store not found")


async def get_current_user(request: Request, session: SessionDep) -> User:
    found = await user_from_session_token(session, session_token(request))
    if found is None:
        raise AuthenticationError("log in to the dashboard")
    user, request.state.session_id = found
    return user


async def get_current_access(
    request: Request,
    session: SessionDep,
    background: BackgroundTasks,
    x_store_id: Annotated[str | None, Header(description="the store, for dashboard users")] = None,
) -> StoreAccess:
    """The API key's store, or for a user the `X-Store-Id` among their memberships; with
    the caller's role there."""
    database: Database = request.app.state.db

    def touch(key_id: uuid.UUID) -> None:
        # Outside the request's transaction: a read never becomes a write because of it.
        background.add_task(auth_service.touch_api_key, database, key_id)

    return await resolve_access(
        session,
        bearer=bearer_token(request.headers.get("authorization")),
        cookie=request.cookies.get(SESSION_COOKIE),
        store_id=x_store_id,
        on_key_used=touch,
        on_session=lambda session_id: setattr(request.state, "session_id", session_id),
    )


CurrentAccess = Annotated[StoreAccess, Depends(get_current_access)]


async def get_current_store(access: CurrentAccess) -> Store:
    """The API key's store, or for a user the `X-Store-Id` among their memberships."""
    return access.store


CurrentUser = Annotated[User, Depends(get_current_user)]
CurrentStore = Annotated[Store, Depends(get_current_store)]
