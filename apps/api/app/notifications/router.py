from typing import Annotated

from fastapi import APIRouter, Query

from app.accounts.dependencies import AuditorDep
from app.api.deps import CurrentAccess, CurrentUser, SessionDep, SettingsDep
from app.api.errors import responses
from app.api.roles import ADMIN, RANKS, USER
from app.core.timeutils import utcnow
from app.models import Store
from app.notifications import channels, digests, outbox
from app.notifications.schemas import (
    AlertChannelsOut,
    AlertChannelsUpdate,
    AlertKindChannels,
    ChannelDeliveryOut,
    DigestSettingsIn,
    DigestSettingsOut,
    OutboxEmailOut,
    OutboxPage,
)

router = APIRouter(prefix="/settings", tags=["settings"])


@router.get("/outbox", dependencies=[ADMIN], responses=responses(401, 404, 422))
async def outbox_page(
    access: CurrentAccess,
    session: SessionDep,
    settings: SettingsDep,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> OutboxPage:
    """Mail of this store that no SMTP server took, newest first. The body of a message
    holding an invitation link is shown to owners only."""
    rows, next_cursor = await outbox.page(session, access.store.id, cursor=cursor, limit=limit)
    owner = RANKS.get(access.role, 0) >= RANKS["owner"]
    return OutboxPage(
        smtp_configured=settings.smtp_url is not None,
        items=[
            OutboxEmailOut(
                id=m.id,
                recipient=m.recipient,
                subject=m.subject,
                text_body=m.text_body if owner or not m.owner_only else None,
                error=m.error,
                created_at=m.created_at,
            )
            for m in rows
        ],
        next_cursor=next_cursor,
    )


async def _channels_out(session: SessionDep, store: Store) -> AlertChannelsOut:
    current = await channels.channel_settings(session, store.id)
    recent = await channels.recent_deliveries(session, store.id)
    return AlertChannelsOut(
        slack_configured=current.slack_url is not None,
        slack_url_hint=channels.masked(current.slack_url),
        webhook_configured=store.alert_webhook_url is not None,
        email_recipients=await channels.recipients(session, store.id),
        kinds=[
            AlertKindChannels(kind=k, label=channels.KIND_LABELS[k], channels=v)
            for k, v in current.routes.items()
        ],
        recent_deliveries=[
            ChannelDeliveryOut(
                alert_id=d.alert_id,
                kind=a.kind,
                title=channels.title_of(a),
                channel=d.channel,
                status=d.status,
                attempts=d.attempts,
                last_error=d.last_error,
                next_attempt_at=d.next_attempt_at if d.status == "pending" else None,
                sent_at=d.sent_at,
                created_at=d.created_at,
            )
            for d, a in recent
        ],
    )


@router.get("/alert-channels", dependencies=[ADMIN], responses=responses(401, 404, 422))
async def get_alert_channels(access: CurrentAccess, session: SessionDep) -> AlertChannelsOut:
    """Where each kind of alert goes (signed webhook, email to admins and owners, Slack),
    and the latest email and Slack deliveries with their outcome."""
    return await _channels_out(session, access.store)


@router.put("/alert-channels", dependencies=[ADMIN], responses=responses(401, 404, 422))
async def set_alert_channels(
    body: AlertChannelsUpdate,
    access: CurrentAccess,
    session: SessionDep,
    settings: SettingsDep,
    auditor: AuditorDep,
) -> AlertChannelsOut:
    """Set or clear the Slack incoming-webhook URL (`null` clears; leave it out to keep it)
    and choose each alert kind's channels."""
    kwargs = (
        {"slack_url": body.slack_webhook_url}
        if "slack_webhook_url" in body.model_fields_set
        else {}
    )
    updated = await channels.update_channel_settings(
        session,
        access.store.id,
        settings,
        routes={k: list(v) for k, v in body.routes.items()} if body.routes is not None else None,
        **kwargs,
    )
    if kwargs:
        await auditor.record("alert_slack.changed", channels.masked(updated.slack_url) or "none")
    if body.routes is not None:
        await auditor.record(
            "alert_channels.changed",
            "; ".join(f"{k}: {','.join(v) or 'none'}" for k, v in updated.routes.items()),
        )
    return await _channels_out(session, access.store)


async def _digest_out(session: SessionDep, store: Store, user: CurrentUser) -> DigestSettingsOut:
    sub = await digests.get_subscription(session, store.id, user.id)
    last = await digests.last_sent_at(session, store.id, user.id)
    if sub is None:
        return DigestSettingsOut(
            frequency="off", hour=8, timezone=store.timezone, next_send_at=None, last_sent_at=last
        )
    return DigestSettingsOut(
        frequency=sub.frequency,
        hour=sub.hour,
        timezone=store.timezone,
        next_send_at=digests.next_send_at(sub.frequency, sub.hour, store.timezone, utcnow()),
        last_sent_at=last,
    )


@router.get("/digest", dependencies=[USER], responses=responses(401, 404, 422))
async def get_my_digest(
    access: CurrentAccess, user: CurrentUser, session: SessionDep
) -> DigestSettingsOut:
    """Your own digest of this store: how often, at which local hour, when the next is due."""
    return await _digest_out(session, access.store, user)


@router.put("/digest", dependencies=[USER], responses=responses(401, 404, 422))
async def set_my_digest(
    body: DigestSettingsIn, access: CurrentAccess, user: CurrentUser, session: SessionDep
) -> DigestSettingsOut:
    """Choose daily, weekly (Monday to Sunday) or monthly, and the local hour it arrives the
    day after the period ends; `off` stops it."""
    await digests.set_subscription(session, access.store.id, user.id, body.frequency, body.hour)
    return await _digest_out(session, access.store, user)
