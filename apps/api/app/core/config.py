"""Settings, read from the environment with the WISMO_ prefix (and an optional .env file)."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[4]
DEFAULT_DB_PATH = PROJECT_ROOT / "var" / "wismo.db"
WEB_DIST = PROJECT_ROOT / "apps" / "web" / "dist"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WISMO_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite+aiosqlite:///{DEFAULT_DB_PATH}",
        description="SQLAlchemy async URL: sqlite+aiosqlite:///path or postgresql+asyncpg://...",
    )
    redis_url: str | None = Field(
        default=None, description="Redis for the task broker and live updates; unset = in-process"
    )
    secret_key: str = Field(
        default="dev-insecure-change-me",
        description="Signs session and survey tokens; set a long random value in production.",
    )
    session_ttl_hours: int = 24 * 7
    survey_token_ttl_hours: int = 24 * 14
    environment: str = Field(default="development", description="development | production")
    log_level: str = "INFO"
    log_json: bool = False
    web_dist: Path = WEB_DIST
    cors_origins: list[str] = Field(default_factory=list)
    secure_cookies: bool = Field(default=False, description="Set cookies Secure (behind TLS)")
    retention_days: int | None = Field(
        default=None, description="Purge message and feedback text older than this many days"
    )
    max_webhook_bytes: int = 1_000_000
    embedded_jobs: bool = Field(
        default=True,
        description="without Redis, run the periodic analytics jobs inside the API process",
    )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
