"""The chat widget's settings: which web origins may embed a store's widget (CORS)."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import ValidationError
from app.models import Store

#: At most this many origins per store.
MAX_ORIGINS = 20


def normalise_origin(value: str) -> str:
    """ "https://Shop.Example.com/" -> "https://shop.example.com"; a path, query, user
    or a scheme other than http(s) is refused."""
    text = value.strip()
    parts = urlsplit(text)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username
        or parts.password
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        raise ValidationError(f"not an origin (scheme://host[:port]): {value!r}")
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname.lower()}{port}"


def origin_allowed(store: Store, origin: str | None) -> bool:
    if not origin:
        return False
    try:
        wanted = normalise_origin(origin)
    except ValidationError:
        return False
    return wanted in (store.widget_allowed_origins or [])


async def set_allowed_origins(session: AsyncSession, store: Store, origins: list[str]) -> Store:
    """Replace the store's allowed origins (normalised, duplicates dropped, order kept)."""
    cleaned = list(dict.fromkeys(normalise_origin(o) for o in origins))
    if len(cleaned) > MAX_ORIGINS:
        raise ValidationError(f"at most {MAX_ORIGINS} origins")
    store.widget_allowed_origins = cleaned
    await session.flush()
    return store


def embed_snippet(base_url: str, widget_key: str | None) -> str:
    """The tag a store adds to its pages; `base_url` is where this server is reached."""
    return f'<script src="{base_url}/widget.js" data-key="{widget_key or ""}" defer></script>'
