"""Provider integrations: each verifies and parses a provider's payloads, then calls ingestion."""
