import uuid
from datetime import datetime
from typing import Literal

from pydantic import EmailStr, Field

from app.core.schemas import CamelModel


class LoginRequest(CamelModel):
    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=1000)
    return_token: bool = Field(
        default=False,
        description="also return the session token for an Authorization: Bearer header "
        "(scripts); browsers use the httpOnly cookie and should not ask for it",
    )


class PasswordChange(CamelModel):
    current_password: str = Field(min_length=1, max_length=1000)
    new_password: str = Field(min_length=8, max_length=1000)


class UserOut(CamelModel):
    id: uuid.UUID
    email: str


class StoreMembershipOut(CamelModel):
    id: uuid.UUID
    name: str
    timezone: str
    currency: str
    role: str


class Me(CamelModel):
    user: UserOut
    stores: list[StoreMembershipOut]


class LoginResponse(Me):
    access_token: str | None = Field(default=None, description="only when `returnToken` was set")
    token_type: str | None = None


class StoreOut(CamelModel):
    id: uuid.UUID
    name: str
    timezone: str
    currency: str
    domain: str | None


class ApiKeyOut(CamelModel):
    id: uuid.UUID
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="shown once; only its hash is stored")


class ApiKeyCreate(CamelModel):
    name: str = Field(default="default", min_length=1, max_length=200)


Role = Literal["owner", "admin", "analyst"]
Password = Field(min_length=8, max_length=1000, description="at least 8 characters")


class SignupStatus(CamelModel):
    open: bool = Field(description="true until the install's first owner has signed up")


class SignupRequest(CamelModel):
    store_name: str = Field(min_length=1, max_length=200)
    timezone: str = Field(min_length=1, max_length=64, description="IANA name, e.g. Europe/Paris")
    currency: str = Field(default="USD", min_length=3, max_length=3)
    name: str | None = Field(default=None, max_length=200)
    email: EmailStr = Field(max_length=320)
    password: str = Password


class InviteCreate(CamelModel):
    email: EmailStr = Field(max_length=320)
    role: Role


class InviteOut(CamelModel):
    id: uuid.UUID
    email: str
    role: str
    created_at: datetime
    expires_at: datetime


class InviteCreated(InviteOut):
    emailed: bool = Field(description="false when the mail went to the outbox (no SMTP server)")


class InvitePreview(CamelModel):
    email: str
    role: str
    store_name: str
    has_account: bool = Field(
        description="the address already has an account: accept with its current password"
    )


class InviteAccept(CamelModel):
    token: str = Field(min_length=10, max_length=1000)
    name: str | None = Field(default=None, max_length=200)
    password: str = Field(min_length=1, max_length=1000)


class TokenOnly(CamelModel):
    token: str = Field(min_length=10, max_length=1000)


class PasswordResetRequest(CamelModel):
    email: EmailStr = Field(max_length=320)


class PasswordResetConfirm(CamelModel):
    token: str = Field(min_length=10, max_length=1000)
    password: str = Password


class Accepted(CamelModel):
    detail: str


class MemberOut(CamelModel):
    user_id: uuid.UUID
    email: str
    name: str | None
    role: str
    joined_at: datetime


class Team(CamelModel):
    members: list[MemberOut]
    invites: list[InviteOut]


class RoleChange(CamelModel):
    role: Role


class AuditEventOut(CamelModel):
    id: uuid.UUID
    actor: str
    action: str
    target: str
    ip: str | None
    at: datetime


class AuditPage(CamelModel):
    items: list[AuditEventOut]
    next_cursor: str | None
