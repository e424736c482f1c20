"""Every model, imported so that `Base.metadata` is complete (Alembic and tests rely on it)."""

from app.integrations.models import HelpdeskConnection
from app.models.analytics import (
    Alert,
    Insight,
    OrderInquiry,
    SatisfactionFeedback,
    WismoDailyDimensionMetrics,
    WismoDailyHistogram,
    WismoDailyMetrics,
)
from app.models.chat import Conversation, Message
from app.models.orders import (
    Customer,
    Order,
    ParkedWebhook,
    Shipment,
    TrackingEvent,
    WebhookDelivery,
)
from app.models.stores import ApiKey, Store, StoreMember, User, UserSession

__all__ = [
    "Alert",
    "ApiKey",
    "Conversation",
    "Customer",
    "HelpdeskConnection",
    "Insight",
    "Message",
    "Order",
    "OrderInquiry",
    "ParkedWebhook",
    "SatisfactionFeedback",
    "Shipment",
    "Store",
    "StoreMember",
    "TrackingEvent",
    "User",
    "UserSession",
    "WebhookDelivery",
    "WismoDailyDimensionMetrics",
    "WismoDailyHistogram",
    "WismoDailyMetrics",
]
