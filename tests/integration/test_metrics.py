"""/metrics on every process, scraped as Prometheus would: the outbox and the consumers' lag
move when an order is placed, and HTTP requests are counted by route and status."""

from __future__ import annotations

import httpx
import nats
from nats.js.api import ConsumerConfig
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import delete

from services import registry
from services.portal.bootstrap import create_app
from services.portal.config import Settings as PortalSettings
from shared.messaging.alarms import park
from shared.metrics import exposition
from shared.metrics_server import serve_metrics
from tests.integration.test_path_of_money import (
    listed_in_orders,
    place_invoice_order,
    publish_service,
)
from tests.support.nats_server import free_port
from tests.support.platform import Platform, eventually


def metrics_text() -> str:
    """This process's metrics as they stand, without reading the figures again."""
    return exposition()[0].decode()


Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def parse(exposition: str) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
    }


async def scrape(client: httpx.AsyncClient) -> Samples:
    answer = await client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    return parse(answer.text)


def total(samples: Samples, name: str, **labels: str) -> float:
    """The sum of `name` over the series carrying all of `labels`."""
    wanted = set(labels.items())
    return sum(
        value for (sample, found), value in samples.items() if sample == name and wanted <= found
    )


async def test_the_outbox_and_the_consumers_lag_show_an_order_on_its_way_to_the_ledger(
    platform: Platform,
) -> None:
    service = await publish_service(platform)
    await eventually(lambda: listed_in_orders(platform, service["id"]))
    before = await scrape(platform.ledger)
    await platform.stop_worker("orders")  # the relay stops: events wait in the outbox
    await platform.stop_worker("ledger")  # and the ledger stops taking them

    await place_invoice_order(platform, service["id"], quantity=2)

    waiting = await scrape(platform.orders)
    assert total(waiting, "outbox_waiting_events", service="orders") >= 2  # placed, invoiced
    assert total(waiting, "outbox_oldest_waiting_age_seconds", service="orders") > 0

    await platform.start_worker("orders")

    async def relayed_and_waiting_for_the_ledger() -> Samples:
        orders, ledger = await scrape(platform.orders), await scrape(platform.ledger)
        lag = total(
            ledger, "jetstream_consumer_pending_messages", service="ledger", stream="ORDERS"
        )
        relayed = total(orders, "outbox_waiting_events", service="orders") == 0
        return ledger if relayed and lag >= 1 else {}

    ledger = await eventually(relayed_and_waiting_for_the_ledger)
    published = "events_published_total"
    placed = {"subject": "orders.order.placed.v1"}
    assert total(ledger, published, **placed) == total(before, published, **placed) + 1
    assert total(ledger, "outbox_oldest_waiting_age_seconds", service="orders") == 0

    await platform.start_worker("ledger")

    async def caught_up() -> Samples:
        ledger = await scrape(platform.ledger)
        lag = total(ledger, "jetstream_consumer_pending_messages", service="ledger")
        unacked = total(ledger, "jetstream_consumer_ack_pending_messages", service="ledger")
        posted = total(ledger, "ledger_transactions_posted_total", strand="traded")
        return ledger if lag == unacked == 0 and posted > 0 else {}

    ledger = await eventually(caught_up)
    assert total(ledger, "ledger_postings_total", strand="traded") > total(
        before, "ledger_postings_total", strand="traded"
    )

    # The relay sent the two waiting events in one turn (no turn of one meanwhile), and the
    # ledger's consumer took the invoice in a fetch of its own.
    def grew(name: str, **labels: str) -> float:
        return total(ledger, name, **labels) - total(before, name, **labels)

    relay = "outbox_relay_batch_events"
    assert grew(f"{relay}_sum", producer="orders") >= 2
    assert grew(f"{relay}_count", producer="orders") >= 1
    assert grew(f"{relay}_bucket", producer="orders", le="1.0") == 0
    invoices = {"service": "ledger", "subject": "orders.invoice.raised.v1"}
    assert grew("consumer_batch_events_count", **invoices) >= 1
    assert grew("consumer_batch_events_sum", **invoices) >= 1


async def test_a_parked_event_shows_until_a_person_has_dealt_with_it(platform: Platform) -> None:
    """Read from the dead-letter table, not counted by the process that parked it: the figure
    stays while the event waits, through restarts, and falls once its row is gone."""
    ledger = platform.services["ledger"]
    parked = "dead_letters_parked_events"
    assert total(await scrape(platform.ledger), parked, service="ledger") == 0
    await park(
        ledger.sessions,
        ledger.definition.tables,
        event_id="an-event-no-handler-could-apply",
        subject="orders.invoice.raised.v1",
        consumer="ledger--orders_invoice_raised_v1",
        deliveries=5,
        error="ValueError('a rule this event breaks')",
        body="{}",
    )
    assert total(await scrape(platform.ledger), parked, service="ledger") == 1
    assert total(await scrape(platform.orders), parked, service="orders") == 0

    async with ledger.sessions() as session:
        await session.execute(delete(ledger.definition.tables.dead_letters))
        await session.commit()
    assert total(await scrape(platform.ledger), parked, service="ledger") == 0


