import uuid
from datetime import datetime

from pydantic import Field

from app.core.schemas import CamelModel


class ShopifyInstallIn(CamelModel):
    shop: str = Field(max_length=255, description="the shop's domain, your-store.myshopify.com")


class ShopifyInstallOut(CamelModel):
    authorize_url: str = Field(description="send the merchant's browser here (Shopify's consent)")


class BackfillIn(CamelModel):
    days: int = Field(default=90, ge=1, le=3650, description="import orders of the last N days")


class BackfillOut(CamelModel):
    id: uuid.UUID
    status: str = Field(description="pending | running | completed | failed")
    days: int
    since: datetime
    lines_done: int
    object_count: int | None = Field(description="orders in Shopify's result, once it is ready")
    orders_done: int
    orders_failed: int
    error: str | None
    started_at: datetime | None
    finished_at: datetime | None


class ShopifyConnectionOut(CamelModel):
    app_configured: bool = Field(description="WISMO_SHOPIFY_API_KEY and _SECRET are set")
    connected: bool
    shop: str | None = None
    scopes: str | None = None
    api_version: str | None = None
    webhook_topics: list[str] = Field(default_factory=list)
    installed_at: datetime | None = None
    uninstalled_at: datetime | None = None
    backfill: BackfillOut | None = None
