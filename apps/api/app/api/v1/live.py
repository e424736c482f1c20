"""`WS /api/v1/analytics/wismo/live`: pushes `metrics.updated` when the store's rollups move.

Browsers authenticate with the session cookie and `?store_id=`; integrations may pass
`?token=<API key>`. A bad credential closes the socket with code 4401, an unknown or
foreign store with 4404 (the same answer, never a leak).
"""

import asyncio
import contextlib

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from app.api.deps import SESSION_COOKIE, resolve_store
from app.core.errors import AppError, NotFoundError
from app.services.events import EventBus

router = APIRouter(tags=["live"])
PING_SECONDS = 25


@router.websocket("/analytics/wismo/live")
async def live_updates(websocket: WebSocket) -> None:
    app_state = websocket.app.state
    try:
        async with app_state.db.sessionmaker() as session:
            store = await resolve_store(
                session,
                app_state.settings,
                bearer=websocket.query_params.get("token"),
                cookie=websocket.cookies.get(SESSION_COOKIE),
                store_id=websocket.query_params.get("store_id"),
            )
            store_id = store.id
    except AppError as exc:
        # Accept, then close with a reason a browser can read (a refused handshake has none).
        await websocket.accept()
        await websocket.close(code=4404 if isinstance(exc, NotFoundError) else 4401)
        return
    bus: EventBus = app_state.bus
    await websocket.accept()
    async with bus.subscribe(store_id) as queue:
        await websocket.send_json({"type": "live.ready", "degraded": bus.degraded})
        receiver = asyncio.create_task(_drain(websocket))
        try:
            while True:
                getter = asyncio.create_task(queue.get())
                done, _ = await asyncio.wait(
                    {getter, receiver}, timeout=PING_SECONDS, return_when=asyncio.FIRST_COMPLETED
                )
                if getter not in done:
                    getter.cancel()
                if receiver in done:
                    break  # the client went away: stop now, not at the next ping
                await websocket.send_json(getter.result() if getter in done else {"type": "ping"})
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            receiver.cancel()
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect):
                await receiver


async def _drain(websocket: WebSocket) -> None:
    """Read (and ignore) client frames so that a disconnect is noticed at once."""
    with contextlib.suppress(WebSocketDisconnect):
        while True:
            await websocket.receive_text()
