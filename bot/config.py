"""All configuration in one settings object, read from the environment and ``.env``."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot import defaults, timezones
from bot.errors import UserError

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./peerpath.db"
# The backends peerpath runs on, by the name a URL's scheme starts with.
DATABASES = ("sqlite", "postgresql", "postgres")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# Ten years: any longer is a mistake, and a date that far back is past what dates can hold.
MAX_RETENTION_DAYS = 3650
# Settings that may hold secrets (tokens, a database password): a complaint about one
# never repeats what was given.
SECRETS = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_CLIENT_SECRET",
    "DISCORD_TOKEN",
    "DATABASE_URL",
)


class Settings(BaseSettings):
    """Every knob peerpath reads; the README's configuration table mirrors this class."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(DEFAULT_DATABASE_URL, alias="DATABASE_URL")
    default_tz: str = Field("UTC", alias="PEERPATH_DEFAULT_TZ")
    export_dir: Path = Field(Path("./exports"), alias="PEERPATH_EXPORT_DIR")
    log_level: str = Field("INFO", alias="PEERPATH_LOG_LEVEL")
    log_format: Literal["text", "json"] = Field("text", alias="PEERPATH_LOG_FORMAT")

    # PostgreSQL only (SQLite has one writer and needs no pool): connections kept open per
    # process, and how many more may be opened under load. Replicas multiply both.
    db_pool_size: int = Field(5, ge=1, alias="PEERPATH_DB_POOL_SIZE")
    db_max_overflow: int = Field(5, ge=0, alias="PEERPATH_DB_MAX_OVERFLOW")
    # PostgreSQL only: the schema peerpath's tables live in (its search_path), for a
    # database shared with other applications. The schema must exist.
    db_schema: str | None = Field(None, alias="PEERPATH_DB_SCHEMA")

    slack_bot_token: str | None = Field(None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str | None = Field(None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: str | None = Field(None, alias="SLACK_APP_TOKEN")
    slack_api_url: str | None = Field(None, alias="SLACK_API_URL")
    # "Add to Slack" for many workspaces (OAuth): the app's credentials, from its Basic
    # Information page. With both set, each workspace's bot token comes from its
    # installation and SLACK_BOT_TOKEN is not used.
    slack_client_id: str | None = Field(None, alias="SLACK_CLIENT_ID")
    slack_client_secret: str | None = Field(None, alias="SLACK_CLIENT_SECRET")
    # Days a workspace's data is kept after it removed the app (a re-install within them
    # finds it all again); then the sweep deletes it.
    uninstalled_retention_days: int = Field(
        defaults.UNINSTALLED_RETENTION_DAYS, alias="PEERPATH_UNINSTALLED_RETENTION_DAYS"
    )
    discord_token: str | None = Field(None, alias="DISCORD_TOKEN")
    discord_guild_id: int | None = Field(None, alias="DISCORD_GUILD_ID")
    discord_application_id: int | None = Field(None, alias="DISCORD_APPLICATION_ID")
    discord_api_url: str | None = Field(None, alias="DISCORD_API_URL")
    discord_gateway_url: str | None = Field(None, alias="DISCORD_GATEWAY_URL")
    # Sharding across replicas: every replica gets the same count and its own ids.
    discord_shard_count: int | None = Field(None, ge=1, alias="DISCORD_SHARD_COUNT")
    discord_shard_ids: str | None = Field(None, alias="DISCORD_SHARD_IDS")

    # Pages outside chat (a facilitator's page, calendar feeds): the public base URL their
    # links start with, and the key that signs them (generated and kept in the database
    # when unset, so every replica shares it).
    public_url: str | None = Field(None, alias="PEERPATH_PUBLIC_URL")
    secret_key: str | None = Field(None, alias="PEERPATH_SECRET_KEY")

    sweep_seconds: float = Field(30.0, gt=0, alias="PEERPATH_SWEEP_SECONDS")
    # A claimed reminder not marked sent after this long is taken over by another sweep;
    # keep it well above the slowest delivery.
    nudge_lease_seconds: float = Field(300.0, gt=0, alias="PEERPATH_NUDGE_LEASE_SECONDS")

    host: str = Field("0.0.0.0", alias="PEERPATH_HOST")
    port: int = Field(3000, ge=0, le=65535, alias="PEERPATH_PORT")
    # After SIGTERM, everything (the sweep in progress, adapters, connections) must be done
    # within this many seconds; orchestrators kill at 10 (Docker) or 30 (Kubernetes).
    shutdown_seconds: float = Field(9.0, gt=0, alias="PEERPATH_SHUTDOWN_SECONDS")

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, url: str) -> str:
        example = "sqlite+aiosqlite:///./peerpath.db or postgresql+asyncpg://user:pass@host/db"
        try:
            backend = make_url(url).get_backend_name()
        except ArgumentError:
            raise ValueError(f"not a database URL; expected e.g. {example}") from None
        if backend not in DATABASES:
            raise ValueError(f"peerpath runs on SQLite or PostgreSQL, e.g. {example}")
        return url

    @field_validator("default_tz")
    @classmethod
    def _time_zone(cls, name: str) -> str:
        try:
            return timezones.zone(name).key
        except UserError:
            close = timezones.suggest(name)
            hint = f" (did you mean {' or '.join(close)}?)" if close else ""
            raise ValueError(
                f"not a time zone{hint}; use an IANA name such as Europe/Berlin or UTC"
            ) from None

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, level: str) -> str:
        if level.upper() not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return level.upper()

    @field_validator("slack_api_url", "discord_api_url", "discord_gateway_url")
    @classmethod
    def _web_url(cls, url: str | None) -> str | None:
        if url is not None and not url.startswith(("http://", "https://", "ws://", "wss://")):
            raise ValueError("must be a URL starting with https:// (wss:// for the gateway)")
        return url

    @field_validator("uninstalled_retention_days")
    @classmethod
    def _retention(cls, days: int) -> int:
        if not 0 <= days <= MAX_RETENTION_DAYS:
            raise ValueError(
                f"must be a number of days from 0 to {MAX_RETENTION_DAYS} (ten years), e.g. 30"
            )
        return days

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, url: str | None) -> str | None:
        """Links, the install redirect and the install page's links are built on it."""
        if not url:  # set but empty: unset
            return None
        problem = public_url_problem(url)
        if problem:
            raise ValueError(problem)
        return url

    @model_validator(mode="after")
    def _slack_credentials(self) -> Settings:
        if bool(self.slack_client_id) != bool(self.slack_client_secret):
            raise ValueError(
                "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET go together (Add to Slack): set "
                "both, from the app's Basic Information → App Credentials, or neither"
            )
        return self

    def discord_shards(self) -> tuple[int, list[int]] | None:
        """``(shard count, this process's shard ids)``, or None when not sharding.

        Raises ValueError with the fix when the two settings do not fit together.
        """
        if self.discord_shard_count is None:
            if self.discord_shard_ids:
                raise ValueError("DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT, e.g. 2")
            return None
        count = self.discord_shard_count
        if not self.discord_shard_ids:
            return count, list(range(count))
        try:
            ids = [int(part) for part in self.discord_shard_ids.split(",")]
        except ValueError:
            raise ValueError(
                f"DISCORD_SHARD_IDS must be shard numbers separated by commas, e.g. 0,1 "
                f"(got {self.discord_shard_ids!r})"
            ) from None
        if any(not 0 <= shard < count for shard in ids) or len(set(ids)) != len(ids):
            raise ValueError(
                f"DISCORD_SHARD_IDS must be distinct numbers from 0 to {count - 1} "
                f"(DISCORD_SHARD_COUNT is {count}), e.g. 0,1"
            )
        return count, ids

    @property
    def slack_oauth(self) -> bool:
        """Whether Slack is installed per workspace through OAuth ("Add to Slack")."""
        return bool(self.slack_client_id and self.slack_client_secret)

    def platforms(self) -> list[str]:
        """Names of the chat platforms whose tokens (or Slack's OAuth credentials) are
        configured."""
        found = []
        if self.slack_bot_token or self.slack_oauth:
            found.append("slack")
        if self.discord_token:
            found.append("discord")
        return found


def public_url_problem(url: str) -> str | None:
    """What is wrong with ``url`` as the address people reach peerpath at (None: fine)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        return (
            "must be the address people reach peerpath at: http(s):// and a host, e.g. "
            "https://peerpath.example.org"
        )
    if parts.query or parts.fragment:
        return (
            "must be a plain address without ?query or #fragment, e.g. https://peerpath.example.org"
        )
    return None


def problems(error: ValidationError) -> list[str]:
    """One line per invalid setting: its variable, what is wrong, and what was given."""
    lines = []
    for problem in error.errors():
        name = ".".join(str(part) for part in problem["loc"]) or "settings"
        message = problem["msg"].removeprefix("Value error, ")
        given = problem.get("input")
        shown = "" if name in SECRETS or not isinstance(given, str) else f" (got {given!r})"
        lines.append(f"{name}{shown}: {message}")
    return lines