async def test_figures_that_cannot_be_read_say_so_instead_of_standing_still(
    platform: Platform,
) -> None:
    """The outbox's age and the consumers' lag keep their last values while the database or
    NATS cannot be read: a flat line that looks like a quiet platform. The scrape says which
    source it could not read, for an alert to page on."""
    unread = "messaging_figures_unreadable"
    orders = platform.services["orders"]
    figures = await scrape(platform.orders)
    assert total(figures, unread, service="orders", source="database") == 0
    assert total(figures, unread, service="orders", source="nats") == 0

    nowhere = f"127.0.0.1:{free_port()}"
    cut_off = registry.service(
        "orders",
        database_url=f"postgresql+asyncpg://orders@{nowhere}/orders",
        nats_url=f"nats://{nowhere}",
        environment="test",
    )
    try:
        await cut_off.read_figures()
    finally:
        await cut_off.engine.dispose()
    figures = parse(metrics_text())
    assert total(figures, unread, service="orders", source="database") == 1
    assert total(figures, unread, service="orders", source="nats") == 1

    await orders.read_figures()  # both answer again
    figures = parse(metrics_text())
    assert total(figures, unread, service="orders", source="database") == 0
    assert total(figures, unread, service="orders", source="nats") == 0


async def test_http_requests_are_counted_by_route_template_and_status(platform: Platform) -> None:
    before = await scrape(platform.catalogue)
    missing = await platform.catalogue.get("/services/00000000-0000-0000-0000-000000000000")
    assert missing.status_code in {401, 404}
    await platform.catalogue.get("/no/such/page")

    after = await scrape(platform.catalogue)
    route = {"service": "catalogue", "method": "GET", "route": "/services/{service_id}"}
    status = str(missing.status_code)
    requests = "http_requests_total"
    assert (
        total(after, requests, **route, status=status)
        == total(before, requests, **route, status=status) + 1
    )
    assert total(after, requests, service="catalogue", route="unmatched", status="404") >= 1
    latency = "http_request_duration_seconds_count"
    assert total(after, latency, **route) == total(before, latency, **route) + 1


async def test_every_process_serves_its_metrics(platform: Platform) -> None:
    for name in registry.NAMES:  # the APIs
        assert "http_requests_total" in {
            sample for sample, _ in await scrape(platform.clients[name])
        }

    portal = create_app(PortalSettings(environment="test"), clients=platform.clients)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=portal), base_url="http://portal"
    ) as client:
        await client.get("/sign-in")
        assert (await client.get("/static/portal.css")).status_code == 200
        pages = await scrape(client)
    assert total(pages, "http_requests_total", service="portal", route="/sign-in") >= 1
    assert total(pages, "http_requests_total", service="portal", route="/static/{path}") >= 1

    # A worker serves /metrics and /healthz on its own port.
    orders = platform.services["orders"]
    server = await serve_metrics("127.0.0.1", 0, sample=orders.read_figures)
    port = server.sockets[0].getsockname()[1]
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            assert (await client.get("/healthz")).json() == {"status": "ok"}
            figures = await scrape(client)
            assert (await client.get("/elsewhere")).status_code == 404
    finally:
        server.close()
        await server.wait_closed()
    assert ("outbox_waiting_events", frozenset({("service", "orders")})) in figures
    if orders.settings.database_url.startswith("sqlite"):
        # the writes so far (its seed's among them) went to the WAL first; a passive
        # checkpoint copies them out but leaves the file as long as it grew
        assert figures[("sqlite_wal_bytes", frozenset({("service", "orders")}))] > 0


async def test_a_consumer_deleted_no_longer_shows_its_lag(platform: Platform) -> None:
    """A durable consumer deleted (a rebuild's, a subscription dropped) used to keep its last
    pending count on /metrics until the process restarted: a lag nobody could ever clear."""
    pending = "jetstream_consumer_pending_messages"
    gone = {"service": "ledger", "stream": "ORDERS", "consumer": "ledger--gone_v1"}
    connection = await nats.connect(platform.nats_url)
    try:
        jetstream = connection.jetstream()
        await jetstream.add_consumer(
            "ORDERS",
            ConsumerConfig(durable_name=gone["consumer"], filter_subject="orders.nothing.said.v1"),
        )
        await jetstream.publish("orders.nothing.said.v1", b"{}")
        assert total(await scrape(platform.ledger), pending, **gone) == 1

        await jetstream.delete_consumer("ORDERS", gone["consumer"])
    finally:
        await connection.close()

    held = [labels for name, labels in await scrape(platform.ledger) if name == pending]
    assert not [labels for labels in held if gone.items() <= labels]
    assert [labels for labels in held if ("service", "ledger") in labels]  # its own still show
