"""The FastAPI application: API under /api/v1, operations endpoints, and the built dashboard."""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.api import ops
from app.api.body_limit import BodyLimitMiddleware
from app.api.errors import install_error_handlers, install_problem_openapi
from app.api.operation_ids import operation_id
from app.api.retry import RetryDroppedConnection
from app.api.roles import install_role_openapi
from app.api.router import api_router
from app.api.security_headers import install_security
from app.assistant.widget_router import install_widget_cors
from app.assistant.widget_router import router as widget_router
from app.core import clock, secrets
from app.core.config import Settings, get_settings
from app.core.events import build_bus
from app.core.logging import configure_logging, get_logger
from app.db.session import Database
from app.web import mount_dashboard
from app.workers.embedded import start_embedded_jobs


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    settings.check_production()
    configure_logging(settings.log_level, settings.log_json)
    secrets.configure(settings)
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
        secrets.cipher()
        get_logger(__name__).info("secrets_encrypted_with", source=secrets.key_source(settings))
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
        generate_unique_id_function=operation_id,
    )
    app.state.db = database
    app.state.bus = bus
    app.state.settings = settings
    install_error_handlers(app)
    install_problem_openapi(app)
    install_role_openapi(app)
    install_security(app, settings)
    install_widget_cors(app)
    app.add_middleware(ops.RequestMetrics)
    app.add_middleware(RetryDroppedConnection)
    # Outermost: the whole body is in before any route, dependency or database writer runs.
    app.add_middleware(BodyLimitMiddleware, settings=settings)
    app.include_router(ops.router)
    app.include_router(widget_router)
    app.include_router(api_router)
    mount_dashboard(app, settings.web_dist)
    return app


def create_served_app() -> FastAPI:
    """The app as `wismo serve` runs it: one per process, for the life of the process."""
    app = create_app()
    # What start-up made (modules, models, schemas, routes) lives as long as the process.
    # Frozen, it is left out of the collector's full passes, which otherwise walk all of it
    # every few hundred requests and pause that request for tens of milliseconds.
    gc.collect()
    gc.freeze()
    return app
