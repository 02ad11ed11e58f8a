"""Dependencies every catalogue route shares."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.catalogue.application.unit_of_work import CatalogueUnitOfWork
from services.catalogue.config import Settings
from shared.auth import ANY_ROLE, Principal, Role
from shared.bus import MessageBus
from shared.deps import Today, bus, settings, unit_of_work
from shared.http import require

BusDep = Annotated[MessageBus[CatalogueUnitOfWork], Depends(bus)]
UnitOfWorkDep = Annotated[CatalogueUnitOfWork, Depends(unit_of_work)]
SettingsDep = Annotated[Settings, Depends(settings)]
CatalogueAdmin = Annotated[Principal, Depends(require(Role.CATALOGUE_ADMIN, Role.ADMIN))]
SignedIn = Annotated[Principal, Depends(require(*ANY_ROLE))]

__all__ = ["BusDep", "CatalogueAdmin", "SettingsDep", "SignedIn", "Today", "UnitOfWorkDep"]
