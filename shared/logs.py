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
AccessLog = Literal["every", "failed", "none"]


class LogSettings(PlatformSettings):
    model_config = SettingsConfigDict(env_prefix="PLATFORM_", extra="ignore")

    log_format: LogFormat = "text"
    log_level: str = "INFO"
    # uvicorn's line per HTTP request: by default only for a request answered with an error.
    # Every request is counted by route and status in /metrics; a line for each cost a busy
    # API up to a tenth of its CPU.
    access_log: AccessLog = "failed"


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
    _choose_access_lines(logging.getLogger("uvicorn.access"), settings.access_log)


class FailedRequestsOnly(logging.Filter):
    """Passes uvicorn's access line only for a status of 400 or more (the status is the last
    of its arguments); anything else logged there passes."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = record.args[-1] if isinstance(record.args, tuple) and record.args else None
        return not isinstance(status, int) or status >= 400


def _choose_access_lines(access: logging.Logger, which: AccessLog) -> None:
    for old in [f for f in access.filters if isinstance(f, FailedRequestsOnly)]:
        access.removeFilter(old)
    access.setLevel(logging.WARNING if which == "none" else logging.NOTSET)
    if which == "failed":
        access.addFilter(FailedRequestsOnly())
