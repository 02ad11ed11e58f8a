"""Dependencies every notifications route shares."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from shared.auth import ANY_ROLE, Principal, Role
from shared.bus import MessageBus
from shared.deps import bus, unit_of_work
from shared.http import require

BusDep = Annotated[MessageBus[NotificationsUnitOfWork], Depends(bus)]
UnitOfWorkDep = Annotated[NotificationsUnitOfWork, Depends(unit_of_work)]
SignedIn = Annotated[Principal, Depends(require(*ANY_ROLE))]
Admin = Annotated[Principal, Depends(require(Role.ADMIN))]
