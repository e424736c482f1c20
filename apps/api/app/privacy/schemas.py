from typing import Any

from pydantic import EmailStr

from app.core.schemas import CamelModel


class EraseRequest(CamelModel):
    email: EmailStr


class EraseResult(CamelModel):
    customers: int
    orders: int
    messages: int
    feedback: int
    alerts: int


class PrivacyExport(CamelModel):
    email: str
    customers: list[dict[str, Any]]
    orders: list[dict[str, Any]]
    inquiries: list[dict[str, Any]]
    conversations: list[dict[str, Any]]
