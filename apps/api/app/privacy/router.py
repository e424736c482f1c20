"""Data-subject requests (GDPR/CCPA) for one customer of the current store."""

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import EmailStr

from app.api.deps import CurrentStore, SessionDep
from app.api.errors import responses
from app.api.roles import ADMIN, OWNER
from app.privacy import service as privacy
from app.privacy.schemas import EraseRequest, EraseResult, PrivacyExport

router = APIRouter(prefix="/privacy", tags=["privacy"])


@router.post("/erase", dependencies=[OWNER], responses=responses(401, 404, 422))
async def erase(body: EraseRequest, store: CurrentStore, session: SessionDep) -> EraseResult:
    """Anonymise the customer's personal data everywhere; aggregates are unchanged."""
    return EraseResult(**await privacy.erase_customer(session, store.id, body.email))


@router.get("/export", dependencies=[ADMIN], responses=responses(401, 404, 422))
async def export(
    email: Annotated[EmailStr, Query(description="the customer's email address")],
    store: CurrentStore,
    session: SessionDep,
) -> PrivacyExport:
    """Everything the store holds about the customer with this email."""
    return PrivacyExport(**await privacy.export_customer_data(session, store.id, email))
