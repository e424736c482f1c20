"""The one way mail leaves: `send_email` (invites, password resets, later digests).

With `WISMO_SMTP_URL` (`smtp://user:pass@host:port`, STARTTLS when the server offers it, or
`smtps://...` for TLS from the first byte) the message is handed to that server, bounded by
`WISMO_SMTP_TIMEOUT_SECONDS` for the whole exchange. Without it, or when the server fails,
the message is kept in the `outbox_emails` table (shown to the store's admins at
/settings/outbox) and logged, so an offline install still shows its invite links.
The SMTP server is the operator's own relay, never an address a tenant chose.
"""

import asyncio
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import unquote, urlsplit

import aiosmtplib
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import Settings
from app.core.errors import ValidationError
from app.core.logging import get_logger
from app.notifications.models import OutboxEmail

log = get_logger(__name__)


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    username: str | None
    password: str | None
    use_tls: bool


def parse_smtp_url(url: str) -> SmtpServer:
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValidationError("WISMO_SMTP_URL must look like smtp://user:pass@host:port")
    use_tls = parts.scheme == "smtps"
    return SmtpServer(
        host=parts.hostname,
        port=parts.port or (465 if use_tls else 587),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        use_tls=use_tls,
    )


def build_message(
    sender: str, recipient: str, subject: str, text: str, html: str | None
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="wismo.invalid")
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message


async def deliver(settings: Settings, message: EmailMessage) -> None:
    """Hand the message to the configured SMTP server; raises on any failure or timeout."""
    assert settings.smtp_url is not None
    server = parse_smtp_url(settings.smtp_url)
    timeout = settings.smtp_timeout_seconds
    async with asyncio.timeout(timeout):
        await aiosmtplib.send(
            message,
            hostname=server.host,
            port=server.port,
            username=server.username,
            password=server.password,
            use_tls=server.use_tls,
            timeout=timeout,
        )


async def send_email(
    session: AsyncSession,
    settings: Settings,
    *,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    store_id: uuid.UUID | None = None,
    owner_only: bool = False,
) -> bool:
    """Send the message; True when an SMTP server took it. Otherwise it is kept in the
    outbox (with the delivery error, if any) and logged; never raises for delivery."""
    error: str | None = None
    if settings.smtp_url:
        try:
            await deliver(settings, build_message(settings.smtp_from, to, subject, text, html))
            log.info("email_sent", subject=subject, store_id=str(store_id) if store_id else None)
            return True
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            error = "timed out" if isinstance(exc, TimeoutError) else type(exc).__name__
            log.warning("email_failed", subject=subject, error=error)
    session.add(
        OutboxEmail(
            store_id=store_id,
            recipient=to,
            subject=subject,
            text_body=text,
            html_body=html,
            owner_only=owner_only,
            error=error,
        )
    )
    await session.flush()
    if error is None:
        # No SMTP server: the log is where an operator without one reads the message.
        log.info("email_outbox", to=to, subject=subject, text=text)
    return False
