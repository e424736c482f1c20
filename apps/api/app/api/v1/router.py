from fastapi import APIRouter, Depends

from app.api.query_params import refuse_repeated_scalars
from app.api.v1 import (
    analytics,
    auth,
    chat,
    exports,
    ingestion,
    insights,
    live,
    privacy,
    satisfaction,
    stores,
    webhooks,
)
from app.integrations.shopify import router as shopify_app

api_router = APIRouter(prefix="/api/v1", dependencies=[Depends(refuse_repeated_scalars)])
api_router.include_router(auth.router)
api_router.include_router(stores.router)
api_router.include_router(ingestion.router)
api_router.include_router(webhooks.router)
api_router.include_router(analytics.router)
api_router.include_router(exports.router)
api_router.include_router(live.router)
api_router.include_router(chat.router)
api_router.include_router(satisfaction.router)
api_router.include_router(privacy.router)
api_router.include_router(insights.router)
api_router.include_router(shopify_app.router)
