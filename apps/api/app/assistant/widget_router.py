"""The embeddable chat widget: `/widget.js`, and CORS for the chat routes limited to the
origins each store allows (`stores.widget_allowed_origins`).

A browser's preflight (OPTIONS) carries no header values, so the widget also sends its key
in the query string (`?key=`); the preflight answer names the origin only when the key's
store allows it. The requests themselves are checked in `api.v1.chat.get_chat_caller`, which
marks an allowed origin on `request.state` so that every answer, errors included, carries the
CORS headers.
"""

from pathlib import Path

from fastapi import APIRouter, FastAPI, Query, Request, Response
from starlette.datastructures import MutableHeaders
from starlette.types import Scope

from app.api.deps import SessionDep
from app.api.response_hooks import ResponseStartHook
from app.api.roles import PUBLIC
from app.assistant import chat
from app.stores.widget_settings import origin_allowed

WIDGET_JS = Path(__file__).resolve().parents[1] / "assistant" / "widget" / "widget.js"
WIDGET_ROUTES = "/api/v1/chat/"

router = APIRouter(include_in_schema=False)


@router.get("/widget.js")
async def widget_js() -> Response:
    return Response(
        WIDGET_JS.read_bytes(),
        media_type="text/javascript; charset=utf-8",
        headers={
            "Cache-Control": "public, max-age=300",
            "Cross-Origin-Resource-Policy": "cross-origin",
        },
    )


def cors_headers(origin: str) -> dict[str, str]:
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Expose-Headers": "Retry-After",
        "Vary": "Origin",
    }


@router.options("/api/v1/chat/{path:path}", dependencies=[PUBLIC])
async def widget_preflight(
    request: Request, session: SessionDep, key: str | None = Query(default=None, max_length=200)
) -> Response:
    origin = request.headers.get("origin")
    store = await chat.store_for_widget_key(session, key.strip()) if key else None
    if store is None or not origin_allowed(store, origin):
        return Response(status_code=403)
    assert origin is not None
    return Response(
        status_code=204,
        headers={
            **cors_headers(origin),
            "Access-Control-Allow-Methods": "GET, POST",
            "Access-Control-Allow-Headers": "Content-Type, X-Widget-Key",
            "Access-Control-Max-Age": "600",
        },
    )


def install_widget_cors(app: FastAPI) -> None:
    app.add_middleware(WidgetCors)


class WidgetCors(ResponseStartHook):
    """CORS headers on chat responses for the origin the route allowed (`widget_origin`)."""

    def on_start(self, scope: Scope, status: int, headers: MutableHeaders) -> None:
        origin = scope.get("state", {}).get("widget_origin")
        if origin and scope["path"].startswith(WIDGET_ROUTES):
            headers.update(cors_headers(origin))
