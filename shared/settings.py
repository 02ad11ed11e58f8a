"""One Settings class per service, read from the environment with the service's own prefix.

A few values are platform-wide (one NATS, one token key): each may also come from an
unprefixed variable such as NATS_URL, which a service-specific one (ORDERS_NATS_URL) overrides.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, ValidationError, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from shared.telemetry import Exporter

DEVELOPMENT_JWT_SECRET = "development-only-secret-change-me-in-production"
MAX_PORT = 65_535

# At 200 orders/s, batches that gathered this long halved the median HTTP -> ledger posting:
# the consumers that no one waits on no longer take the cores as each order's events arrive.
OFF_THE_MONEY_PATH_GATHER_SECONDS = 0.2

PLATFORM_WIDE = {
    "environment": "PLATFORM_ENVIRONMENT",
    "data_dir": "PLATFORM_DATA_DIR",
    "nats_url": "NATS_URL",
    "jwt_secret": "PLATFORM_JWT_SECRET",
    "jwt_jwks_url": "PLATFORM_JWT_JWKS_URL",
    "otel_exporter": "PLATFORM_OTEL_EXPORTER",
    "stream_replicas": "PLATFORM_STREAM_REPLICAS",
    # the annual buy-back's window: orders enforces it and notifications announces it
    "renewal_opens_days_before": "PLATFORM_RENEWAL_OPENS_DAYS_BEFORE",
    "renewal_closes_days_after": "PLATFORM_RENEWAL_CLOSES_DAYS_AFTER",
    # the company's particulars on every VAT invoice (shared/supplier.py)
    "supplier_legal_name": "PLATFORM_SUPPLIER_LEGAL_NAME",
    "supplier_address": "PLATFORM_SUPPLIER_ADDRESS",
    "supplier_vat_number": "PLATFORM_SUPPLIER_VAT_NUMBER",
    "bank_account_name": "PLATFORM_BANK_ACCOUNT_NAME",
    "bank_sort_code": "PLATFORM_BANK_SORT_CODE",
    "bank_account_number": "PLATFORM_BANK_ACCOUNT_NUMBER",
}


class PlatformWideEnvironment(PydanticBaseSettingsSource):
    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        name = PLATFORM_WIDE.get(field_name, "")
        return os.environ.get(name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return {
            field: os.environ[name] for field, name in PLATFORM_WIDE.items() if name in os.environ
        }


class PlatformSettings(BaseSettings):
    """Settings read from arguments, then the process's own prefixed variables, then the
    platform-wide ones (PLATFORM_ENVIRONMENT, PLATFORM_JWT_SECRET, …)."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, PlatformWideEnvironment(settings_cls))


