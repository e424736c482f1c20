"""Getting in without a terminal: the first sign-up, invites, password resets and the team.

Invite and reset links carry a token signed with `WISMO_SECRET_KEY` that names its purpose
and expires. An invite works once (`accepted_at`) and dies when its row is deleted; a reset
token names a fingerprint of the password it replaces, so it stops working the moment the
password changes (its own use included). Setting a password ends every session of the user.
"""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import service as auth_service
from app.accounts.models import Installation, Invite
from app.core.config import Settings
from app.core.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    RateLimitedError,
    ValidationError,
)
from app.core.rate_limit import Limit, RateLimiter, rate_key
from app.core.security import hash_email, hash_password, sign_token, verify_password, verify_token
from app.core.timeutils import utcnow
from app.db.scoping import for_store
from app.models import Store, StoreMember, User
from app.stores.service import create_store

INVITE_PURPOSE = "invite"
RESET_PURPOSE = "password-reset"
ROLES = ("owner", "admin", "analyst")
MIN_PASSWORD_LENGTH = 8

SIGNUPS_PER_ADDRESS = Limit(count=10, window_seconds=60 * 60)
RESETS_PER_ADDRESS = Limit(count=20, window_seconds=60 * 60)
RESETS_PER_ACCOUNT = Limit(count=5, window_seconds=60 * 60)
TOKEN_USES_PER_ADDRESS = Limit(count=30, window_seconds=15 * 60)


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str


async def _throttle(limiter: RateLimiter, key: str, limit: Limit, what: str) -> None:
    decision = await limiter.hit(key, limit)
    if not decision.allowed:
        raise RateLimitedError(f"too many {what}; try again later", retryAfter=decision.retry_after)


# Sign-up -----------------------------------------------------------------------------------


async def signup_open(session: AsyncSession) -> bool:
    """True until the install has a user (made by sign-up or the CLI)."""
    if await session.get(Installation, 1) is not None:
        return False
    return await session.scalar(select(func.count()).select_from(User)) == 0


async def signup(
    session: AsyncSession,
    limiter: RateLimiter,
    *,
    client: str,
    store_name: str,
    timezone: str,
    currency: str,
    email: str,
    password: str,
    name: str | None,
) -> tuple[User, Store]:
    await _throttle(limiter, rate_key("signup", client), SIGNUPS_PER_ADDRESS, "sign-up attempts")
    if not await signup_open(session):
        raise ConflictError("this install already has an owner: ask them for an invite")
    session.add(Installation(id=1))  # a concurrent second sign-up collides here (409)
    await session.flush()
    store = await create_store(session, store_name, timezone, currency=currency)
    user = User(email=email.strip().lower(), name=name, password_hash=hash_password(password))
    session.add(user)
    await session.flush()
    session.add(StoreMember(store_id=store.id, user_id=user.id, role="owner"))
    await session.flush()
    return user, store


# Invites -----------------------------------------------------------------------------------


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ValidationError(f"role must be one of {', '.join(ROLES)}")


async def list_invites(session: AsyncSession, store_id: uuid.UUID) -> list[Invite]:
    stmt = (
        for_store(Invite, store_id)
        .where(Invite.accepted_at.is_(None), Invite.expires_at > utcnow())
        .order_by(Invite.created_at)
    )
    return list(await session.scalars(stmt))


