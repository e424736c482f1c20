"""Shopify app install (OAuth), webhook registration, compliance webhooks and history backfill."""
