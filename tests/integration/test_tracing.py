"""One trace from the HTTP request, through the outbox and JetStream, into the consumers."""

from __future__ import annotations

from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from shared.auth import Role
from tests.integration.test_path_of_money import listed_in_orders, publish_service
from tests.support.platform import ABBOTS_LANGLEY, Platform, auth, eventually

TRACE_ID = 0x4BF92F3577B34DA6A3CE929D0E0E4736
TRACEPARENT = f"00-{TRACE_ID:032x}-00f067aa0ba902b7-01"


async def test_a_trace_started_by_the_http_request_continues_in_the_consumers(
    platform: Platform, spans: InMemorySpanExporter
) -> None:
    service = await publish_service(platform)
    await eventually(lambda: listed_in_orders(platform, service["id"]))

    placed = await platform.orders.post(
        "/orders",
        json={
            "urn": ABBOTS_LANGLEY,
            "lines": [{"service_id": service["id"], "quantity": 1}],
            "payment_method": "invoice",
            "purchase_order": "PO-TRACE",
        },
        headers={**auth(Role.SCHOOL, ABBOTS_LANGLEY), "traceparent": TRACEPARENT},
    )
    assert placed.status_code == 201

    def in_this_trace(kind: SpanKind) -> set[str]:
        return {
            span.name
            for span in spans.get_finished_spans()
            if span.context is not None and span.context.trace_id == TRACE_ID and span.kind is kind
        }

    async def consumed_and_posted() -> set[str]:
        found = in_this_trace(SpanKind.CONSUMER) | in_this_trace(SpanKind.PRODUCER)
        expected = {
            "orders.order.placed.v1 process",  # the catalogue reserves places
            "orders.invoice.raised.v1 process",  # the ledger posts it; evaluation: a participant
            "ledger.transaction.posted.v1 publish",  # and the ledger's own event carries on
        }
        return found if expected <= found else set()

    await eventually(consumed_and_posted)
    server_spans = [
        span
        for span in spans.get_finished_spans()
        if span.kind is SpanKind.SERVER and span.context and span.context.trace_id == TRACE_ID
    ]
    assert server_spans, "the HTTP request itself was traced under the caller's trace id"
