import uuid
from datetime import datetime

from pydantic import Field

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
