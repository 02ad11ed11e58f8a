"""The ledger API's dependency aliases; its HTTP models are in shared.api.ledger."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.ledger.application.unit_of_work import LedgerUnitOfWork
from shared.auth import Principal, Role
from shared.deps import unit_of_work
from shared.http import require

UnitOfWorkDep = Annotated[LedgerUnitOfWork, Depends(unit_of_work)]
Finance = Annotated[Principal, Depends(require(Role.FINANCE, Role.ADMIN))]
