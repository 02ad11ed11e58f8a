"""Every service's API, as one signed-in user calls them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import httpx

from services.portal.adapters.audit import AuditApi
from services.portal.adapters.catalogue import CatalogueApi
from services.portal.adapters.commissioning import CommissioningApi
from services.portal.adapters.evaluation import EvaluationApi
from services.portal.adapters.http import ApiClient
from services.portal.adapters.ledger import LedgerApi
from services.portal.adapters.notifications import NotificationsApi
from services.portal.adapters.orders import OrdersApi


@dataclass(frozen=True)
class Apis:
    catalogue: CatalogueApi
    orders: OrdersApi
    commissioning: CommissioningApi
    evaluation: EvaluationApi
    ledger: LedgerApi
    audit: AuditApi
    notifications: NotificationsApi

    @classmethod
    def as_user(cls, clients: Mapping[str, httpx.AsyncClient], token: str) -> Apis:
        api = {name: ApiClient(client, token) for name, client in clients.items()}
        return cls(
            catalogue=CatalogueApi(api["catalogue"]),
            orders=OrdersApi(api["orders"]),
            commissioning=CommissioningApi(api["commissioning"]),
            evaluation=EvaluationApi(api["evaluation"]),
            ledger=LedgerApi(api["ledger"]),
            audit=AuditApi(api),
            notifications=NotificationsApi(api["notifications"]),
        )
