"""Security headers on every response; CORS stays closed unless origins are configured."""

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.errors import problem
from app.api.response_hooks import ResponseStartHook
from app.core.config import Settings

DASHBOARD_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",  # chart libraries set inline style attributes
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Swagger UI loads its bundle from jsDelivr.
DOCS_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net",
        "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net",
        "img-src 'self' data: https://fastapi.tiangolo.com",
        "frame-ancestors 'none'",
    ]
)


def install_security(app: FastAPI, settings: Settings) -> None:
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "X-Store-Id", "X-Widget-Key"],
        )

    app.add_middleware(SecurityHeaders, settings=settings)


class SecurityHeaders(ResponseStartHook):
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        super().__init__(app)
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (
            b"%00" in scope.get("query_string", b"") or "\x00" in scope["path"]
        ):
            # PostgreSQL text cannot hold NUL: refuse it before it reaches a query.
            refused = problem(422, "Invalid request", "the URL must not contain NUL characters")
            await refused(scope, receive, self.hooked(scope, send))
            return
        await super().__call__(scope, receive, send)

    def on_start(self, scope: Scope, status: int, headers: MutableHeaders) -> None:
        headers.setdefault(
            "Content-Security-Policy",
            DOCS_CSP if scope["path"].startswith("/api/docs") else DASHBOARD_CSP,
        )
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if scope.get("scheme") == "https" or self.settings.secure_cookies:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
