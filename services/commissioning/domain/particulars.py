"""What the Local Government Transparency Code 2015 asks a council to publish about a contract,
beyond its title, value and dates (which the contract itself holds)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.api.commissioning import FundingSource as FundingSource
from shared.api.commissioning import ProcurementRoute as ProcurementRoute


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
