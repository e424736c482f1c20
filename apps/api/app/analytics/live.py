"""`WS /api/v1/analytics/wismo/live`: pushes `metrics.updated` when the store's rollups move.

Browsers first `POST /analytics/wismo/live/ticket` (with their session, like any API call)
and open the socket with `?ticket=`: a signed ticket for one store that lives 30 seconds and
opens one socket, so no long-lived secret ever sits in a URL (or an access log).
Server-side clients may instead send `Authorization: Bearer <API key>` (and `?store_id=` for
a user session) on the handshake. A bad credential closes the socket with code 4401, an
unknown or foreign store with 4404 (the same answer, never a leak); a socket opened for a
dashboard session closes with 4401 once that session ends (logout, password change).
"""

import asyncio
import contextlib
import secrets
import uuid

from fastapi import APIRouter, Request, WebSocket, WebSocketDisconnect
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import service as auth_service
from app.api.deps import CurrentStore, SettingsDep, bearer_token, resolve_access
from app.api.errors import responses
from app.api.roles import ANALYST
from app.core.errors import AppError, AuthenticationError, NotFoundError
from app.core.events import EventBus
from app.core.rate_limit import Limit, limiter_for, rate_key
from app.core.schemas import CamelModel
from app.core.security import sign_token, verify_token
from app.models import Store

router = APIRouter(tags=["live"])
PING_SECONDS = 25
TICKET_PURPOSE = "live"
TICKET_SECONDS = 30
LIVE_PATH = "/analytics/wismo/live"


class LiveTicket(CamelModel):
    ticket: str = Field(description=f"pass as ?ticket= to the WebSocket within {TICKET_SECONDS} s")
    expires_in: int = TICKET_SECONDS


@router.post(
    f"{LIVE_PATH}/ticket",
    name="ticket",
    dependencies=[ANALYST],
    responses=responses(401, 404, 422),
    description="A single-use ticket that opens the live WebSocket for the current store.",
)
async def live_ticket(request: Request, store: CurrentStore, settings: SettingsDep) -> LiveTicket:
    session_id = getattr(request.state, "session_id", None)
    payload = {
        "sid": str(store.id),
        "ses": str(session_id) if session_id is not None else None,
        "n": secrets.token_urlsafe(12),
    }
    return LiveTicket(
        ticket=sign_token(settings.secret_key, TICKET_PURPOSE, payload, TICKET_SECONDS)
    )


async def _from_ticket(
    websocket: WebSocket, session: AsyncSession, ticket: str
) -> tuple[Store, uuid.UUID | None]:
    state = websocket.app.state
    payload = verify_token(state.settings.secret_key, TICKET_PURPOSE, ticket)
    if payload is None:
        raise AuthenticationError("invalid or expired ticket")
    # Single use, in every process: the first socket spends the nonce.
    spent = await limiter_for(state).hit(
        rate_key("live-ticket", payload["n"]), Limit(1, TICKET_SECONDS + 5)
    )
    if not spent.allowed:
        raise AuthenticationError("ticket already used")
    session_id = uuid.UUID(payload["ses"]) if payload.get("ses") else None
    if session_id is not None and not await auth_service.session_alive(session, session_id):
        raise AuthenticationError("session ended")
    store = await session.get(Store, uuid.UUID(payload["sid"]))
    if store is None:
        raise NotFoundError("store not found")
    return store, session_id


@router.websocket(LIVE_PATH)
async def live_updates(websocket: WebSocket) -> None:
    app_state = websocket.app.state
    session_id: uuid.UUID | None = None
    try:
        async with app_state.db.sessionmaker() as session:
            ticket = websocket.query_params.get("ticket")
            if ticket:
                store, session_id = await _from_ticket(websocket, session, ticket)
            else:

                def remember(sid: uuid.UUID) -> None:
                    nonlocal session_id
                    session_id = sid

                access = await resolve_access(
                    session,
                    bearer=bearer_token(websocket.headers.get("authorization")),
                    cookie=None,
                    store_id=websocket.query_params.get("store_id"),
                    on_session=remember,
                )
                store = access.store
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
                if getter not in done and not await _still_logged_in(websocket, session_id):
                    await websocket.close(code=4401)
                    break
                await websocket.send_json(getter.result() if getter in done else {"type": "ping"})
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            receiver.cancel()
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect):
                await receiver


async def _still_logged_in(websocket: WebSocket, session_id: uuid.UUID | None) -> bool:
    if session_id is None:
        return True  # an API key's socket
    async with websocket.app.state.db.sessionmaker() as session:
        return await auth_service.session_alive(session, session_id)


async def _drain(websocket: WebSocket) -> None:
    """Read (and ignore) client frames so that a disconnect is noticed at once."""
    with contextlib.suppress(WebSocketDisconnect):
        while True:
            await websocket.receive_text()
