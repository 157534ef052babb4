"""Settings every service shares, read from the environment (pydantic-settings)."""

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"


class ServiceSettings(BaseSettings):
    """The connections and knobs of one service process; each service extends it with its own."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    environment: Literal["development", "production"] = "development"
    log_level: str = "INFO"
    host: str = "127.0.0.1"
    port: int = 8000
    # No AMQP_URL: the in-process bus (embedded run). No MONGO_URL: the in-memory document store.
    amqp_url: str | None = None
    mongo_url: str | None = None
    # With the in-memory store, a directory where each store journals its writes to survive restarts.
    store_journal_dir: Path | None = None
    # A prefix for exchange, queue and database names, so that test runs never share a broker's state.
    namespace: str = "hoso"
    retry_delay_seconds: float = 2.0
    max_attempts: int = 5
    prefetch: int = 32
    # How long the broker may go silent (a cut or black-holed link) before the service notices: its connection
    # is closed and retried, /readyz answers 503 and the log says so.
    amqp_heartbeat_seconds: float = Field(default=30.0, ge=7)
    # A message body larger than this is dead-lettered before it is parsed (RabbitMQ adapter).
    max_message_bytes: int = Field(default=1024 * 1024, gt=0)
    # On SIGTERM: how long each step of the graceful stop may take (requests under way, messages in flight,
    # workers such as notify's sender, the outboxes' last pass). Orchestrators must wait longer than four
    # times this before they kill (deploy/ waits 60 s, docker-compose.yml 50 s).
    shutdown_grace_seconds: float = Field(default=10.0, gt=0)
    # The Department's office (address, opening hours, account for fees, days to pay at the office): an
    # operator's own file (OFFICE_FILE) instead of the sample beside the catalog (shared/catalog/office.json).
    office_file: Path | None = None
    # How often each consumed queue's depth is sampled for the consumer lag metric.
    metrics_sample_seconds: float = Field(default=5.0, gt=0)
