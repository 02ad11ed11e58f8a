"""Spans leave the process over OTLP/HTTP, where the standard OTEL_EXPORTER_OTLP_* variables
say: here to a stand-in collector that records what it is sent."""

from __future__ import annotations

import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

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


def test_a_service_with_the_otlp_exporter_sends_its_spans_to_the_collector() -> None:
    server = HTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        subprocess.run(
            [sys.executable, "-c", SEND_ONE_SPAN],
            env={
                "PLATFORM_OTEL_EXPORTER": "otlp",
                "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{server.server_port}",
                "PATH": "",
            },
            check=True,
            timeout=60,
        )
    finally:
        server.shutdown()
    [(path, body)] = Collector.received
    assert path == "/v1/traces"
    export = ExportTraceServiceRequest.FromString(body)
    [resource_spans] = export.resource_spans
    attributes = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
    assert attributes["service.name"] == "orders"
    assert [span.name for scope in resource_spans.scope_spans for span in scope.spans] == [
        "placing an order"
    ]
