"""The FastAPI application: API under /api/v1, operations endpoints, and the built dashboard."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles

from app.api import ops
from app.api.errors import install_error_handlers, install_problem_openapi, problem
from app.api.security_headers import install_security
from app.api.v1.router import api_router
from app.core import clock
from app.core.config import Settings, get_settings
from app.core.logging import configure_logging, get_logger
from app.db.session import Database
from app.services.events import build_bus
from app.workers.embedded import start_embedded_jobs


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_json)
    if clock.is_set():
        if settings.environment == "production":
            raise RuntimeError(
                f"the clock is {clock.describe()}: {clock.ENV_VAR} is a test/demo setting, "
                "never for production"
            )
        get_logger(__name__).warning("clock_set", clock=clock.describe())

    database = Database(settings)
    bus = build_bus(settings.redis_url)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await bus.start()
        stop_jobs = await start_embedded_jobs(settings) if settings.embedded_jobs else None
        yield
        if stop_jobs is not None:
            await stop_jobs()
        await bus.stop()
        await database.dispose()

    app = FastAPI(
        title="WISMO Analytics API",
        version="0.1.0",
        description=(
            "Order inquiries, fulfillment and satisfaction analytics for merchants. "
            "Errors are RFC 9457 problem+json."
        ),
        docs_url="/api/docs",
        openapi_url="/api/openapi.json",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.db = database
    app.state.bus = bus
    app.state.settings = settings
    install_error_handlers(app)
    install_problem_openapi(app)
    install_security(app, settings)
    app.middleware("http")(ops.record_metrics)
    app.include_router(ops.router)
    app.include_router(api_router)
    _mount_dashboard(app, settings.web_dist)
    return app


def _mount_dashboard(app: FastAPI, dist: Path) -> None:
    """Serve the built React app; unknown non-API paths fall back to index.html (SPA routes)."""
    dist = dist.resolve()
    index = dist / "index.html"
    if (dist / "assets").is_dir():
        app.mount("/assets", StaticFiles(directory=dist / "assets"), name="assets")

    @app.get("/{path:path}", include_in_schema=False, response_model=None)
    async def spa(path: str) -> Response:
        if path.startswith("api/"):
            return problem(404, "Not found", f"no API route /{path}")
        candidate = (dist / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(dist):
            return FileResponse(candidate)
        if index.is_file():
            return FileResponse(index, headers={"Cache-Control": "no-cache"})
        return problem(
            404, "Dashboard not built", "run `make build` (or `make demo`) to build apps/web"
        )
