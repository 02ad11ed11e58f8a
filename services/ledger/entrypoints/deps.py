"""Dependencies every ledger route shares; its HTTP models are in shared.api.ledger."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.ledger.application.unit_of_work import LedgerUnitOfWork
from shared.auth import Principal, Role
from shared.bus import MessageBus
from shared.deps import Today, bus, unit_of_work
from shared.http import require

BusDep = Annotated[MessageBus[LedgerUnitOfWork], Depends(bus)]
UnitOfWorkDep = Annotated[LedgerUnitOfWork, Depends(unit_of_work)]
Finance = Annotated[Principal, Depends(require(Role.FINANCE, Role.ADMIN))]

__all__ = ["BusDep", "Finance", "Today", "UnitOfWorkDep"]
