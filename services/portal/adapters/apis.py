"""Every service's API, as one signed-in user calls them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import httpx

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
    notifications: NotificationsApi

    @classmethod
    def as_user(cls, clients: Mapping[str, httpx.AsyncClient], token: str) -> Apis:
        return cls(
            catalogue=CatalogueApi(ApiClient(clients["catalogue"], token)),
            orders=OrdersApi(ApiClient(clients["orders"], token)),
            commissioning=CommissioningApi(ApiClient(clients["commissioning"], token)),
            evaluation=EvaluationApi(ApiClient(clients["evaluation"], token)),
            ledger=LedgerApi(ApiClient(clients["ledger"], token)),
            notifications=NotificationsApi(ApiClient(clients["notifications"], token)),
        )
