"""Configuration from the environment (and a `.env` file), loaded once at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///surveybot.sqlite3"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = None
    database_url: str = DEFAULT_DATABASE_URL
    telegram_api_url: str | None = None
    telegram_framework: Literal["aiogram", "ptb"] = "aiogram"
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    default_language: str = "zh"
    timezone: str = "Asia/Shanghai"
    bot_username: str | None = None
    specs_dir: Path | None = None
    send_rate_per_second: float = Field(default=25, gt=0)
    reminder_sweep_minutes: float = Field(default=5, gt=0)
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "0.0.0.0:8080"
    migrate_on_start: bool = True
    # The web page of the surveys (`surveybot web`): its public base URL (for links), where it listens,
    # requests a minute one address may send (0: no limit), and whether a reverse proxy in front of it
    # names the client in X-Forwarded-For.
    web_base_url: str | None = None
    web_listen: str = "0.0.0.0:8000"
    web_rate_per_minute: int = Field(default=600, ge=0)
    web_behind_proxy: bool = False

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace(";", ",").split(",") if part.strip())
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, url: str) -> str:
        """Accept plain `sqlite:///` and `postgresql://` URLs and pick the async driver."""
        for plain, driver in (("sqlite://", "sqlite+aiosqlite://"), ("postgresql://", "postgresql+asyncpg://"),
                              ("postgres://", "postgresql+asyncpg://")):
            if url.startswith(plain):
                return driver + url[len(plain):]
        return url
