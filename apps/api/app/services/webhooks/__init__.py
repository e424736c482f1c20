"""Inbound webhooks: Shopify orders and fulfillments, AfterShip and EasyPost tracking.

Each receiver verifies the provider's signature over the raw body, maps the payload to the
ingestion schemas (statuses through `app.services.tracking_status`), records the delivery
id for idempotency and writes through `app.services.ingestion` only, all in the request's
one transaction.
"""

from app.services.webhooks.common import OutcomeStatus, WebhookOutcome

__all__ = ["OutcomeStatus", "WebhookOutcome"]
