"""Service settings from the environment (TASMA_…); unsafe defaults refused outside local use."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from api.storage.engine import data_dir, database_url

if TYPE_CHECKING:
    from api.core.index_cache import IndexSnapshots

__all__ = ["Environment", "Settings", "get_settings"]


class Environment(StrEnum):
    LOCAL = "local"
    TEST = "test"
    PRODUCTION = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TASMA_", extra="ignore")

    environment: Environment = Field(
        default=Environment.LOCAL,
        description="local, test or production; production refuses demo data and unsafe "
        "defaults, and makes cookies Secure.",
    )
    supports_file: Path | None = Field(
        default=None,
        description="The supports' names, amounts and conditions with their valid-from dates "
        "(YAML like features/supports/default.yaml, kept by an admin); default: the packaged "
        "example.",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Signs the web forms' CSRF tokens; required in production (32+ characters).",
    )
    database_url: str = Field(
        default_factory=database_url,
        description="Read from DATABASE_URL (any SQLAlchemy URL); default: SQLite in the data "
        "folder.",
    )
    host: str = Field(default="127.0.0.1", description="The address to listen on.")
    port: int = Field(default=8000, ge=1, le=65535, description="The port to listen on.")
    demo_on_empty: bool = Field(default=True, description="Build the demo world into an empty DB.")
    demo_size: str = Field(
        default="small",
        description="The demo world built into an empty database: tiny, small or large.",
    )
    token_days: int = Field(
        default=30, ge=1, le=365, description="How long an API token lives (a web log-in: a day)."
    )
    audit_retention_days: int = Field(
        default=3650, ge=30, le=36500, description="Audit rows older than this are purged."
    )
    max_body_bytes: int = Field(
        default=5_000_000, ge=10_000, le=100_000_000, description="Larger request bodies: 413."
    )
    max_k: int = Field(
        default=100, ge=1, le=200, description="The longest suggestion list one may ask for."
    )
    rate_limit_per_minute: int = Field(
        default=6000, ge=10, description="Requests a minute per address and per user; past it, 429."
    )
    workers: int = Field(
        default=1, ge=1, le=16, description="Worker processes (set by `tasma serve --workers`)."
    )
    body_seconds: float = Field(
        default=30.0, gt=0, le=600, description="A request's body must arrive within this (408)."
    )
    max_concurrent_requests: int = Field(
        default=64, ge=1, le=10_000, description="Per process; past it new requests get 503."
    )
    trusted_proxies: str = Field(
        default="",
        pattern=r"^[0-9A-Fa-f.:/, ]*$",
        description="Reverse proxies (comma-separated addresses or networks) whose "
        "X-Forwarded-For names the client; default: none, loopback included.",
    )
    access_log: bool = Field(default=True, description="One log line per request.")
    log_json: bool | None = Field(
        default=None,
        description="JSON lines (true) or plain lines for people (false); default: JSON in "
        "production, plain text elsewhere.",
    )
    data_dir: Path = Field(default_factory=data_dir, description="Index snapshots live here.")
    models_dir: Path = Field(
        default=Path("models"), description="Trained re-rankers; models/ACTIVE names the one used."
    )
    warm_index: bool = Field(default=True, description="Load the match index at start-up.")
    batch_dir: Path | None = Field(
        default=None, description="Batch runs' Parquet folders (default: data_dir/batch)."
    )
    dask_scheduler: str | None = Field(
        default=None,
        description="A Dask scheduler's address (tcp://host:8786) for batch runs; default: a "
        "local cluster on this machine.",
    )
    batch_workers: int = Field(
        default=2, ge=1, le=256, description="Workers of the local cluster (one per core)."
    )
    batch_keep_runs: int = Field(
        default=14, ge=2, le=365, description="Batch runs kept; older ones are deleted."
    )
    batch_nightly_at: str | None = Field(
        default=None,
        pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$",
        description="Run the batch every night at this time (HH:MM, the server's clock) and "
        "after bulk imports; default: only when started.",
    )
    worker_threads: int = Field(
        default=4, ge=1, le=64, description="Threads per worker process for the routes."
    )

    def index_snapshots(self) -> IndexSnapshots:
        """The match-index snapshots in the data folder, signed with this service's key."""
        from api.core.index_cache import IndexSnapshots
        from api.storage.files import snapshot_key

        secret = self.secret_key.get_secret_value() if self.secret_key else None
        return IndexSnapshots(self.data_dir / "index-cache", snapshot_key(secret, self.data_dir))

    def json_logs(self) -> bool:
        """Log as JSON lines: when asked, and by default in production (a log collector
        reads them); a person at a console reads plain lines."""
        if self.log_json is not None:
            return self.log_json
        return self.environment is Environment.PRODUCTION

    def batch_folder(self) -> Path:
        return self.batch_dir or self.data_dir / "batch"

    @model_validator(mode="after")
    def _safe_outside_local(self) -> Settings:
        if self.environment is Environment.PRODUCTION:
            problems = []
            if self.demo_on_empty:
                problems.append("TASMA_DEMO_ON_EMPTY must be false (no demo data or demo users)")
            if self.database_url.startswith("sqlite") and "DATABASE_URL" not in _env():
                problems.append("set DATABASE_URL explicitly (the SQLite default is for local use)")
            if self.secret_key is None or len(self.secret_key.get_secret_value()) < 32:
                problems.append("set TASMA_SECRET_KEY to a random string of 32+ characters")
            if problems:
                raise ValueError("unsafe production settings: " + "; ".join(problems))
        return self


def _env() -> dict[str, str]:
    import os

    return dict(os.environ)


@lru_cache
def get_settings() -> Settings:
    return Settings()
