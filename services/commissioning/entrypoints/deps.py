"""What commissioning's routes share: the bus, reads' unit of work, and who may do what: the LA acts on its contracts, schools and cases; company
staff (admin) broker and deliver support; finance reads everything."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.commissioning.application.unit_of_work import CommissioningUnitOfWork
from shared.auth import Principal, Role
from shared.bus import MessageBus
from shared.deps import bus, unit_of_work
from shared.http import require

BusDep = Annotated[MessageBus[CommissioningUnitOfWork], Depends(bus)]
UnitOfWorkDep = Annotated[CommissioningUnitOfWork, Depends(unit_of_work)]
Officer = Annotated[Principal, Depends(require(Role.LA_OFFICER))]
Staff = Annotated[Principal, Depends(require(Role.ADMIN))]
OfficerOrStaff = Annotated[Principal, Depends(require(Role.LA_OFFICER, Role.ADMIN))]
Reader = Annotated[Principal, Depends(require(Role.LA_OFFICER, Role.FINANCE, Role.ADMIN))]
CaseReader = Annotated[
    Principal, Depends(require(Role.LA_OFFICER, Role.FINANCE, Role.ADMIN, Role.SCHOOL))
]
