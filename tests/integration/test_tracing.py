"""One trace from the HTTP request, through the outbox and JetStream, into the consumers."""

from __future__ import annotations

from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from services.portal.bootstrap import create_app
from services.portal.config import Settings
from shared.auth import Role
from tests.integration.test_path_of_money import listed_in_orders, publish_service
from tests.support.platform import ABBOTS_LANGLEY, Platform, auth, eventually, invoice_order
from tests.support.portal_pages import sign_in, visiting

TRACE_ID = 0x4BF92F3577B34DA6A3CE929D0E0E4736
TRACEPARENT = f"00-{TRACE_ID:032x}-00f067aa0ba902b7-01"


async def test_a_trace_started_by_the_http_request_continues_in_the_consumers(
    platform: Platform, spans: InMemorySpanExporter
) -> None:
    service = await publish_service(platform)
    await eventually(lambda: listed_in_orders(platform, service["id"]))

    placed = await platform.orders.post(
        "/orders",
        json=invoice_order(service["id"], purchase_order="PO-TRACE"),
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


def trace_of(spans: InMemorySpanExporter, name: str) -> int:
    """The trace id of the one finished server span called `name` ("METHOD /route")."""
    found: list[int] = [
        span.context.trace_id
        for span in spans.get_finished_spans()
        if span.kind is SpanKind.SERVER and span.name == name and span.context is not None
    ]
    assert len(found) == 1, f"{len(found)} server spans {name}"
    return found[0]


def in_trace(spans: InMemorySpanExporter, trace_id: int) -> set[tuple[SpanKind, str]]:
    return {
        (span.kind, span.name)
        for span in spans.get_finished_spans()
        if span.context is not None and span.context.trace_id == trace_id
    }


async def test_one_click_in_the_portal_is_one_trace_through_orders_the_catalogue_and_the_ledger(
    platform: Platform, spans: InMemorySpanExporter
) -> None:
    """Each API is reached as another process would be: only the request's headers carry the
    trace from the portal to orders and from orders to the catalogue."""
    service = await publish_service(platform, service_type="consultancy", code="TRACE-1")
    await eventually(lambda: listed_in_orders(platform, service["id"]))
    portal = create_app(Settings(environment="test"), clients=platform.separate_clients())
    async with visiting(portal) as school:
        await sign_in(school, "school")
        spans.clear()
        added = await school.post(f"/shop/{service['id']}/basket", data={"quantity": "1"})
        assert added.status_code == 303, added.text
        # Adding a line: the portal asks orders, which asks the catalogue for the school's price.
        adding = trace_of(spans, "POST /shop/{service_id}/basket")
        assert {
            (SpanKind.SERVER, "POST /baskets/{urn}/lines"),
            (SpanKind.SERVER, "POST /quotes"),
        } <= in_trace(spans, adding)

        spans.clear()
        placed = await school.post(
            "/basket/checkout",
            data={
                "payment_method": "invoice",
                "purchase_order": "PO-TRACE",
                "key": "trace-checkout-1",
            },
        )
        assert placed.status_code == 303, placed.text
        checking_out = trace_of(spans, "POST /basket/checkout")

    async def relayed_consumed_and_posted() -> set[tuple[SpanKind, str]]:
        found = in_trace(spans, checking_out)
        expected = {
            (SpanKind.SERVER, "POST /baskets/{urn}/checkout"),  # orders, asked by the portal
            (SpanKind.PRODUCER, "orders.order.placed.v1 publish"),  # its relay
            (SpanKind.CONSUMER, "orders.order.placed.v1 process"),  # the catalogue, evaluation
            (SpanKind.CONSUMER, "orders.invoice.raised.v1 process"),  # the ledger posts it
            (SpanKind.PRODUCER, "ledger.transaction.posted.v1 publish"),  # and says so
        }
        return found if expected <= found else set()

    assert await eventually(relayed_consumed_and_posted)
