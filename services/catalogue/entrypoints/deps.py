"""Dependencies every catalogue route shares."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.catalogue.application.unit_of_work import CatalogueUnitOfWork
from services.catalogue.config import Settings
from shared.auth import ANY_ROLE, Principal, Role
from shared.deps import unit_of_work
from shared.errors import Forbidden
from shared.http import require


def settings(request: Request) -> Settings:
    found: Settings = request.app.state.settings
    return found


UnitOfWorkDep = Annotated[CatalogueUnitOfWork, Depends(unit_of_work)]
SettingsDep = Annotated[Settings, Depends(settings)]
CatalogueAdmin = Annotated[Principal, Depends(require(Role.CATALOGUE_ADMIN, Role.ADMIN))]
SignedIn = Annotated[Principal, Depends(require(*ANY_ROLE))]


def check_may_price_for(user: Principal, urn: int) -> None:
    if not user.may_see_school(urn):
        raise Forbidden("a school can ask only for its own prices", field="urn")
