"""Secrets are stored encrypted: the raw database never holds one in clear; keys rotate."""

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from sqlalchemy.ext.asyncio import AsyncSession

from app.core import secrets
from app.core.config import InsecureConfigurationError, Settings
from app.db.migrations import upgrade
from app.db.secret_rotation import rotate_all, secret_columns
from app.db.session import build_engine
from app.main import create_app
from app.models import Store
from app.stores.service import create_store
from tests.integration.test_migrations import scratch_url  # noqa: F401 (fixture)

SHOPIFY = "shpss_0123456789abcdefSECRET"
TRACKING = "trk-very-secret-value-42"
ALERT = "alert-signing-secret-77"
SLACK = "https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX"


@pytest.fixture
def restore_cipher() -> Iterator[None]:
    yield
    secrets.configure(Settings())


async def _every_cell(session: AsyncSession) -> list[str]:
    """Every value of every table, read with plain SQL (no model types)."""
    conn = await session.connection()
    names = await conn.run_sync(lambda c: sa.inspect(c).get_table_names())
    cells: list[str] = []
    for name in names:
        rows = (await session.execute(sa.text(f'SELECT * FROM "{name}"'))).all()  # noqa: S608
        cells.extend(str(value) for row in rows for value in row)
    return cells


async def _add_store_with_secrets(session: AsyncSession) -> Store:
    store = await create_store(
        session, "Secret Store", "UTC", shopify_secret=SHOPIFY, tracking_secret=TRACKING
    )
    store.alert_webhook_secret = ALERT
    store.alert_webhook_url = SLACK
    await session.flush()
    return store


async def test_the_raw_database_holds_no_secret_in_clear(session: AsyncSession) -> None:
    store = await _add_store_with_secrets(session)
    cells = await _every_cell(session)
    for secret in (SHOPIFY, TRACKING, ALERT, SLACK, "XXXXSECRETXXXX"):
        assert not [c for c in cells if secret in c]
    session.expunge_all()
    loaded = await session.get(Store, store.id)
    assert loaded is not None
    assert (loaded.shopify_webhook_secret, loaded.tracking_webhook_secret) == (SHOPIFY, TRACKING)
    assert (loaded.alert_webhook_secret, loaded.alert_webhook_url) == (ALERT, SLACK)


def test_every_secret_column_of_the_models_is_encrypted() -> None:
    assert secret_columns()["stores"] == [
        "shopify_webhook_secret",
        "tracking_webhook_secret",
        "alert_webhook_url",
        "alert_webhook_secret",
    ]


async def test_rotate_keys_moves_every_secret_to_the_first_key(
    session: AsyncSession, restore_cipher: None
) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    secrets.configure(Settings(encryption_keys=old))
    store = await _add_store_with_secrets(session)
    secrets.configure(Settings(encryption_keys=f"{new},{old}"))
    rotated = await rotate_all(session)
    assert rotated >= 4
    raw = (
        await session.execute(
            sa.text("SELECT tracking_webhook_secret FROM stores WHERE id = :id"),
            {"id": store.id if session.bind.dialect.name == "postgresql" else store.id.hex},
        )
    ).scalar_one()
    assert Fernet(new.encode()).decrypt(raw.encode()).decode() == TRACKING
    secrets.configure(Settings(encryption_keys=new))  # the old key is gone now
    session.expunge_all()
    loaded = await session.get(Store, store.id)
    assert loaded is not None and loaded.alert_webhook_url == SLACK


def test_production_refuses_to_start_without_encryption_keys() -> None:
    production = {"environment": "production", "secret_key": "p" * 40}
    with pytest.raises(InsecureConfigurationError, match="WISMO_ENCRYPTION_KEYS"):
        create_app(Settings(**production))
    with pytest.raises(ValueError, match="Fernet keys"):
        secrets.parse_keys("not-a-key")


def test_the_development_key_file_is_generated_once(tmp_path: Any) -> None:
    key_file = tmp_path / "var" / "encryption.key"
    first = secrets.cipher_for(Settings(encryption_key_file=key_file))
    token = first.encrypt(b"hello")
    assert key_file.stat().st_mode & 0o777 == 0o600
    again = secrets.cipher_for(Settings(encryption_key_file=key_file))
    assert again.decrypt(token) == b"hello"


def test_the_migration_encrypts_existing_rows(scratch_url: str) -> None:  # noqa: F811
    upgrade(scratch_url, "0007")

    async def run() -> tuple[Any, ...]:
        engine = build_engine(scratch_url)
        async with engine.begin() as conn:
            await conn.execute(
                sa.text(
                    "INSERT INTO stores (id, name, timezone, currency, shopify_webhook_secret, "
                    "tracking_webhook_secret, widget_allowed_origins, created_at) VALUES "
                    "('0b2f3c4d5e6f47a8b9c0d1e2f3a4b5c6', 'Old', 'UTC', 'USD', :s, :t, '[]', "
                    "CURRENT_TIMESTAMP)"
                ),
                {"s": SHOPIFY, "t": TRACKING},
            )
        await asyncio.to_thread(upgrade, scratch_url)
        async with engine.connect() as conn:
            row = (
                await conn.execute(
                    sa.text("SELECT shopify_webhook_secret, tracking_webhook_secret FROM stores")
                )
            ).one()
        await engine.dispose()
        return tuple(row)

    shopify_raw, tracking_raw = asyncio.run(run())
    assert SHOPIFY not in shopify_raw and TRACKING not in tracking_raw
    assert secrets.decrypt(shopify_raw) == SHOPIFY
    assert secrets.decrypt(tracking_raw) == TRACKING