async def create_invite(
    session: AsyncSession,
    settings: Settings,
    store: Store,
    *,
    email: str,
    role: str,
    invited_by: User | None,
    base_url: str,
) -> tuple[Invite, Mail]:
    """A new invitation (replacing a pending one to the same address) and its email."""
    _check_role(role)
    email = email.strip().lower()
    member = await session.scalar(
        select(StoreMember.user_id)
        .join(User, User.id == StoreMember.user_id)
        .where(StoreMember.store_id == store.id, User.email == email)
    )
    if member is not None:
        raise ConflictError(f"{email} is already a member of this store")
    for pending in await session.scalars(
        for_store(Invite, store.id).where(Invite.email == email, Invite.accepted_at.is_(None))
    ):
        await session.delete(pending)
    ttl = timedelta(hours=settings.invite_ttl_hours)
    invite = Invite(
        store_id=store.id,
        email=email,
        role=role,
        invited_by=invited_by.id if invited_by else None,
        expires_at=utcnow() + ttl,
    )
    session.add(invite)
    await session.flush()
    token = sign_token(
        settings.secret_key,
        INVITE_PURPOSE,
        {"s": str(store.id), "i": str(invite.id)},
        int(ttl.total_seconds()),
    )
    inviter = (invited_by.name or invited_by.email) if invited_by else "The owner"
    link = f"{base_url}/invite#{token}"
    text = (
        f"{inviter} invited you to {store.name} on WISMO Analytics as {role}.\n\n"
        f"Choose your name and password here (the link works once and expires in "
        f"{settings.invite_ttl_hours} hours):\n{link}\n\n"
        "If you did not expect this invitation, ignore this message.\n"
    )
    return invite, Mail(email, f"You are invited to {store.name} on WISMO Analytics", text)


async def revoke_invite(session: AsyncSession, store_id: uuid.UUID, invite_id: uuid.UUID) -> Invite:
    invite = (
        await session.scalars(
            for_store(Invite, store_id).where(Invite.id == invite_id, Invite.accepted_at.is_(None))
        )
    ).first()
    if invite is None:
        raise NotFoundError("invite not found")
    await session.delete(invite)
    await session.flush()
    return invite


async def _live_invite(session: AsyncSession, settings: Settings, token: str) -> Invite:
    payload = verify_token(settings.secret_key, INVITE_PURPOSE, token)
    invalid = NotFoundError("this invitation link is invalid, used or expired")
    if payload is None:
        raise invalid
    try:
        store_id, invite_id = uuid.UUID(payload["s"]), uuid.UUID(payload["i"])
    except (KeyError, ValueError):
        raise invalid from None
    invite = (
        await session.scalars(for_store(Invite, store_id).where(Invite.id == invite_id))
    ).first()
    if invite is None or invite.accepted_at is not None or invite.expires_at <= utcnow():
        raise invalid
    return invite


async def preview_invite(
    session: AsyncSession, settings: Settings, limiter: RateLimiter, token: str, client: str
) -> tuple[Invite, Store, bool]:
    """(invite, store, whether the invited address already has an account)."""
    await _throttle(limiter, rate_key("token", client), TOKEN_USES_PER_ADDRESS, "link attempts")
    invite = await _live_invite(session, settings, token)
    store = await session.get(Store, invite.store_id)
    assert store is not None
    existing = await session.scalar(select(User.id).where(User.email == invite.email))
    return invite, store, existing is not None


async def accept_invite(
    session: AsyncSession,
    settings: Settings,
    limiter: RateLimiter,
    *,
    token: str,
    name: str | None,
    password: str,
    client: str,
) -> tuple[User, Invite]:
    """Join the store. A new address sets its name and password; an existing account proves
    itself with its current password (an invite link never changes someone's password)."""
    await _throttle(limiter, rate_key("token", client), TOKEN_USES_PER_ADDRESS, "link attempts")
    invite = await _live_invite(session, settings, token)
    user = (await session.scalars(select(User).where(User.email == invite.email))).first()
    if user is None:
        if len(password) < MIN_PASSWORD_LENGTH:
            raise ValidationError(f"password: at least {MIN_PASSWORD_LENGTH} characters")
        user = User(email=invite.email, name=name, password_hash=hash_password(password))
        session.add(user)
        await session.flush()
    elif not verify_password(user.password_hash, password):
        raise AuthenticationError("this address already has an account: enter its password")
    member = await session.get(StoreMember, (invite.store_id, user.id))
    if member is None:
        session.add(StoreMember(store_id=invite.store_id, user_id=user.id, role=invite.role))
    invite.accepted_at = utcnow()
    await session.flush()
    return user, invite


# Password reset ----------------------------------------------------------------------------


def _password_fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:32]


