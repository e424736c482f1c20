"""Request bodies are received whole, bounded in size and time, before the app sees them.

A pure ASGI middleware: it reads the body of every HTTP request up to the limit of the
route's class (413 past it, at once when Content-Length says so) and within
`body_timeout_seconds` (408), then hands the app the buffered body. So no route, dependency
or database writer (SQLite has one per process) ever waits on a slow client, and no request
buffers more than its class allows. A client that goes away mid-body is simply dropped.
"""

import asyncio
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.errors import problem
from app.core.config import Settings

API = "/api/v1/"
ANONYMOUS_PREFIXES = (f"{API}auth/", f"{API}chat/", f"{API}satisfaction/")


def body_limit(settings: Settings, path: str) -> tuple[str, int]:
    """(route class, byte limit) of a request path; read at request time so settings may
    change (tests)."""
    if path.startswith(f"{API}webhooks/"):
        return "webhook", settings.max_webhook_bytes
    if path.startswith(f"{API}imports"):
        return "import", settings.max_import_bytes
    if path.startswith(ANONYMOUS_PREFIXES):
        return "anonymous", settings.max_anonymous_bytes
    return "api", settings.max_api_bytes


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        _, limit = body_limit(self.settings, scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await self._refuse(scope, receive, send, 413, limit)
            return
        body = bytearray()
        try:
            async with asyncio.timeout(self.settings.body_timeout_seconds):
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return  # the client left mid-body: nothing to answer
                    body += message.get("body", b"")
                    if len(body) > limit:
                        await self._refuse(scope, receive, send, 413, limit)
                        return
                    if not message.get("more_body", False):
                        break
        except TimeoutError:
            await self._refuse(scope, receive, send, 408, limit)
            return
        await self.app(scope, _replay(bytes(body), receive), send)

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send, status: int, limit: int
    ) -> None:
        if status == 413:
            response = problem(
                413, "Payload too large", f"the body is larger than {limit} bytes", limit=limit
            )
        else:
            response = problem(
                408,
                "Request timeout",
                f"the body did not arrive within {self.settings.body_timeout_seconds:g} s",
            )
        # The rest of the body is never read: the connection cannot be reused.
        response.headers["Connection"] = "close"
        await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        # Afterwards the server's own messages (http.disconnect when the client leaves).
        message: dict[str, Any] = dict(await receive())
        return message

    return replay
