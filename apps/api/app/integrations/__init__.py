"""Inbound webhooks: Shopify orders and fulfillments, AfterShip and EasyPost tracking.

Each receiver verifies the provider's signature over the raw body, maps the payload to the
ingestion schemas (statuses through `app.ingestion.tracking_status`), records the delivery
id for idempotency and writes through `app.ingestion.service` only, all in the request's
one transaction.
"""

from app.integrations.common import OutcomeStatus, WebhookOutcome

__all__ = ["OutcomeStatus", "WebhookOutcome"]
