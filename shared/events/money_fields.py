"""Fields every money event carries, so the ledger can post it without asking anyone."""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict, model_validator

from shared.bounds import FinancialYear, TotalPence
from shared.money import MoneyStrand


class GrossIsNetPlusVat(BaseModel):
    """Money named as net, VAT and gross adds up: the ledger debits the gross and credits the
    net and the VAT, so an event whose gross differs could never balance (it would be parked,
    not booked). Amounts an event leaves out are not asked to add up."""

    @model_validator(mode="after")
    def _gross_is_net_plus_vat(self) -> Self:
        net, vat, gross = (
            getattr(self, name) for name in ("net_pence", "vat_pence", "gross_pence")
        )
        if None not in (net, vat, gross) and gross != net + vat:
            raise ValueError("gross_pence must be net_pence plus vat_pence")
        return self


class MoneyTotals(GrossIsNetPlusVat):
    model_config = ConfigDict(frozen=True)

    strand: MoneyStrand
    net_pence: TotalPence
    vat_pence: TotalPence
    gross_pence: TotalPence
    financial_year: FinancialYear
