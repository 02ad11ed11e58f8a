"""Who may do what in evaluation, as FastAPI dependency aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.evaluation.application.unit_of_work import EvaluationUnitOfWork
from shared.auth import Principal, Role
from shared.bus import MessageBus
from shared.deps import bus, unit_of_work
from shared.http import require

BusDep = Annotated[MessageBus[EvaluationUnitOfWork], Depends(bus)]
UnitOfWorkDep = Annotated[EvaluationUnitOfWork, Depends(unit_of_work)]
Evaluator = Annotated[Principal, Depends(require(Role.EVALUATOR))]
StaffReader = Annotated[Principal, Depends(require(Role.EVALUATOR, Role.ADMIN, Role.FINANCE))]
Reader = Annotated[
    Principal, Depends(require(Role.EVALUATOR, Role.ADMIN, Role.FINANCE, Role.SCHOOL))
]
SchoolUser = Annotated[Principal, Depends(require(Role.SCHOOL))]
