"""Pure ASGI middleware that acts when a response starts: it sees the request's scope and
the status and headers about to be sent, and may add headers.

Starlette's `@app.middleware("http")` (BaseHTTPMiddleware) runs every request in a task
group through memory streams; for a hook on the response's headers that cost is most of a
small request's overhead.
"""

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class ResponseStartHook:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def on_start(self, scope: Scope, status: int, headers: MutableHeaders) -> None:
        raise NotImplementedError

    def hooked(self, scope: Scope, send: Send) -> Send:
        async def send_with_hook(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = raw = list(message.get("headers", []))
                self.on_start(scope, message["status"], MutableHeaders(raw=raw))
            await send(message)

        return send_with_hook

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, self.hooked(scope, send))
