"""OpenTelemetry: one tracer provider per process; the trace context travels in `traceparent`.

With the `otlp` exporter, spans go over OTLP/HTTP where the standard variables say
(`OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, `OTEL_EXPORTER_OTLP_HEADERS`,
…): to the OpenTelemetry Collector in compose and Kubernetes, which forwards them to Jaeger.
With no exporter (`none`, the default) spans are not recorded, since nothing would read them;
each still has its ids, so the `traceparent` a request or an event carries and a log line's
trace id are there all the same.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, ParentBased
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

if TYPE_CHECKING:  # each imported where it is used: a worker starts without them
    import httpx
    from fastapi.telemetry import TelemetryConfig

Exporter = Literal["none", "console", "otlp"]

_propagator = TraceContextTextMapPropagator()


UNTRACED = ("/healthz", "/readyz", "/metrics")  # polled, not asked: a span each says nothing


def request_spans(
    provider: TracerProvider, *, untraced: tuple[str, ...] = UNTRACED
) -> TelemetryConfig:
    """FastAPI's own tracing: a server span per request, named "METHOD /route" when its route
    is chosen, continuing the caller's `traceparent`. FastAPI knows the route it chose, where
    OpenTelemetry's instrumentation looked it up again on every request (and added spans for
    each message sent and received). Paths starting with one of `untraced` (health checks,
    metrics, static files) are not traced. Its metrics and logs are left off: `/metrics` counts
    requests (`shared/http_metrics.py`) and the logs are ours."""

    def excluded(scope: Any) -> bool:
        return str(scope.get("path", "")).startswith(untraced)

    return {
        "tracer_provider": provider,
        "metrics": False,
        "logs": False,
        "operation_spans": False,
        "exclude": excluded,
    }


def tracer_provider(service_name: str, exporter: Exporter = "none") -> TracerProvider:
    """The process's provider, created on first use (a test may have installed its own)."""
    current = trace.get_tracer_provider()
    if isinstance(current, TracerProvider):
        return current
    provider = new_tracer_provider(service_name, exporter)
    trace.set_tracer_provider(provider)
    return provider


def new_tracer_provider(service_name: str, exporter: Exporter) -> TracerProvider:
    resource = Resource.create({"service.name": service_name})
    if exporter == "none":
        # A caller's sampled trace is still recorded: a part of the platform may export.
        return TracerProvider(resource=resource, sampler=ParentBased(ALWAYS_OFF))
    provider = TracerProvider(resource=resource)
    if exporter == "console":
        provider.add_span_processor(BatchSpanProcessor(ConsoleSpanExporter()))
    elif exporter == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    return provider


def traced(client: httpx.AsyncClient, provider: TracerProvider) -> httpx.AsyncClient:
    """`client`, each request of it a client span whose `traceparent` goes with the request,
    so that the service called continues the caller's trace instead of starting its own."""
    # The instrumentor warns when asked twice (a test's portal apps may share their clients).
    if not getattr(client, "_is_instrumented_by_opentelemetry", False):
        from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

        HTTPXClientInstrumentor.instrument_client(client, tracer_provider=provider)
    return client


def current_traceparent() -> str | None:
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return carrier.get("traceparent")


def context_from(traceparent: str | None) -> Context | None:
    if not traceparent:
        return None
    return _propagator.extract({"traceparent": traceparent})
