"""Fields every money event carries, so the ledger can post it without asking anyone."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from shared.bounds import FinancialYear, TotalPence
from shared.money import MoneyStrand


class MoneyTotals(BaseModel):
    model_config = ConfigDict(frozen=True)

    strand: MoneyStrand
    net_pence: TotalPence
    vat_pence: TotalPence
    gross_pence: TotalPence
    financial_year: FinancialYear
