from __future__ import annotations

from uuid import UUID

from shared.events.base import Event
from shared.money import VatRate


class ServicePublishedV1(Event):
    """A service can now be ordered, at this price version."""

    subject = "catalogue.service.published.v1"

    service_id: UUID
    code: str
    title: str
    service_type: str
    category: str
    unit_price_pence: int
    vat_rate: VatRate
    price_version: int
