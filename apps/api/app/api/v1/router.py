from fastapi import APIRouter

from app.api.v1 import analytics, auth, ingestion, live, stores, webhooks

api_router = APIRouter(prefix="/api/v1")
api_router.include_router(auth.router)
api_router.include_router(stores.router)
api_router.include_router(ingestion.router)
api_router.include_router(webhooks.router)
api_router.include_router(analytics.router)
api_router.include_router(live.router)
