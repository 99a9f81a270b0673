"""One settings object for the whole application.

Values come from ``CAREGUIDE_*`` environment variables, then an optional TOML file
(``CAREGUIDE_CONFIG_FILE``, default ``careguide.toml`` in the working directory),
then the defaults below: the embedded default needs no configuration at all.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

# Emergency numbers by region (ISO 3166 code, or CN-HK style for SARs). Sources: the
# national telecom regulators' published emergency numbers (MIIT for 120 in mainland
# China; OFCA for 999 in Hong Kong; FCC for 911; EU Universal Service Directive for 112).
EMERGENCY_NUMBERS: dict[str, str] = {
    "CN": "120",
    "HK": "999",
    "MO": "999",
    "TW": "119",
    "SG": "995",
    "US": "911",
    "CA": "911",
    "GB": "999",
    "EU": "112",
    "DE": "112",
    "FR": "112",
    "AU": "000",
    "JP": "119",
    "KR": "119",
    "IN": "112",
}


def _config_file() -> Path:
    return Path(os.environ.get("CAREGUIDE_CONFIG_FILE", "careguide.toml"))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CAREGUIDE_", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Where the SQLite file, uploads and keys live.")
    database_url: str = Field(default="", description="SQLAlchemy URL; empty means SQLite in data_dir.")
    host: str = "127.0.0.1"
    port: int = 8000
    region: str = Field(default="CN", description="ISO region code; picks the emergency number.")
    default_language: Literal["en", "zh"] = "zh"
    queue: Literal["inprocess", "redis"] = Field(default="inprocess", description="Where background jobs run.")
    redis_url: str = "redis://127.0.0.1:6379/0"
    run_scheduler: bool = Field(default=True, description="With queue=inprocess: run periodic jobs in the API process.")
    llm_provider: Literal["none", "openai", "llamacpp"] = "none"
    llm_base_url: str = "http://127.0.0.1:8001/v1"
    llm_model: str = ""
    llm_api_key: str = ""
    llm_timeout_s: float = 30.0
    assistant_embeddings: bool = Field(default=True, description="Multilingual embeddings beside BM25 in retrieval.")
    conversation_retention_days: int = Field(default=365, ge=1, description="Conversations untouched longer are deleted.")
    secret_key: str = Field(default="", description="Signs session cookies; generated into data_dir if empty.")
    cookie_secure: bool = Field(default=False, description="Set on any deployment behind TLS.")
    session_hours: int = 12
    max_request_bytes: int = 1_000_000
    max_upload_bytes: int = 20_000_000
    rate_limit_per_client: int = Field(default=1200, description="Requests per minute from one client address.")
    rate_limit_per_credential: int = Field(default=600, description="Requests per minute with one token or session.")
    rate_limit_costly: int = Field(default=60, description="Uploads, chat turns, interviews, claim checks, erasure: per minute and credential.")
    login_max_failures: int = 5
    login_lockout_minutes: int = 15

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=_config_file()),
        )

    @property
    def emergency_number(self) -> str:
        return emergency_number(self.region)

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'careguide.db').resolve()}"

    def resolved_secret_key(self) -> str:
        """The configured secret, else one generated once and kept in the data directory."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if not path.exists():
            import secrets

            self.data_dir.mkdir(parents=True, exist_ok=True)
            # O_EXCL: when several workers start at once, exactly one writes the secret.
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(secrets.token_urlsafe(48))
        for _ in range(50):  # another process may be between creating and writing the file
            secret = path.read_text(encoding="utf-8").strip()
            if secret:
                return secret
            import time

            time.sleep(0.02)
        raise RuntimeError(f"secret key file {path} is empty")


def emergency_number(region: str) -> str:
    """The emergency number for ``region``; 112 (reachable from most GSM phones) when unknown."""
    return EMERGENCY_NUMBERS.get(region.upper(), "112")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
