"""Orders' own read model of what the catalogue has published (fed by catalogue events)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from shared.money import VatRate


@dataclass(frozen=True)
class Listing:
    service_id: UUID
    code: str
    title: str
    service_type: str
    category: str
    unit_price_pence: int
    vat_rate: VatRate
    price_version: int
    revision: int = 0  # the catalogue's count of the service's changes (0: from before it counted)
    academic_years: tuple[str, ...] = ()  # the years it is sold for (none listed: any year)