class ServiceSettings(PlatformSettings):
    service_name: ClassVar[str]
    default_port: ClassVar[int]
    # A service whose events no one waits on (a message to send, a figure to count) lets its
    # consumers' batches gather: see `consumer_gather_seconds`.
    default_gather_seconds: ClassVar[float] = 0.0

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = Path(".data")
    database_url: str = ""
    nats_url: str = "nats://127.0.0.1:4222"  # or a comma-separated list of cluster seeds
    stream_replicas: int = 1  # 3 on a three-node JetStream cluster
    jwt_secret: str = DEVELOPMENT_JWT_SECRET
    jwt_jwks_url: str | None = None
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=0, ge=0, le=MAX_PORT)
    # The relay is woken by this process's own commits; this slow poll finds rows that another
    # process (the API beside the worker) committed and could not publish itself.
    outbox_poll_seconds: float = Field(default=5.0, gt=0, le=3600)
    # Batched consumers: fetch up to batch_size, one transaction, then ack. An event whose handler
    # fails is retried after each backoff in turn and parked in dead_letters after max_deliveries;
    # a fetched batch not acked within ack_wait is redelivered; at most max_ack_pending are out.
    # Each bounded: nats-py refuses a fetch of no events or of no time, which would fail and be
    # retried for ever, the worker healthy and nothing applied.
    consumer_batch_size: int = Field(default=256, ge=1, le=10_000)
    consumer_max_deliveries: int = Field(default=5, ge=1, le=1000)
    consumer_ack_wait_seconds: float = Field(default=30.0, gt=0, le=3600)
    consumer_backoff_seconds: list[Annotated[float, Field(ge=0, le=3600)]] = Field(
        default=[1.0, 5.0, 30.0], min_length=1, max_length=20
    )
    consumer_max_ack_pending: int = Field(default=1024, ge=1, le=1_000_000)
    # How long one fetch waits on the server for an event: an event that arrives ends it at once.
    # A restarted NATS server forgets the waiting fetches, so this also bounds how long a
    # consumer waits before asking again after an outage.
    consumer_idle_fetch_seconds: float = Field(default=5.0, ge=0.1, le=60)
    # After a batch, how long a consumer waits before it fetches the next, so that the events
    # that come meanwhile are applied together, each paying less of a batch's fixed cost (its
    # transaction, its commit, the relay's round). The first event after a quiet spell is
    # applied at once. 0 (the money path's): fetch again at once. Unset: the service's default.
    consumer_gather_seconds: float = Field(default=0.0, ge=0, le=60)
    # PostgreSQL connections per process (SQLite has one writer connection per process).
    database_pool_size: int = Field(default=5, ge=1, le=1000)
    database_max_overflow: int = Field(default=10, ge=0, le=1000)
    otel_exporter: Exporter = "none"  # otlp: to OTEL_EXPORTER_OTLP_ENDPOINT
    # Where the worker serves /metrics and /healthz (on http_host); 0: the API's port + 1000.
    metrics_port: int = Field(default=0, ge=0, le=MAX_PORT)
    # How long /readyz waits for the database and for NATS (at once) before it names the one that
    # has not answered: a host that drops packets would otherwise hold it for the driver's
    # connect timeout (asyncpg's: 60 s), past the readiness probe's own (3 s).
    readiness_timeout_seconds: float = Field(default=2.0, gt=0, le=60)

    @model_validator(mode="after")
    def _fill_defaults_and_refuse_unsafe(self) -> ServiceSettings:
        if not self.database_url:
            self.database_url = f"sqlite+aiosqlite:///{self.data_dir}/{self.service_name}.db"
        try:
            make_url(self.database_url)
        except ArgumentError:
            raise ValueError(
                "database_url: not a database URL (e.g. postgresql+asyncpg://user@host/name)"
            ) from None
        if not self.http_port:
            self.http_port = self.default_port
        if not self.metrics_port:
            self.metrics_port = self.http_port + 1000
            if self.metrics_port > MAX_PORT:
                raise ValueError(
                    f"metrics_port: the API's port + 1000 is past {MAX_PORT}; set it yourself"
                )
        if "consumer_gather_seconds" not in self.model_fields_set:
            self.consumer_gather_seconds = self.default_gather_seconds
        if self.environment == "production":
            # the platform signs its own tokens with it, also beside an OIDC provider's keys
            if self.jwt_secret == DEVELOPMENT_JWT_SECRET:
                raise ValueError("jwt_secret: set a real signing key in production")
            if self.database_url.startswith("sqlite"):
                raise ValueError("database_url: production needs PostgreSQL, not SQLite")
        return self

    @property
    def stream_name(self) -> str:
        return self.service_name.upper()


DAYS_IN_A_YEAR = 365


class RenewalWindowSettings(ServiceSettings):
    """The annual buy-back's window, around the academic year's start (1 September): one
    setting for the service that enforces it (orders) and the one that tells schools its dates
    (notifications), so that what a school is told is what it will find."""

    renewal_opens_days_before: int = Field(default=183, ge=0, le=366)  # early March
    renewal_closes_days_after: int = Field(default=30, ge=0, le=366)  # the end of September

    @model_validator(mode="after")
    def _one_window_a_year(self) -> RenewalWindowSettings:
        """Two years' windows may not overlap: a school would be asked to renew for one year
        while told of the other's, and reminded of only one."""
        if self.renewal_opens_days_before + self.renewal_closes_days_after >= DAYS_IN_A_YEAR:
            raise ValueError(
                "renewal_opens_days_before + renewal_closes_days_after: together under "
                f"{DAYS_IN_A_YEAR} days, so that one year's renewal window closes before the "
                "next one's opens"
            )
        return self


def service_settings_config(service_name: str) -> SettingsConfigDict:
    return SettingsConfigDict(env_prefix=f"{service_name.upper()}_", extra="ignore")


def refusal(settings: type[PlatformSettings], error: ValidationError, *, of: str) -> str:
    """What an operator reads when a process (`of`: the service's name, or the portal) refuses
    the settings it was given: each problem named by the environment variable that sets it."""
    lines = [f"the {of} settings are refused:"]
    for problem in error.errors():
        message = str(problem["msg"]).removeprefix("Value error, ")
        field = str(problem["loc"][0]) if problem["loc"] else ""
        if not field:  # a rule of the whole: its message begins with the field at fault
            named, _, rest = message.partition(": ")
            field, message = (named, rest) if named in settings.model_fields else ("", message)
        lines.append(f"  {variables_of(settings, field)}: {message}" if field else f"  {message}")
    return "\n".join(lines)


def variables_of(settings: type[PlatformSettings], field: str) -> str:
    """The environment variables that set `field`, the service's own first."""
    own = f"{settings.model_config.get('env_prefix', '')}{field}".upper()
    wide = PLATFORM_WIDE.get(field)
    return f"{own} (or {wide})" if wide else own
