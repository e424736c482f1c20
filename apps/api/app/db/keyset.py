"""Keyset (cursor) paging, newest first, on a `(timestamp, id)` key: no OFFSET, so a page
costs the same however deep it is, and rows written meanwhile never shift a page.

A cursor is the key of the last row of the previous page, opaque to the client.
"""

import base64
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar, TypeVarTuple

import orjson
from sqlalchemy import Select, and_, or_

from app.core.errors import ValidationError

Ts = TypeVarTuple("Ts")
R = TypeVar("R")


def encode_cursor(at: datetime, row_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(orjson.dumps([at.isoformat(), str(row_id)])).decode()


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        at, row_id = orjson.loads(base64.urlsafe_b64decode(cursor.encode()))
        return datetime.fromisoformat(at), uuid.UUID(row_id)
    except (ValueError, TypeError, orjson.JSONDecodeError):
        raise ValidationError("cursor is not valid: pass back nextCursor unchanged") from None


def newest_first(
    stmt: Select[*Ts], at: Any, row_id: Any, cursor: str | None, limit: int
) -> Select[*Ts]:
    """`stmt` ordered by `(at, row_id)` descending, starting after `cursor`, with one row
    more than `limit` so that `page_of` can tell whether another page follows."""
    if cursor:
        last_at, last_id = decode_cursor(cursor)
        stmt = stmt.where(or_(at < last_at, and_(at == last_at, row_id < last_id)))
    return stmt.order_by(at.desc(), row_id.desc()).limit(limit + 1)


def page_of(
    rows: Sequence[R], limit: int, key: Callable[[R], tuple[datetime, uuid.UUID]]
) -> tuple[list[R], str | None]:
    """The page (at most `limit` rows of a `newest_first` result) and the next cursor."""
    page = list(rows[:limit])
    return page, encode_cursor(*key(page[-1])) if len(rows) > limit else None


__all__ = ["decode_cursor", "encode_cursor", "newest_first", "page_of"]
