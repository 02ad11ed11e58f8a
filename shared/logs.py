"""How a process logs: plain lines for a person at a terminal, or one JSON object per line for
a log collector (PLATFORM_LOG_FORMAT=json), carrying the trace, span and correlation ids so
that a log line leads to its trace and to the request that caused it."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Literal

from opentelemetry import trace
from pydantic_settings import SettingsConfigDict

from shared.correlation import current_correlation_id_or_none
from shared.settings import PlatformSettings

LogFormat = Literal["text", "json"]


class LogSettings(PlatformSettings):
    model_config = SettingsConfigDict(env_prefix="PLATFORM_", extra="ignore")

    log_format: LogFormat = "text"
    log_level: str = "INFO"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        span = trace.get_current_span().get_span_context()
        if span.is_valid:
            entry["trace_id"] = f"{span.trace_id:032x}"
            entry["span_id"] = f"{span.span_id:016x}"
        correlation_id = current_correlation_id_or_none()
        if correlation_id:
            entry["correlation_id"] = correlation_id
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(settings: LogSettings | None = None) -> None:
    settings = settings or LogSettings()
    handler = logging.StreamHandler()
    if settings.log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
    logging.basicConfig(level=settings.log_level.upper(), handlers=[handler], force=True)
    # httpx logs each request it makes at INFO; the service it calls logs it already, and its
    # trace holds both ends.
    logging.getLogger("httpx").setLevel(logging.WARNING)
