"""The one place where orders is wired together."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from services.orders.adapters.tables import messaging
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.config import Settings
from services.orders.entrypoints.worker import jobs, subscriptions
from shared.clock import Clock
from shared.events import (
    ApprovalRequestedV1,
    CreditNoteIssuedV1,
    InvoiceRaisedV1,
    InvoiceSettledV1,
    OrderApprovedV1,
    OrderCancelledV1,
    OrderFulfilledV1,
    OrderPaidV1,
    OrderPlacedV1,
    PlaceOfferAcceptedV1,
    PlaceOfferDeclinedV1,
    RefundIssuedV1,
    SchoolContactChangedV1,
    SchoolRegisteredV1,
)
from shared.service import Service, ServiceDefinition

if TYPE_CHECKING:
    from fastapi import APIRouter, FastAPI


def service(settings: Settings | None = None) -> Service[OrdersUnitOfWork]:
    settings = settings or Settings()
    clock = Clock()
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
            publishes=(
                SchoolRegisteredV1,
                OrderPlacedV1,
                OrderPaidV1,
                InvoiceRaisedV1,
                InvoiceSettledV1,
                OrderCancelledV1,
                RefundIssuedV1,
                CreditNoteIssuedV1,
                OrderFulfilledV1,
                PlaceOfferAcceptedV1,
                PlaceOfferDeclinedV1,
                ApprovalRequestedV1,
                OrderApprovedV1,
                SchoolContactChangedV1,
            ),
            subscribe=subscriptions(settings, clock),
            jobs=jobs(settings, clock),
            clock=clock,
        )
    )


def create_api() -> FastAPI:
    return service().api()


def routers() -> list[APIRouter]:
    """The HTTP API's routes: imported when an API is built, so a worker starts without them."""
    from services.orders.entrypoints import (
        api,
        approvals_api,
        baskets_api,
        contacts_api,
        offers_api,
        payments_api,
        renewals_api,
        rolling_api,
        trusts_api,
    )

    return [
        api.router,
        baskets_api.router,
        offers_api.router,
        payments_api.router,
        renewals_api.router,
        rolling_api.router,
        trusts_api.router,
        approvals_api.router,
        contacts_api.router,
    ]
