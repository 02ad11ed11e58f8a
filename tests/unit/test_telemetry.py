"""A process with no exporter records no spans, yet its requests and events carry trace ids."""

from __future__ import annotations

from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags, set_span_in_context

from shared.telemetry import new_tracer_provider

CALLER = SpanContext(
    trace_id=0x0AF7651916CD43DD8448EB211C80319C,
    span_id=0xB7AD6B7169203331,
    is_remote=True,
    trace_flags=TraceFlags(TraceFlags.SAMPLED),
)


def test_with_no_exporter_a_span_is_not_recorded_but_has_its_ids() -> None:
    tracer = new_tracer_provider("orders", "none").get_tracer(__name__)
    with tracer.start_as_current_span("POST /orders") as span:
        context = span.get_span_context()
        assert not span.is_recording()
        assert context.is_valid
        assert not context.trace_flags.sampled


def test_with_no_exporter_a_caller_s_sampled_trace_is_still_followed() -> None:
    tracer = new_tracer_provider("orders", "none").get_tracer(__name__)
    called = set_span_in_context(NonRecordingSpan(CALLER))
    with tracer.start_as_current_span("POST /orders", context=called) as span:
        assert span.is_recording()
        assert span.get_span_context().trace_id == CALLER.trace_id


def test_with_an_exporter_every_span_is_recorded() -> None:
    provider = new_tracer_provider("orders", "console")
    try:
        with provider.get_tracer(__name__).start_as_current_span("POST /orders") as span:
            assert span.is_recording()
    finally:
        provider.shutdown()
