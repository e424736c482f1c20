"""Data-subject requests (GDPR/CCPA) for one customer of the current store."""

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import EmailStr

from app.accounts.dependencies import AuditorDep
from app.api.deps import CurrentStore, SessionDep
from app.api.errors import responses
from app.api.roles import ADMIN, OWNER
from app.core.security import hash_email
from app.privacy import service as privacy
from app.privacy.schemas import EraseRequest, EraseResult, PrivacyExport

router = APIRouter(prefix="/privacy", tags=["privacy"])


@router.post("/erase", dependencies=[OWNER], responses=responses(401, 404, 422))
async def erase(
    body: EraseRequest, store: CurrentStore, session: SessionDep, auditor: AuditorDep
) -> EraseResult:
    """Anonymise the customer's personal data everywhere; aggregates are unchanged."""
    result = EraseResult(**await privacy.erase_customer(session, store.id, body.email))
    # The erased address must not survive in the log: only a hash of it names the customer.
    await auditor.record("customer.erased", f"customer {hash_email(body.email)[:16]}")
    return result


@router.get("/export", dependencies=[ADMIN], responses=responses(401, 404, 422))
async def export(
    email: Annotated[EmailStr, Query(description="the customer's email address")],
    store: CurrentStore,
    session: SessionDep,
) -> PrivacyExport:
    """Everything the store holds about the customer with this email."""
    return PrivacyExport(**await privacy.export_customer_data(session, store.id, email))
