"""Provider integrations: each verifies and parses a provider's payloads, then calls ingestion
(Shopify, AfterShip, EasyPost, Zendesk, Gorgias)."""
