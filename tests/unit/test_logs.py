"""Log lines as JSON for a collector, carrying the ids that lead to the trace and the request."""

from __future__ import annotations

import json
import logging

import pytest
from opentelemetry import trace

from shared.correlation import correlated
from shared.logs import JsonFormatter, LogSettings, configure_logging


def line(record: logging.LogRecord) -> dict[str, str]:
    parsed: dict[str, str] = json.loads(JsonFormatter().format(record))
    return parsed


def record(message: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("orders", logging.WARNING, __file__, 1, message, args, None)


def test_a_json_line_carries_the_trace_span_and_correlation_ids_of_its_request() -> None:
    tracer = trace.get_tracer(__name__)
    with tracer.start_as_current_span("request") as span, correlated("corr-42"):
        logged = line(record("order %s placed", "A-1"))
    context = span.get_span_context()
    assert logged["message"] == "order A-1 placed"
    assert logged["level"] == "warning"
    assert logged["logger"] == "orders"
    assert logged["trace_id"] == f"{context.trace_id:032x}"
    assert logged["span_id"] == f"{context.span_id:016x}"
    assert logged["correlation_id"] == "corr-42"


def test_a_line_outside_any_request_has_no_ids() -> None:
    logged = line(record("worker running"))
    assert "trace_id" not in logged and "correlation_id" not in logged


def test_the_format_is_chosen_by_platform_log_format(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PLATFORM_LOG_FORMAT", "json")
    configure_logging()
    try:
        logging.getLogger("ledger").warning("posted %d", 3)
        assert json.loads(capsys.readouterr().err.strip().splitlines()[-1])["message"] == "posted 3"
        monkeypatch.setenv("PLATFORM_LOG_FORMAT", "xml")
        with pytest.raises(ValueError, match="log_format"):
            LogSettings()
    finally:
        logging.basicConfig(force=True)


def access_line(status: int) -> logging.LogRecord:
    # as uvicorn logs each answer: client, method, path, HTTP version, status
    return logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "POST", "/orders", "1.1", status),
        None,
    )


class Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.mark.parametrize(
    ("setting", "logged"),
    [("failed", [422, 500]), ("every", [201, 422, 500]), ("none", [])],
)
def test_platform_access_log_chooses_which_answers_get_a_line(
    monkeypatch: pytest.MonkeyPatch, setting: str, logged: list[int]
) -> None:
    monkeypatch.setenv("PLATFORM_ACCESS_LOG", setting)
    configure_logging()
    access, kept = logging.getLogger("uvicorn.access"), Kept()
    access.addHandler(kept)
    try:
        for status in (201, 422, 500):
            if access.isEnabledFor(logging.INFO):  # as Logger.info asks first
                access.handle(access_line(status))
        assert [record.args[-1] for record in kept.records] == logged  # type: ignore[index]
    finally:
        access.removeHandler(kept)
        monkeypatch.delenv("PLATFORM_ACCESS_LOG")
        configure_logging()
        logging.basicConfig(force=True)


def test_an_unknown_access_log_setting_is_refused_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLATFORM_ACCESS_LOG", "some")
    with pytest.raises(ValueError, match="access_log"):
        LogSettings()
