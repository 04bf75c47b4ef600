"""All configuration in one settings object, read from the environment and ``.env``."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./peerpath.db"


class Settings(BaseSettings):
    """Every knob peerpath reads; the README's configuration table mirrors this class."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(DEFAULT_DATABASE_URL, alias="DATABASE_URL")
    default_tz: str = Field("UTC", alias="PEERPATH_DEFAULT_TZ")
    export_dir: Path = Field(Path("./exports"), alias="PEERPATH_EXPORT_DIR")
    log_level: str = Field("INFO", alias="PEERPATH_LOG_LEVEL")

    slack_bot_token: str | None = Field(None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str | None = Field(None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: str | None = Field(None, alias="SLACK_APP_TOKEN")
    slack_api_url: str | None = Field(None, alias="SLACK_API_URL")
    discord_token: str | None = Field(None, alias="DISCORD_TOKEN")
    discord_guild_id: int | None = Field(None, alias="DISCORD_GUILD_ID")
    discord_application_id: int | None = Field(None, alias="DISCORD_APPLICATION_ID")
    discord_api_url: str | None = Field(None, alias="DISCORD_API_URL")
    discord_gateway_url: str | None = Field(None, alias="DISCORD_GATEWAY_URL")

    sweep_seconds: float = Field(30.0, gt=0, alias="PEERPATH_SWEEP_SECONDS")
    # A claimed reminder not marked sent after this long is taken over by another sweep;
    # keep it well above the slowest delivery.
    nudge_lease_seconds: float = Field(300.0, gt=0, alias="PEERPATH_NUDGE_LEASE_SECONDS")

    host: str = Field("0.0.0.0", alias="PEERPATH_HOST")
    port: int = Field(3000, alias="PEERPATH_PORT")

    def platforms(self) -> list[str]:
        """Names of the chat platforms whose tokens are configured."""
        found = []
        if self.slack_bot_token:
            found.append("slack")
        if self.discord_token:
            found.append("discord")
        return found
