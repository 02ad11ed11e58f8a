"""Who may open which page: one dependency alias per group of roles, shared by every page."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.portal.entrypoints.session import SignedIn, signed_in
from shared.audit_api import AUDIT_READERS
from shared.auth import ANY_ROLE, Role

Anyone = Annotated[SignedIn, Depends(signed_in(*ANY_ROLE))]
School = Annotated[SignedIn, Depends(signed_in(Role.SCHOOL))]
# a school buys for itself; a trust buyer for any school of its trust, picked on the service
Shopper = Annotated[SignedIn, Depends(signed_in(Role.SCHOOL, Role.TRUST_BUYER))]
TrustBuyer = Annotated[SignedIn, Depends(signed_in(Role.TRUST_BUYER))]
OrderReader = Annotated[
    SignedIn, Depends(signed_in(Role.SCHOOL, Role.TRUST_BUYER, Role.FINANCE, Role.ADMIN))
]
Approver = Annotated[SignedIn, Depends(signed_in(Role.SCHOOL_APPROVER, Role.ADMIN))]
CatalogueAdmin = Annotated[SignedIn, Depends(signed_in(Role.CATALOGUE_ADMIN, Role.ADMIN))]
Officer = Annotated[SignedIn, Depends(signed_in(Role.LA_OFFICER, Role.ADMIN))]
LaInvoiceReader = Annotated[SignedIn, Depends(signed_in(Role.LA_OFFICER, Role.FINANCE, Role.ADMIN))]
Finance = Annotated[SignedIn, Depends(signed_in(Role.FINANCE, Role.ADMIN))]
Evaluator = Annotated[SignedIn, Depends(signed_in(Role.EVALUATOR, Role.ADMIN))]
# the commissioning API lets only company staff deploy providers
Staff = Annotated[SignedIn, Depends(signed_in(Role.ADMIN))]
Auditor = Annotated[
    SignedIn, Depends(signed_in(*{role for roles in AUDIT_READERS.values() for role in roles}))
]
