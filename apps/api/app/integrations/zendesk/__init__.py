from app.integrations.zendesk.provider import PROVIDER, channel_of, rating_of

__all__ = ["PROVIDER", "channel_of", "rating_of"]
