"""Users, sessions, logins, memberships and API keys; no HTTP here."""

import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import AuthenticationError, ConflictError, NotFoundError, RateLimitedError
from app.core.logging import get_logger
from app.core.rate_limit import Limit, RateLimiter, rate_key
from app.core.security import (
    api_key_display_prefix,
    generate_api_key,
    hash_api_key,
    hash_email,
    hash_password,
    verify_password,
)
from app.core.timeutils import utcnow
from app.models import ApiKey, Store, StoreMember, User, UserSession

if TYPE_CHECKING:
    from app.db.session import Database

log = get_logger(__name__)


#: Store API keys act as admin for their store (DESIGN 8), without team or erasure rights.
API_KEY_ROLE = "admin"


@dataclass
class Membership:
    store: Store
    role: str


#: Failed logins per account (known or not: the answer must not tell) and per client address.
LOGIN_FAILURES_PER_ACCOUNT = Limit(count=10, window_seconds=15 * 60)
LOGIN_FAILURES_PER_ADDRESS = Limit(count=50, window_seconds=15 * 60)
SESSION_TOKEN_PREFIX = "wsess_"  # noqa: S105 (a prefix, not a secret)


@cache
def _decoy_hash() -> str:
    """Verified against when the account does not exist, so both answers take as long."""
    return hash_password(secrets.token_urlsafe(16))


async def authenticate(session: AsyncSession, email: str, password: str) -> User:
    user = (await session.scalars(select(User).where(User.email == email.lower()))).first()
    valid = verify_password(user.password_hash if user else _decoy_hash(), password)
    if user is None or not valid:
        raise AuthenticationError("wrong email or password")
    return user


async def login(
    session: AsyncSession, limiter: RateLimiter, email: str, password: str, client: str
) -> User:
    """`authenticate`, refused (429) while the account or the address has too many recent
    failures; a success clears the account's count."""
    email = email.strip().lower()
    limits = (
        (rate_key("login-account", hash_email(email)), LOGIN_FAILURES_PER_ACCOUNT),
        (rate_key("login-address", client), LOGIN_FAILURES_PER_ADDRESS),
    )
    for key, limit in limits:
        decision = await limiter.check(key, limit)
        if not decision.allowed:
            raise RateLimitedError(
                "too many failed logins; try again later", retryAfter=decision.retry_after
            )
    try:
        user = await authenticate(session, email, password)
    except AuthenticationError:
        for key, limit in limits:
            await limiter.hit(key, limit)
        raise
    await limiter.reset(*limits[0])
    return user


async def start_session(session: AsyncSession, user_id: uuid.UUID, ttl: timedelta) -> str:
    """A new session for the user; returns its token (only a hash of it is stored)."""
    now = utcnow()
    await session.execute(
        delete(UserSession).where(UserSession.user_id == user_id, UserSession.expires_at <= now)
    )
    token = SESSION_TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(UserSession(user_id=user_id, token_hash=hash_api_key(token), expires_at=now + ttl))
    await session.flush()
    return token


async def user_for_session(session: AsyncSession, token: str) -> tuple[User, uuid.UUID] | None:
    """(user, session id) of a live session token, else None."""
    row = (
        await session.execute(
            select(User, UserSession.id)
            .join(UserSession, UserSession.user_id == User.id)
            .where(UserSession.token_hash == hash_api_key(token), UserSession.expires_at > utcnow())
        )
    ).first()
    return (row[0], row[1]) if row is not None else None


async def session_alive(session: AsyncSession, session_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(UserSession.id).where(
            UserSession.id == session_id, UserSession.expires_at > utcnow()
        )
    )
    return found is not None


async def end_session(session: AsyncSession, token: str) -> None:
    await session.execute(delete(UserSession).where(UserSession.token_hash == hash_api_key(token)))


async def end_sessions(
    session: AsyncSession, user_id: uuid.UUID, *, keep: uuid.UUID | None = None
) -> None:
    """End every session of the user (but `keep`)."""
    stmt = delete(UserSession).where(UserSession.user_id == user_id)
    if keep is not None:
        stmt = stmt.where(UserSession.id != keep)
    await session.execute(stmt)


