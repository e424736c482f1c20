"""Encryption of secrets at rest (provider secrets, access tokens, webhook signing keys).

`WISMO_ENCRYPTION_KEYS` holds comma-separated Fernet keys: the first encrypts, every one
decrypts, so a new key goes first and the old ones stay until `wismo rotate-keys` has
re-encrypted every stored secret with it. Without the setting (development, the embedded
demo) a key is generated once into `WISMO_ENCRYPTION_KEY_FILE` (default `var/encryption.key`)
and the start-up log says so; production refuses to start without keys
(`Settings.check_production`).
"""

import os
import threading
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from app.core.config import Settings, get_settings
from app.core.logging import get_logger

log = get_logger(__name__)

_lock = threading.Lock()
_cipher: MultiFernet | None = None


class SecretDecryptionError(RuntimeError):
    """A stored secret cannot be read with any configured key."""


def generate_key() -> str:
    return Fernet.generate_key().decode()


def parse_keys(value: str) -> list[Fernet]:
    keys = [k.strip() for k in value.split(",") if k.strip()]
    if not keys:
        raise ValueError("WISMO_ENCRYPTION_KEYS holds no key")
    try:
        return [Fernet(k) for k in keys]
    except ValueError as exc:
        raise ValueError(
            "WISMO_ENCRYPTION_KEYS must be comma-separated Fernet keys (32 url-safe base64 "
            "bytes each; `wismo generate-encryption-key` prints one)"
        ) from exc


def _key_file_key(path: Path) -> str:
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = generate_key()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    log.warning("encryption_key_generated", path=str(path))
    return key


def cipher_for(settings: Settings) -> MultiFernet:
    if settings.encryption_keys:
        return MultiFernet(parse_keys(settings.encryption_keys))
    if settings.environment == "production":
        raise RuntimeError("WISMO_ENCRYPTION_KEYS is required in production")
    return MultiFernet(parse_keys(_key_file_key(settings.encryption_key_file)))


def key_source(settings: Settings) -> str:
    if settings.encryption_keys:
        return "WISMO_ENCRYPTION_KEYS"
    return f"key file {settings.encryption_key_file} (set WISMO_ENCRYPTION_KEYS in production)"


_settings: Settings | None = None


def configure(settings: Settings) -> None:
    """Use these settings' keys for every secret column from now on; the keys are read (and
    the development key file made) on first use, so building the app touches no file."""
    global _cipher, _settings
    if settings.encryption_keys:
        parse_keys(settings.encryption_keys)
    with _lock:
        _settings, _cipher = settings, None


def cipher() -> MultiFernet:
    global _cipher
    with _lock:
        if _cipher is None:
            _cipher = cipher_for(_settings or get_settings())
        return _cipher


def encrypt(plaintext: str) -> str:
    return cipher().encrypt(plaintext.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return cipher().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise SecretDecryptionError(
            "a stored secret cannot be decrypted with WISMO_ENCRYPTION_KEYS (a key removed "
            "before `wismo rotate-keys` ran?)"
        ) from exc


def rotate(token: str) -> str:
    """The token re-encrypted with the first key (readable with any configured key)."""
    try:
        return cipher().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise SecretDecryptionError("a stored secret cannot be decrypted for rotation") from exc
