from typing import Literal

from pydantic import Field

from app.core.schemas import CamelModel


class StoreUpdate(CamelModel):
    """Only the fields sent change; `domain: null` clears it."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    domain: str | None = Field(default=None, max_length=255, description="SHOP.myshopify.com")


class SetupInstruction(CamelModel):
    label: str
    kind: Literal["url", "snippet"]
    value: str = Field(description="the URL to paste into a provider, or a snippet to copy")
    note: str | None = None


class SetupStep(CamelModel):
    key: Literal["orders", "tracking", "inquiries"]
    title: str
    done: bool = Field(description="true once the store holds at least one such record")
    instructions: list[SetupInstruction]


class SetupChecklist(CamelModel):
    complete: bool
    steps: list[SetupStep]