async def change_password(
    session: AsyncSession, user: User, current: str, new: str, *, keep: uuid.UUID | None
) -> None:
    """Set a new password after checking the current one; the user's other sessions end."""
    if not verify_password(user.password_hash, current):
        raise AuthenticationError("the current password is wrong")
    user.password_hash = hash_password(new)
    await end_sessions(session, user.id, keep=keep)
    await session.flush()


async def memberships(session: AsyncSession, user_id: uuid.UUID) -> list[Membership]:
    rows = await session.execute(
        select(Store, StoreMember.role)
        .join(StoreMember, StoreMember.store_id == Store.id)
        .where(StoreMember.user_id == user_id)
        .order_by(Store.name)
    )
    return [Membership(store, role) for store, role in rows.all()]


async def create_user(
    session: AsyncSession, email: str, password: str, store_id: uuid.UUID, role: str = "owner"
) -> User:
    store = await session.get(Store, store_id)
    if store is None:
        raise NotFoundError(f"store {store_id} not found")
    user = (await session.scalars(select(User).where(User.email == email.lower()))).first()
    if user is None:
        user = User(email=email.lower(), password_hash=hash_password(password))
        session.add(user)
        await session.flush()
    else:
        user.password_hash = hash_password(password)
        await end_sessions(session, user.id)  # a new password ends every session
    member = await session.get(StoreMember, (store_id, user.id))
    if member is None:
        session.add(StoreMember(store_id=store_id, user_id=user.id, role=role))
    else:
        member.role = role
    await session.flush()
    return user


async def create_api_key(
    session: AsyncSession, store_id: uuid.UUID, name: str = "default"
) -> tuple[ApiKey, str]:
    """Returns the row and the key itself, which is shown once and never stored."""
    if await session.get(Store, store_id) is None:
        raise NotFoundError(f"store {store_id} not found")
    key = generate_api_key()
    row = ApiKey(
        store_id=store_id, name=name, key_hash=hash_api_key(key), prefix=api_key_display_prefix(key)
    )
    session.add(row)
    await session.flush()
    return row, key


KEY_USE_RESOLUTION = timedelta(minutes=1)


async def store_for_api_key(
    session: AsyncSession, key: str
) -> tuple[Store, uuid.UUID, bool] | None:
    """(store, key id, whether last_used_at is stale) for a live key, else None."""
    found = (
        await session.execute(
            select(ApiKey, Store)
            .join(Store, Store.id == ApiKey.store_id)
            .where(ApiKey.key_hash == hash_api_key(key), ApiKey.revoked_at.is_(None))
        )
    ).first()
    if found is None:
        return None
    row, store = found
    stale = row.last_used_at is None or utcnow() - row.last_used_at > KEY_USE_RESOLUTION
    return store, row.id, stale


async def touch_api_key(database: "Database", key_id: uuid.UUID) -> None:
    """Record a key's use (to the minute) in a transaction of its own; best effort."""
    try:
        async with database.writer() as session:
            await session.execute(
                update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=utcnow())
            )
            await session.commit()
    except Exception as exc:  # never fail a request over bookkeeping
        log.warning("api key use not recorded", error=type(exc).__name__)


async def list_api_keys(session: AsyncSession, store_id: uuid.UUID) -> list[ApiKey]:
    return list(
        await session.scalars(
            select(ApiKey).where(ApiKey.store_id == store_id).order_by(ApiKey.created_at)
        )
    )


async def revoke_api_key(session: AsyncSession, store_id: uuid.UUID, key_id: uuid.UUID) -> ApiKey:
    row = (
        await session.scalars(
            select(ApiKey).where(ApiKey.store_id == store_id, ApiKey.id == key_id)
        )
    ).first()
    if row is None:
        raise NotFoundError("API key not found")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    return row


async def ensure_unique_domain(session: AsyncSession, domain: str | None) -> None:
    if domain and (await session.scalars(select(Store).where(Store.domain == domain))).first():
        raise ConflictError(f"a store with domain {domain} already exists")
