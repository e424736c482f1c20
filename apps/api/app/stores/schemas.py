from pydantic import Field

from app.core.schemas import CamelModel


class StoreUpdate(CamelModel):
    """Only the fields sent change; `domain: null` clears it."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    domain: str | None = Field(default=None, max_length=255, description="SHOP.myshopify.com")
