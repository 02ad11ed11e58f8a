"""Spans leave the process over OTLP/HTTP, where the standard OTEL_EXPORTER_OTLP_* variables
say: here to a stand-in collector that records what it is sent."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from tests.support.nats_server import free_port

SEND_ONE_SPAN = """
from opentelemetry import trace
from shared.telemetry import tracer_provider
from services.orders.config import Settings

settings = Settings()
provider = tracer_provider(settings.service_name, settings.otel_exporter)
with trace.get_tracer("test").start_as_current_span("placing an order"):
    pass
provider.force_flush()
"""


RUN_A_WORKER_UNTIL_SIGTERM = """
import asyncio, os, signal, sys
from services import registry
from shared.events.base import Envelope
from tests.support.commissioning_app import school_registered
from tests.support.platform import ABBOTS_LANGLEY

async def main():
    service = registry.service(
        "orders", database_url=sys.argv[1], nats_url=sys.argv[2], environment="test",
        metrics_port=int(sys.argv[3]),
    )
    await service.migrate()
    async with service.unit_of_work() as uow:
        uow.record(school_registered(ABBOTS_LANGLEY).payload)
        await uow.commit()
    asyncio.get_running_loop().call_later(5, os.kill, os.getpid(), signal.SIGTERM)
    await service.run_worker()

asyncio.run(main())
"""


class Collector(BaseHTTPRequestHandler):
    received: list[tuple[str, bytes]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Collector.received.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


@contextmanager
def collector() -> Iterator[dict[str, str]]:
    """A stand-in collector, and the environment that sends a process's spans to it."""
    Collector.received = []
    server = HTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield {
            "PLATFORM_OTEL_EXPORTER": "otlp",
            "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{server.server_port}",
            "PATH": "",
        }
    finally:
        server.shutdown()


def spans_received() -> dict[str, list[str]]:
    """Span names by the service that sent them."""
    found: dict[str, list[str]] = {}
    for _path, body in Collector.received:
        for resource_spans in ExportTraceServiceRequest.FromString(body).resource_spans:
            attributes = resource_spans.resource.attributes
            service = {a.key: a.value.string_value for a in attributes}["service.name"]
            found.setdefault(service, []).extend(
                span.name for scope in resource_spans.scope_spans for span in scope.spans
            )
    return found


def test_a_worker_process_sends_its_spans_to_the_collector_too(
    nats_url: str, tmp_path: Path
) -> None:
    metrics_port = free_port()
    with collector() as environment:
        subprocess.run(
            [
                sys.executable,
                "-c",
                RUN_A_WORKER_UNTIL_SIGTERM,
                f"sqlite+aiosqlite:///{tmp_path / 'orders.db'}",
                nats_url,
                str(metrics_port),
            ],
            env={**environment, "PYTHONPATH": str(Path(__file__).parents[2])},
            check=True,
            timeout=90,
        )
    assert "orders.school.registered.v1 publish" in spans_received()["orders"]


def test_a_service_with_the_otlp_exporter_sends_its_spans_to_the_collector() -> None:
    with collector() as environment:
        subprocess.run(
            [sys.executable, "-c", SEND_ONE_SPAN], env=environment, check=True, timeout=60
        )
    [(path, body)] = Collector.received
    assert path == "/v1/traces"
    export = ExportTraceServiceRequest.FromString(body)
    [resource_spans] = export.resource_spans
    attributes = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
    assert attributes["service.name"] == "orders"
    assert [span.name for scope in resource_spans.scope_spans for span in scope.spans] == [
        "placing an order"
    ]
