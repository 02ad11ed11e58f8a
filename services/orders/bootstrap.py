"""The one place where orders is wired together."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from services.orders.adapters.tables import messaging
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.config import Settings
from services.orders.entrypoints.api import router
from services.orders.entrypoints.worker import subscriptions
from shared.events import InvoiceRaisedV1, OrderPlacedV1
from shared.service import Service, ServiceDefinition


def service(settings: Settings | None = None) -> Service[OrdersUnitOfWork]:
    return Service(
        ServiceDefinition(
            settings=settings or Settings(),
            title="Orders",
            description="Schools buying services: the register, orders, payments and invoices.",
            tables=messaging,
            unit_of_work=OrdersUnitOfWork,
            routers=[router],
            migrations_dir=Path(__file__).parent / "migrations",
            publishes=(OrderPlacedV1, InvoiceRaisedV1),
            subscribe=subscriptions,
        )
    )


def create_api() -> FastAPI:
    return service().api()
