"""A read whose database connection dropped is retried once; writes never are."""

import httpx
from fastapi import FastAPI
from sqlalchemy.exc import DBAPIError

from app.api.retry import RetryDroppedConnection


def dropped() -> DBAPIError:
    return DBAPIError(
        "SELECT 1", {}, ConnectionError("terminating connection"), connection_invalidated=True
    )


def app_failing(times: int, *, invalidated: bool = True) -> tuple[FastAPI, list[str]]:
    app = FastAPI()
    calls: list[str] = []

    async def handler() -> dict[str, int]:
        calls.append("x")
        if len(calls) <= times:
            error = dropped()
            error.connection_invalidated = invalidated
            raise error
        return {"calls": len(calls)}

    app.add_api_route("/r", handler, methods=["GET", "POST"])
    app.add_middleware(RetryDroppedConnection)
    return app, calls


async def call(app: FastAPI, method: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.request(method, "/r")


async def test_a_read_is_retried_once() -> None:
    app, calls = app_failing(1)
    r = await call(app, "GET")
    assert (r.status_code, r.json(), len(calls)) == (200, {"calls": 2}, 2)


async def test_only_once_and_only_reads_and_only_dropped_connections() -> None:
    app, calls = app_failing(2)
    assert (await call(app, "GET")).status_code == 500 and len(calls) == 2
    app, calls = app_failing(1)
    assert (await call(app, "POST")).status_code == 500 and len(calls) == 1
    app, calls = app_failing(1, invalidated=False)  # e.g. a syntax error: no retry
    assert (await call(app, "GET")).status_code == 500 and len(calls) == 1
