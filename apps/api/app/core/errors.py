"""Domain errors raised below the API layer; one handler renders them as RFC 9457 problem+json."""

from typing import Any


class AppError(Exception):
    status: int = 400
    title: str = "Bad request"

    def __init__(self, detail: str, *, status: int | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        if status is not None:
            self.status = status
        self.extra = extra


class NotFoundError(AppError):
    status = 404
    title = "Not found"


class ConflictError(AppError):
    status = 409
    title = "Conflict"


class ValidationError(AppError):
    status = 422
    title = "Invalid request"


class AuthenticationError(AppError):
    status = 401
    title = "Not authenticated"


class PermissionDeniedError(AppError):
    status = 403
    title = "Forbidden"


class RateLimitedError(AppError):
    status = 429
    title = "Too many requests"


class PayloadTooLargeError(AppError):
    status = 413
    title = "Payload too large"