async def request_password_reset(
    session: AsyncSession,
    settings: Settings,
    limiter: RateLimiter,
    *,
    email: str,
    client: str,
    base_url: str,
) -> Mail | None:
    """The reset email for the account, or None; the caller answers the same either way."""
    email = email.strip().lower()
    await _throttle(limiter, rate_key("reset-address", client), RESETS_PER_ADDRESS, "requests")
    user = (await session.scalars(select(User).where(User.email == email))).first()
    if user is None:
        return None
    account = rate_key("reset-account", hash_email(email))
    if not (await limiter.hit(account, RESETS_PER_ACCOUNT)).allowed:
        return None  # a mailbox is not flooded; the answer stays the same
    ttl = settings.password_reset_ttl_minutes * 60
    token = sign_token(
        settings.secret_key,
        RESET_PURPOSE,
        {"u": str(user.id), "h": _password_fingerprint(user.password_hash)},
        ttl,
    )
    text = (
        "Someone asked to reset the password of your WISMO Analytics account.\n\n"
        f"Choose a new password here (the link works once and expires in "
        f"{settings.password_reset_ttl_minutes} minutes):\n{base_url}/reset-password#{token}\n\n"
        "If it was not you, ignore this message: your password stays as it is.\n"
    )
    return Mail(user.email, "Reset your WISMO Analytics password", text)


async def reset_password(
    session: AsyncSession,
    settings: Settings,
    limiter: RateLimiter,
    *,
    token: str,
    password: str,
    client: str,
) -> User:
    """Set the new password; the token stops working and every session of the user ends."""
    await _throttle(limiter, rate_key("token", client), TOKEN_USES_PER_ADDRESS, "link attempts")
    payload = verify_token(settings.secret_key, RESET_PURPOSE, token)
    invalid = NotFoundError("this reset link is invalid, used or expired")
    if payload is None:
        raise invalid
    try:
        user_id = uuid.UUID(payload["u"])
    except (KeyError, ValueError):
        raise invalid from None
    user = await session.get(User, user_id, with_for_update=True)
    if user is None or payload.get("h") != _password_fingerprint(user.password_hash):
        raise invalid
    user.password_hash = hash_password(password)
    await auth_service.end_sessions(session, user.id)
    await session.flush()
    return user


# Team --------------------------------------------------------------------------------------


async def list_members(
    session: AsyncSession, store_id: uuid.UUID
) -> list[tuple[User, StoreMember]]:
    rows = await session.execute(
        select(User, StoreMember)
        .join(StoreMember, StoreMember.user_id == User.id)
        .where(StoreMember.store_id == store_id)
        .order_by(User.email)
    )
    return [(user, member) for user, member in rows.all()]


async def _member(session: AsyncSession, store_id: uuid.UUID, user_id: uuid.UUID) -> StoreMember:
    member = (
        await session.scalars(
            for_store(StoreMember, store_id).where(StoreMember.user_id == user_id).with_for_update()
        )
    ).first()
    if member is None:
        raise NotFoundError("member not found")
    return member


async def _refuse_last_owner(
    session: AsyncSession, store_id: uuid.UUID, member: StoreMember
) -> None:
    if member.role != "owner":
        return
    owners = list(
        await session.scalars(
            for_store(StoreMember, store_id).where(StoreMember.role == "owner").with_for_update()
        )
    )
    if len(owners) <= 1:
        raise ConflictError("a store keeps at least one owner: make someone else owner first")


async def change_role(
    session: AsyncSession, store_id: uuid.UUID, user_id: uuid.UUID, role: str
) -> tuple[StoreMember, str]:
    """(member, previous role)."""
    _check_role(role)
    member = await _member(session, store_id, user_id)
    previous = member.role
    if role != "owner":
        await _refuse_last_owner(session, store_id, member)
    member.role = role
    await session.flush()
    return member, previous


async def remove_member(session: AsyncSession, store_id: uuid.UUID, user_id: uuid.UUID) -> User:
    member = await _member(session, store_id, user_id)
    await _refuse_last_owner(session, store_id, member)
    user = await session.get(User, user_id)
    assert user is not None
    await session.delete(member)
    await session.flush()
    return user
