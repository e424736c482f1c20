"""One place that renders every error as RFC 9457 problem+json."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core.errors import AppError
from app.core.logging import get_logger
from app.core.schemas import Problem

log = get_logger(__name__)

PROBLEM_JSON = "application/problem+json"


def problem(status: int, title: str, detail: str | None = None, **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail is not None:
        body["detail"] = detail
    body.update(extra)
    headers = {"Retry-After": str(extra["retryAfter"])} if "retryAfter" in extra else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _describe(error: dict[str, Any]) -> dict[str, Any]:
    loc = [str(p) for p in error.get("loc", ()) if p not in ("body",)]
    return {"field": ".".join(loc), "message": error.get("msg", "invalid")}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(_: Request, exc: AppError) -> JSONResponse:
        return problem(exc.status, exc.title, exc.detail, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [_describe(e) for e in exc.errors()]
        detail = "; ".join(f"{e['field'] or 'body'}: {e['message']}" for e in errors)
        return problem(422, "Invalid request", detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "Error")
        return problem(exc.status_code, title, str(exc.detail))

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        # A concurrent twin won a unique key (e.g. the same id sent twice at once).
        log.warning("integrity conflict", path=request.url.path, error=str(exc.orig)[:200])
        return problem(409, "Conflict", "a concurrent request wrote the same record; retry")

    @app.exception_handler(Exception)
    async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", path=request.url.path)
        return problem(500, "Internal server error", "an unexpected error occurred")


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: the problem statuses it may return, for the generated client."""
    return {
        s: {"model": Problem, "content": {PROBLEM_JSON: {"schema": Problem.model_json_schema()}}}
        for s in statuses
    }


def install_problem_openapi(app: FastAPI) -> None:
    """Document every error response as what it is: problem+json with the Problem schema
    (FastAPI's default 422 body is replaced by the handler above)."""
    from fastapi.openapi.utils import get_openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        problem_ref = {"$ref": "#/components/schemas/Problem"}
        for item in schema.get("paths", {}).values():
            for operation in item.values():
                for status, response in operation.get("responses", {}).items():
                    if status == "default" or int(status) >= 400:
                        response["content"] = {PROBLEM_JSON: {"schema": problem_ref}}
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Problem"] = Problem.model_json_schema()
        for unused in ("HTTPValidationError", "ValidationError"):
            components.pop(unused, None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
