"""What the Local Government Transparency Code 2015 asks a council to publish about a contract,
beyond its title, value and dates (which the contract itself holds)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class FundingSource(StrEnum):
    COUNCIL_BUDGET = "council_budget"
    DE_DELEGATED = "de_delegated"
    GRANT = "grant"

    @property
    def label(self) -> str:
        return {
            "council_budget": "council budget",
            "de_delegated": "de-delegated schools' funds",
            "grant": "grant",
        }[self.value]


class ProcurementRoute(StrEnum):
    """Whether the contract followed a published invitation to tender or an invitation to quote
    (the Code's question), or neither."""

    INVITATION_TO_TENDER = "invitation_to_tender"
    INVITATION_TO_QUOTE = "invitation_to_quote"
    FRAMEWORK_CALL_OFF = "framework_call_off"
    DIRECT_AWARD = "direct_award"


@dataclass(frozen=True)
class Particulars:
    department: str = ""
    supplier_name: str = ""
    supplier_registration: str = ""  # Companies House or charity number
    supplier_is_sme: bool = False
    supplier_is_vcse: bool = False
    annual_value_pence: int | None = None
    vat_not_recoverable_pence: int = 0
    review_on: date | None = None
    procurement_route: ProcurementRoute = ProcurementRoute.DIRECT_AWARD
    contract_manager: str = ""
