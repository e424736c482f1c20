"""Operations endpoints: liveness, readiness, Prometheus metrics, request metrics."""

import time

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from sqlalchemy import text
from starlette.datastructures import MutableHeaders
from starlette.types import Receive, Scope, Send

from app.api.errors import problem
from app.api.response_hooks import ResponseStartHook

router = APIRouter(tags=["operations"])

REQUESTS = Counter("wismo_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram("wismo_http_request_seconds", "HTTP request latency", ["method", "route"])
STARTED = "wismo_request_started"


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", response_model=None)
async def readyz(request: Request) -> dict[str, str] | Response:
    try:
        async with request.app.state.db.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as exc:  # the database is unreachable: not ready
        return problem(503, "Not ready", f"database unreachable: {type(exc).__name__}")
    return {"status": "ready", "database": "ok"}


@router.get("/metrics", include_in_schema=False)
async def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


class RequestMetrics(ResponseStartHook):
    """Latency to the response's start and a count per method, route template and status."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope.setdefault("state", {})[STARTED] = time.perf_counter()
        await super().__call__(scope, receive, send)

    def on_start(self, scope: Scope, status: int, headers: MutableHeaders) -> None:
        path = getattr(scope.get("route"), "path", "unmatched")
        LATENCY.labels(scope["method"], path).observe(time.perf_counter() - scope["state"][STARTED])
        REQUESTS.labels(scope["method"], path, str(status)).inc()
