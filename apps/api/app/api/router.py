from fastapi import APIRouter, Depends

from app.accounts import access_router
from app.accounts import router as auth
from app.accounts import settings_router as team_router
from app.analytics import live
from app.analytics import router as analytics
from app.api.query_params import refuse_repeated_scalars
from app.assistant import router as chat
from app.assistant import survey_router as satisfaction
from app.ingestion import router as ingestion
from app.insights import router as insights
from app.integrations import helpdesk_router, tracking_router
from app.integrations import router as webhooks
from app.integrations.shopify import router as shopify_app
from app.notifications import router as notifications_router
from app.privacy import router as privacy
from app.reporting import router as exports
from app.stores import router as stores
from app.stores import settings_router as stores_settings_router

api_router = APIRouter(prefix="/api/v1", dependencies=[Depends(refuse_repeated_scalars)])
api_router.include_router(auth.router)
api_router.include_router(stores.router)
api_router.include_router(ingestion.router)
api_router.include_router(webhooks.router)
api_router.include_router(helpdesk_router.webhooks_router)
api_router.include_router(helpdesk_router.settings_router)
api_router.include_router(tracking_router.router)
api_router.include_router(analytics.router)
api_router.include_router(exports.router)
api_router.include_router(live.router)
api_router.include_router(chat.router)
api_router.include_router(satisfaction.router)
api_router.include_router(privacy.router)
api_router.include_router(insights.router)
api_router.include_router(access_router.router)
api_router.include_router(team_router.router)
api_router.include_router(notifications_router.router)
api_router.include_router(stores_settings_router.router)
api_router.include_router(shopify_app.router)
