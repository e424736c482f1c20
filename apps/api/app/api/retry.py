"""One retry of a read whose database connection dropped under it (a restarted or failed-over
PostgreSQL, a terminated backend): the client gets its answer instead of a 500.

Only GET and HEAD are retried (nothing they do can be half-applied), and only when nothing
of the response has been sent yet. A pure ASGI middleware: the error propagates to it from
the route, since no handler but the last-resort 500 claims it.
"""

from sqlalchemy.exc import DBAPIError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.logging import get_logger

log = get_logger(__name__)

RETRIED_METHODS = frozenset({"GET", "HEAD"})


class RetryDroppedConnection:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in RETRIED_METHODS:
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except DBAPIError as exc:
            if started or not exc.connection_invalidated:
                raise
            log.warning("database connection dropped; retrying once", path=scope["path"])
            await self.app(scope, receive, send)
