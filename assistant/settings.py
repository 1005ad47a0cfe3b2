"""One settings object, read from environment variables and an optional `audit.toml`.

Environment wins over the file, the file over the defaults. With no endpoint configured the
product runs fully offline (rules extractor, hashed n-gram embeddings).
"""

from __future__ import annotations

import os
import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

CONFIG_FILE_ENV = "AUDIT_CONFIG"
DEFAULT_CONFIG_FILE = "audit.toml"

StructuredMethod = Literal["auto", "json_schema", "function_calling", "json_mode"]


APP_NAME = "audit-assistant"
LEGACY_STORE = Path("vectorstore")  # a store in the working folder, as earlier versions made it


def _user_dir(env: str, fallback: str) -> Path:
    return Path(os.environ.get(env) or Path.home() / fallback) / APP_NAME


def user_config_file() -> Path:
    """The per-user settings file, used when the working folder has no audit.toml."""
    return _user_dir("XDG_CONFIG_HOME", ".config") / DEFAULT_CONFIG_FILE


def user_store_dir() -> Path:
    """Where the store lives when nothing says otherwise: the same for every working folder."""
    return _user_dir("XDG_DATA_HOME", ".local/share") / "vectorstore"


def config_file() -> Path | None:
    """$AUDIT_CONFIG, else ./audit.toml, else the per-user file; None when none exists."""
    named = os.environ.get(CONFIG_FILE_ENV)
    candidates = [Path(named)] if named else [Path(DEFAULT_CONFIG_FILE), user_config_file()]
    return next((p for p in candidates if p.is_file()), None)


class _TomlSource(PydanticBaseSettingsSource):
    """Reads the settings file (see `config_file`); keys are field names. A relative `store_dir`
    or `cache_dir` in the file is taken from the file's folder, not from wherever a command runs."""

    def __init__(self, settings_cls: type[BaseSettings]) -> None:
        super().__init__(settings_cls)
        path = config_file()
        self.data: dict[str, Any] = {}
        if path is not None:
            with path.open("rb") as fh:
                raw = tomllib.load(fh)
            # accept a flat file or an [audit] table
            self.data = dict(raw.get("audit", raw))
            for key in ("store_dir", "cache_dir"):
                if key in self.data and not Path(str(self.data[key])).expanduser().is_absolute():
                    self.data[key] = str(path.resolve().parent / str(self.data[key]))

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return self.data.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return {k: v for k, v in self.data.items() if k in self.settings_cls.model_fields}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    # chat model (OpenAI-compatible)
    base_url: str | None = Field(default=None, validation_alias=AliasChoices("OPENAI_BASE_URL", "base_url"))
    api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "api_key")
    )
    model: str | None = Field(default=None, validation_alias=AliasChoices("AUDIT_MODEL", "model"))
    temperature: float = Field(
        default=0.0, validation_alias=AliasChoices("AUDIT_LLM_TEMPERATURE", "temperature")
    )
    timeout: float = Field(default=60.0, validation_alias=AliasChoices("AUDIT_LLM_TIMEOUT", "timeout"))
    max_retries: int = Field(default=2, validation_alias=AliasChoices("AUDIT_LLM_MAX_RETRIES", "max_retries"))
    concurrency: int = Field(default=4, validation_alias=AliasChoices("AUDIT_LLM_CONCURRENCY", "concurrency"))
    structured_method: StructuredMethod = Field(
        default="auto", validation_alias=AliasChoices("AUDIT_LLM_STRUCTURED_METHOD", "structured_method")
    )
    # USD per million tokens, for the cost line printed after a bulk run (0 = unknown)
    price_input_per_mtok: float = Field(
        default=0.0, validation_alias=AliasChoices("AUDIT_PRICE_INPUT", "price_input_per_mtok")
    )
    price_output_per_mtok: float = Field(
        default=0.0, validation_alias=AliasChoices("AUDIT_PRICE_OUTPUT", "price_output_per_mtok")
    )

    # embeddings (OpenAI-compatible)
    embeddings_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("AUDIT_EMBEDDINGS_BASE_URL", "embeddings_base_url")
    )
    embeddings_model: str | None = Field(
        default=None, validation_alias=AliasChoices("AUDIT_EMBEDDINGS_MODEL", "embeddings_model")
    )
    embeddings_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("AUDIT_EMBEDDINGS_API_KEY", "embeddings_api_key")
    )

    # storage
    store_dir: Path = Field(
        default_factory=lambda: LEGACY_STORE.resolve() if LEGACY_STORE.is_dir() else user_store_dir(),
        validation_alias=AliasChoices("AUDIT_STORE_DIR", "store_dir"),
    )
    chroma_host: str | None = Field(
        default=None, validation_alias=AliasChoices("AUDIT_CHROMA_HOST", "chroma_host")
    )
    chroma_port: int | None = Field(
        default=None, validation_alias=AliasChoices("AUDIT_CHROMA_PORT", "chroma_port")
    )
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("AUDIT_DATABASE_URL", "database_url")
    )
    lock_timeout: float = Field(
        default=600.0, validation_alias=AliasChoices("AUDIT_LOCK_TIMEOUT", "lock_timeout")
    )
    reviewer: str | None = Field(default=None, validation_alias=AliasChoices("AUDIT_REVIEWER", "reviewer"))
    cache_dir: Path = Field(
        default=Path(".audit_cache"), validation_alias=AliasChoices("AUDIT_CACHE_DIR", "cache_dir")
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, _TomlSource(settings_cls))

    @property
    def store_source(self) -> str:
        """Where the store's location came from, for `audit config show` and empty-store messages."""
        if os.environ.get("AUDIT_STORE_DIR"):
            return "环境变量 AUDIT_STORE_DIR"
        file = config_file()
        if file is not None and "store_dir" in _TomlSource(type(self)).data:
            return f"设置文件 {file}"
        if Path(self.store_dir) == LEGACY_STORE.resolve():
            return "当前目录下已有的 vectorstore/"
        return "每个用户的默认位置"

    @property
    def llm_configured(self) -> bool:
        return bool(self.model and (self.base_url or self.api_key))

    @property
    def embeddings_configured(self) -> bool:
        return bool(self.embeddings_model and self.embeddings_base_url)

    def masked(self) -> dict[str, Any]:
        """Effective settings for display, the keys masked."""
        out: dict[str, Any] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                secret = value.get_secret_value()
                value = (secret[:3] + "…" + secret[-2:]) if len(secret) > 8 else "***"
            elif isinstance(value, Path):
                value = str(value)
            elif name == "database_url" and value:
                value = re.sub(r"(//[^:/@]+:)[^@]*@", r"\1***@", value)  # never the password
            out[name] = value
        return out


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
