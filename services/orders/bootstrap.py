"""The one place where orders is wired together."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from services.orders.adapters.catalogue_client import CatalogueClient, catalogue_client
from services.orders.adapters.stripe_gateway import gateway_for
from services.orders.adapters.tables import messaging
from services.orders.application.handlers import COMMANDS, EVENTS
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.config import Settings
from services.orders.entrypoints.worker import jobs
from shared.events import published_by
from shared.service import Service, ServiceDefinition
from shared.telemetry import tracer_provider

if TYPE_CHECKING:
    from fastapi import APIRouter, FastAPI


def service(settings: Settings | None = None) -> Service[OrdersUnitOfWork]:
    settings = settings or Settings()
    return Service(
        ServiceDefinition(
            settings=settings,
            title="Orders",
            description=(
                "Schools buying services: the register, baskets, orders, card payments "
                "(Stripe), invoices, remittances, refunds, credit notes and renewals."
            ),
            tables=messaging,
            unit_of_work=OrdersUnitOfWork,
            routers=routers,
            migrations_dir=Path(__file__).parent / "migrations",
            publishes=published_by("orders"),
            commands=COMMANDS,
            events=EVENTS,
            parties=partial(parties, settings),
            jobs=partial(jobs, settings),
        )
    )


def parties(settings: Settings, *, catalogue: httpx.AsyncClient | None = None) -> dict[str, object]:
    """The outside parties orders' handlers ask, built once: Stripe (or localstripe), and the
    catalogue over HTTP (or `catalogue`, a client that reaches it another way: a test's)."""
    if catalogue is None:
        provider = tracer_provider(settings.service_name, settings.otel_exporter)
        catalogue = catalogue_client(settings.catalogue_url, provider=provider)
    return {"gateway": gateway_for(settings), "catalogue": CatalogueClient(catalogue)}


def create_api() -> FastAPI:
    return service().api()


def routers() -> list[APIRouter]:
    """The HTTP API's routes: imported when an API is built, so a worker starts without them."""
    from services.orders.entrypoints import (
        approvals_api,
        baskets_api,
        bought_api,
        contacts_api,
        offers_api,
        orders_api,
        payments_api,
        renewals_api,
        rolling_api,
        trusts_api,
    )

    return [
        orders_api.router,
        baskets_api.router,
        offers_api.router,
        payments_api.router,
        renewals_api.router,
        rolling_api.router,
        trusts_api.router,
        approvals_api.router,
        contacts_api.router,
        bought_api.router,
    ]
