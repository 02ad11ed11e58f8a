"""Dependencies every catalogue route shares."""

from __future__ import annotations

from contextlib import suppress
from typing import Annotated

from fastapi import Depends, Request

from services.catalogue.application.unit_of_work import CatalogueUnitOfWork
from services.catalogue.config import Settings
from shared.auth import ANY_ROLE, Principal, Role, check_reaches_school
from shared.deps import unit_of_work
from shared.errors import NotFound
from shared.http import require


def settings(request: Request) -> Settings:
    found: Settings = request.app.state.settings
    return found


UnitOfWorkDep = Annotated[CatalogueUnitOfWork, Depends(unit_of_work)]
SettingsDep = Annotated[Settings, Depends(settings)]
CatalogueAdmin = Annotated[Principal, Depends(require(Role.CATALOGUE_ADMIN, Role.ADMIN))]
SignedIn = Annotated[Principal, Depends(require(*ANY_ROLE))]


async def check_may_price_for(uow: CatalogueUnitOfWork, user: Principal, urn: int) -> None:
    """A school asks for its own prices, a trust buyer for its trust's schools', staff for any."""
    trust = None
    if user.is_trust_buyer:
        with suppress(NotFound):
            trust = (await uow.schools.get(urn)).trust_code
    check_reaches_school(user, urn, trust=trust, refusal="a school can ask only for its own prices")
