"""Structured logging with structlog: key=value in development, JSON lines when WISMO_LOG_JSON."""

import logging
import re
from typing import Any

import structlog

# Query parameters that may carry a credential, and credentials by their shape.
_SECRET_PARAM = re.compile(
    r"(?i)([?&](?:token|ticket|key|api_key|access_token|secret|password|signature)=)[^&\s\"']*"
)
_SECRET_VALUE = re.compile(r"\b(wismo_|wsess_|wpub_|whsec_)[A-Za-z0-9_-]{8,}")


def redact(text: str) -> str:
    return _SECRET_VALUE.sub(r"\1[redacted]", _SECRET_PARAM.sub(r"\1[redacted]", text))


class RedactSecrets(logging.Filter):
    """Keeps credentials out of uvicorn's access and error logs (URLs are logged whole)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redact_arg(a) for a in record.args)
        return True


def _redact_arg(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


_REDACT = RedactSecrets()


def configure_logging(level: str = "INFO", json: bool = False) -> None:
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[*shared, structlog.processors.format_exc_info, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        cache_logger_on_first_use=True,
    )
    logging.basicConfig(level=level.upper(), format="%(message)s")
    for name in ("uvicorn.access", "uvicorn.error"):
        logging.getLogger(name).addFilter(_REDACT)


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    return structlog.get_logger(name)  # type: ignore[no-any-return]
