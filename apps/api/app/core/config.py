"""Settings, read from the environment with the WISMO_ prefix (and an optional .env file)."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[4]
DEFAULT_DB_PATH = PROJECT_ROOT / "var" / "wismo.db"
DEFAULT_KEY_FILE = PROJECT_ROOT / "var" / "encryption.key"
WEB_DIST = PROJECT_ROOT / "apps" / "web" / "dist"
DEV_SECRET_KEY = "dev-insecure-change-me"  # noqa: S105 (the public development default)
MIN_SECRET_KEY_LENGTH = 32


class InsecureConfigurationError(RuntimeError):
    """A setting that must not reach production did (the server refuses to start)."""


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
        default=DEV_SECRET_KEY,
        description=(
            "Signs survey tokens and live tickets; in production a random value of at least "
            f"{MIN_SECRET_KEY_LENGTH} characters is required (the server refuses to start)."
        ),
    )
    encryption_keys: str | None = Field(
        default=None,
        description=(
            "Comma-separated Fernet keys for secrets at rest; the first encrypts, all decrypt. "
            "Required in production; unset elsewhere, a key is generated into encryption_key_file"
        ),
    )
    encryption_key_file: Path = DEFAULT_KEY_FILE
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
    trusted_proxies: str = Field(
        default="",
        description=(
            "Comma-separated addresses or networks of reverse proxies whose X-Forwarded-For / "
            "X-Forwarded-Proto are believed; empty = those headers are ignored"
        ),
    )
    # Request bodies, per route class (413 past the limit); the whole body must arrive within
    # body_timeout_seconds (408), before any database work starts.
    max_webhook_bytes: int = 1_000_000
    helpdesk_webhook_requests_per_minute: int = Field(
        default=600, description="Zendesk/Gorgias webhook requests per minute per client address"
    )
    max_anonymous_bytes: int = Field(
        default=64_000, description="login, chat (widget) and survey answers"
    )
    max_api_bytes: int = Field(default=1_000_000, description="other authenticated API requests")
    max_import_bytes: int = Field(default=50_000_000, description="file imports")
    body_timeout_seconds: float = 30.0
    # Outbound webhooks (alerts, Slack, digests): https to public addresses only, unless
    # these development switches are set (e.g. a receiver on this machine).
    outbound_allow_http: bool = False
    outbound_allow_private: bool = False
    smtp_url: str | None = Field(
        default=None,
        description=(
            "smtp://user:pass@host:port (STARTTLS when offered) or smtps://... (TLS); unset = "
            "mail goes to the outbox table shown at /settings/outbox and to the log"
        ),
    )
    smtp_from: str = Field(default="WISMO Analytics <no-reply@localhost>")
    smtp_timeout_seconds: float = Field(default=10.0, description="bounds each SMTP delivery")
    public_url: str | None = Field(
        default=None,
        description=(
            "where merchants reach this server: emailed links, OAuth redirects, webhook "
            "addresses; unset = the request's own address (http://127.0.0.1:8000 where there "
            "is no request)"
        ),
    )
    invite_ttl_hours: int = 72
    password_reset_ttl_minutes: int = 60
    shopify_api_key: str | None = Field(default=None, description="the Shopify app's client id")
    shopify_api_secret: str | None = Field(
        default=None, description="the Shopify app's client secret (signs OAuth and webhooks)"
    )
    shopify_scopes: str = "read_orders,read_all_orders,read_fulfillments"
    shopify_admin_url: str | None = Field(
        default=None,
        description=(
            "development/tests: the Admin API base instead of https://{shop}, e.g. "
            "http://127.0.0.1:9000/{shop} for the local fake"
        ),
    )
    embedded_jobs: bool = Field(
        default=True,
        description="without Redis, run the periodic analytics jobs inside the API process",
    )

    @property
    def public_base_url(self) -> str:
        """`public_url` without a trailing slash, for links made without a request."""
        return (self.public_url or "http://127.0.0.1:8000").rstrip("/")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def trusted_proxy_list(self) -> list[str]:
        return [p.strip() for p in self.trusted_proxies.split(",") if p.strip()]

    def check_production(self) -> None:
        """Refuse settings that would be unsafe in production."""
        if self.environment != "production":
            return
        if self.secret_key == DEV_SECRET_KEY or len(self.secret_key) < MIN_SECRET_KEY_LENGTH:
            raise InsecureConfigurationError(
                "WISMO_ENVIRONMENT=production needs WISMO_SECRET_KEY set to a random value of "
                f"at least {MIN_SECRET_KEY_LENGTH} characters (e.g. `python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))'`); refusing to start with the development key"
            )
        if not self.encryption_keys:
            raise InsecureConfigurationError(
                "WISMO_ENVIRONMENT=production needs WISMO_ENCRYPTION_KEYS (comma-separated "
                "Fernet keys, the first encrypts; `wismo generate-encryption-key` prints one); "
                "refusing to start without them"
            )
        if self.outbound_allow_private:
            raise InsecureConfigurationError(
                "WISMO_OUTBOUND_ALLOW_PRIVATE is for development only; unset it in production"
            )


@lru_cache
def get_settings() -> Settings:
    return Settings()
