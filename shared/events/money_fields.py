"""Fields every money event carries, so the ledger can post it without asking anyone."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from shared.money import MoneyStrand


class MoneyTotals(BaseModel):
    model_config = ConfigDict(frozen=True)

    strand: MoneyStrand
    net_pence: int
    vat_pence: int
    gross_pence: int
    financial_year: str
