"""Post-inquiry satisfaction survey (brief 3.7): the signed survey token is the credential."""

import uuid

from fastapi import APIRouter, Request

from app.api.deps import SessionDep, SettingsDep
from app.api.errors import responses
from app.api.roles import PUBLIC
from app.assistant import survey as satisfaction
from app.assistant.schemas import SatisfactionCreate, SatisfactionOut
from app.core.errors import RateLimitedError
from app.core.rate_limit import Limit, limiter_for, rate_key

router = APIRouter(prefix="/satisfaction", tags=["satisfaction"], dependencies=[PUBLIC])

#: Survey answers per client address.
SURVEY_REQUESTS = Limit(count=10, window_seconds=60)


@router.post("/{inquiry_id}", status_code=201, responses=responses(401, 404, 409, 422, 429))
async def answer_survey(
    inquiry_id: uuid.UUID,
    body: SatisfactionCreate,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
) -> SatisfactionOut:
    """Rate a resolved inquiry: 1-5, optional effort 1-7 (lower is easier) and feedback.

    No API key: the survey token from the conversation is the credential. One answer per
    inquiry (a second is 409).
    """
    client = request.client.host if request.client else "unknown"
    decision = await limiter_for(request.app.state).hit(rate_key("survey", client), SURVEY_REQUESTS)
    if not decision.allowed:
        raise RateLimitedError(
            "too many survey answers; try again later", retryAfter=decision.retry_after
        )
    feedback, inquiry = await satisfaction.record_satisfaction_feedback(
        session, settings, inquiry_id, body
    )
    return SatisfactionOut(
        inquiry_id=inquiry.id,
        rating=feedback.rating,
        effort_score=feedback.effort_score,
        feedback=feedback.feedback,
        customer_satisfied=bool(inquiry.customer_satisfied),
        created_at=feedback.created_at,
    )
