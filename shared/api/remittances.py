"""What finance sends to record money received by bank transfer against an invoice: a school's
remittance (orders API) or the LA's payment (ledger API)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from shared.bounds import Day, Line, Pence


class RemittanceCreate(BaseModel):
    amount_pence: Pence = Field(gt=0)
    received_on: Day
    reference: Line = Field(min_length=1, max_length=100, description="the BACS reference")
