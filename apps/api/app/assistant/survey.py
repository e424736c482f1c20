"""Post-inquiry satisfaction surveys (brief 3.7).

After an inquiry is resolved the assistant offers a survey: a signed, expiring token
(HMAC-SHA256 with the server secret, purpose "survey") naming the store and the inquiry. The
token is the only credential of `POST /satisfaction/{inquiry_id}`; the answer is single-use
(the unique (store_id, inquiry_id) of satisfaction_feedback decides between concurrent
answers). The inquiry's rating, effort and feedback move the rollups through
`ingestion.update_inquiry`; a rating of 1 or 2 opens a low-satisfaction alert.

Trends read the rollups through `WISMOAnalyticsService` (the metric formulas live there).
"""

import uuid
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.analytics.service import DateRange, Filters, WISMOAnalyticsService
from app.assistant.schemas import SatisfactionCreate, SatisfactionTrends, SurveyOffer
from app.core.config import Settings
from app.core.errors import AuthenticationError, ConflictError, NotFoundError
from app.core.security import sign_token, verify_token
from app.core.timeutils import utcnow
from app.db.scoping import for_store
from app.ingestion import service as ingestion
from app.insights import alerts
from app.models import OrderInquiry, SatisfactionFeedback, Store

__all__ = [
    "LOW_RATING",
    "SURVEY_PURPOSE",
    "get_satisfaction_trends",
    "offer_survey",
    "record_satisfaction_feedback",
    "survey_url",
]

SURVEY_PURPOSE = "survey"
#: Ratings at or below this open a low-satisfaction alert (1 = high severity, 2 = medium).
LOW_RATING = 2
FEEDBACK_EXCERPT_CHARS = 280


def survey_url(inquiry_id: uuid.UUID, token: str) -> str:
    """The web app's survey page; the token travels in the fragment (never sent to servers
    or written to access logs by the page load)."""
    return f"/survey/{inquiry_id}#token={token}"


def offer_survey(settings: Settings, inquiry: OrderInquiry) -> SurveyOffer:
    ttl = settings.survey_token_ttl_hours * 3600
    token = sign_token(
        settings.secret_key,
        SURVEY_PURPOSE,
        {"sid": str(inquiry.store_id), "iid": str(inquiry.id)},
        ttl,
    )
    return SurveyOffer(
        inquiry_id=inquiry.id,
        token=token,
        url=survey_url(inquiry.id, token),
        expires_at=utcnow().replace(microsecond=0) + timedelta(seconds=ttl),
    )


def _survey_subject(settings: Settings, token: str) -> tuple[uuid.UUID, uuid.UUID]:
    """(store id, inquiry id) of a valid survey token; 401 otherwise."""
    payload = verify_token(settings.secret_key, SURVEY_PURPOSE, token)
    if payload is None:
        raise AuthenticationError("this survey link is invalid or has expired")
    try:
        return uuid.UUID(str(payload["sid"])), uuid.UUID(str(payload["iid"]))
    except (KeyError, ValueError):
        raise AuthenticationError("this survey link is invalid or has expired") from None


async def _existing_feedback(
    session: AsyncSession, store_id: uuid.UUID, inquiry_id: uuid.UUID
) -> SatisfactionFeedback | None:
    return (
        await session.scalars(
            for_store(SatisfactionFeedback, store_id).where(
                SatisfactionFeedback.inquiry_id == inquiry_id
            )
        )
    ).first()


async def record_satisfaction_feedback(
    session: AsyncSession,
    settings: Settings,
    inquiry_id: uuid.UUID,
    data: SatisfactionCreate,
) -> tuple[SatisfactionFeedback, OrderInquiry]:
    """Store the customer's answer and move the inquiry's satisfaction figures.

    401: the token is invalid, tampered with or expired. 404: it is not this inquiry's token
    (or the inquiry is gone). 409: the inquiry was already rated, or is not resolved.
    """
    store_id, token_inquiry = _survey_subject(settings, data.token)
    if token_inquiry != inquiry_id:
        raise NotFoundError("inquiry not found")
    inquiry = await ingestion.get_inquiry(session, store_id, inquiry_id, for_update=True)
    if not inquiry.resolved:
        raise ConflictError("this inquiry is not resolved yet")
    if (
        inquiry.satisfaction_rating is not None
        or await _existing_feedback(session, store_id, inquiry_id) is not None
    ):
        raise ConflictError("this survey has already been answered")
    feedback = SatisfactionFeedback(
        id=uuid.uuid4(),
        store_id=store_id,
        inquiry_id=inquiry_id,
        rating=data.rating,
        effort_score=data.effort_score,
        feedback=data.feedback,
        created_at=utcnow(),
    )
    try:
        async with session.begin_nested():
            session.add(feedback)
    except IntegrityError:  # a concurrent answer won the unique (store_id, inquiry_id)
        raise ConflictError("this survey has already been answered") from None
    await ingestion.update_inquiry(
        session,
        inquiry,
        rating=data.rating,
        effort_score=data.effort_score,
        feedback=data.feedback,
    )
    if data.rating <= LOW_RATING:
        excerpt = (data.feedback or "")[:FEEDBACK_EXCERPT_CHARS]
        await alerts.raise_alert(
            session,
            store_id,
            kind="low_satisfaction",
            cause_key=f"inquiry:{inquiry.id}",
            severity="high" if data.rating == 1 else "medium",
            payload={
                "rating": data.rating,
                "inquiryId": str(inquiry.id),
                "orderNumber": inquiry.order_number,
                "inquiryType": inquiry.inquiry_type,
                "feedbackExcerpt": excerpt or None,
            },
        )
    return feedback, inquiry


async def get_satisfaction_trends(
    session: AsyncSession,
    store: Store,
    rng: DateRange,
    *,
    group_by: str = "day",
    filters: Filters | None = None,
) -> SatisfactionTrends:
    """The range's satisfaction trends plus the rolling 7- and 30-day figures ending on the
    range's last day (each with the previous 7/30 days to compare), all from the rollups."""
    service = WISMOAnalyticsService(session)
    trends = await service.get_satisfaction_trends(store, rng, group_by, filters or Filters())
    return SatisfactionTrends(trends=trends, rolling7=trends.rolling7, rolling30=trends.rolling30)
