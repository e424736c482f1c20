"""Every model, imported so that `Base.metadata` is complete (Alembic and tests rely on it)."""

from app.accounts.models import AuditEvent, Installation, Invite
from app.integrations.models import HelpdeskConnection
from app.models.analytics import (
    Alert,
    Insight,
    OrderInquiry,
    SatisfactionFeedback,
    WismoDailyDimensionMetrics,
    WismoDailyHistogram,
    WismoDailyMetrics,
    WismoMonthlyDimensionMetrics,
    WismoMonthlyHistogram,
    WismoYearlyHistogram,
)
from app.models.chat import Conversation, Message
from app.models.orders import (
    Customer,
    Order,
    ParkedWebhook,
    Shipment,
    TrackingEvent,
    WebhookAttempt,
    WebhookDelivery,
)
from app.models.stores import ApiKey, Store, StoreMember, User, UserSession
from app.notifications.models import (
    AlertChannelDelivery,
    AlertChannelSettings,
    DigestSend,
    DigestSubscription,
    OutboxEmail,
)

__all__ = [
    "Alert",
    "AlertChannelDelivery",
    "AlertChannelSettings",
    "ApiKey",
    "AuditEvent",
    "Conversation",
    "Customer",
    "DigestSend",
    "DigestSubscription",
    "HelpdeskConnection",
    "Insight",
    "Installation",
    "Invite",
    "Message",
    "Order",
    "OrderInquiry",
    "OutboxEmail",
    "ParkedWebhook",
    "SatisfactionFeedback",
    "Shipment",
    "Store",
    "StoreMember",
    "TrackingEvent",
    "User",
    "UserSession",
    "WebhookAttempt",
    "WebhookDelivery",
    "WismoDailyDimensionMetrics",
    "WismoDailyHistogram",
    "WismoDailyMetrics",
    "WismoMonthlyDimensionMetrics",
    "WismoMonthlyHistogram",
    "WismoYearlyHistogram",
]

# Domain packages' models, so that Base.metadata is complete (a module import: the package
# may be the one importing app.models right now).
import app.integrations.shopify.models
import app.stores.models  # noqa: F401
