"""What evaluation's routes read: each view opens the unit of work it reads in (reads commit
nothing) and returns domain objects for the route to shape."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from services.evaluation.application.analysis import ProgrammeReport, analyse_programme
from services.evaluation.application.programmes import find_measure, load, participants, readiness
from services.evaluation.application.published_outcomes import (
    OutcomesReport,
    analyse_published_outcomes,
)
from services.evaluation.application.unit_of_work import EvaluationUnitOfWork
from services.evaluation.domain.analysis import Cohorts
from services.evaluation.domain.maturity import Assessment, standing
from services.evaluation.domain.measure import Measure, Results
from services.evaluation.domain.participation import Participation
from services.evaluation.domain.programme import Participant, Programme
from services.evaluation.domain.published_results import PublishedMeasure, PublishedResult
from services.evaluation.domain.rating import Average, Invitation, Rating
from services.evaluation.domain.readiness import Readiness
from shared.errors import NotFound


@dataclass(frozen=True)
class Shown:
    """A programme with who takes part, the groups its report compares, and whether it can
    show impact yet."""

    programme: Programme
    participants: list[Participant]
    cohorts: Cohorts
    readiness: Readiness


@dataclass(frozen=True)
class Report:
    report: ProgrammeReport
    outcomes: OutcomesReport | None


@dataclass(frozen=True)
class Maturity:
    network: dict[str, object]
    assessments: list[Assessment]


async def participations(
    uow: EvaluationUnitOfWork, *, service_id: UUID | None, urn: int | None
) -> list[Participation]:
    async with uow:
        return await uow.participations.list(service_id=service_id, urn=urn)


async def programme(uow: EvaluationUnitOfWork, programme_id: UUID, *, today: date) -> Shown:
    async with uow:
        return await _shown(uow, await load(uow, programme_id), today=today)


async def programmes(uow: EvaluationUnitOfWork, *, today: date) -> list[Shown]:
    async with uow:
        return [await _shown(uow, p, today=today) for p in await uow.programmes.all()]


async def _shown(uow: EvaluationUnitOfWork, programme: Programme, *, today: date) -> Shown:
    taking_part = await participants(uow, programme)
    ready = await readiness(uow, programme, taking_part=taking_part, today=today)
    cohorts = Cohorts.of(programme, (p.urn for p in taking_part))
    return Shown(programme, taking_part, cohorts, ready)


async def measures(uow: EvaluationUnitOfWork, programme_id: UUID) -> list[Measure]:
    async with uow:
        await load(uow, programme_id)
        return await uow.measures.of(programme_id)


async def results(
    uow: EvaluationUnitOfWork, programme_id: UUID, measure_id: UUID, *, urn: int | None
) -> Results:
    async with uow:
        await find_measure(uow, programme_id, measure_id)
        return await uow.measures.results(measure_id, urn=urn)


async def report(uow: EvaluationUnitOfWork, programme_id: UUID, *, today: date) -> Report:
    """Every figure of a programme's evaluation, its published outcomes included."""
    async with uow:
        return await _report(uow, programme_id, today=today)


async def reports(uow: EvaluationUnitOfWork, *, today: date) -> list[Report]:
    async with uow:
        return [await _report(uow, p.id, today=today) for p in await uow.programmes.all()]


async def _report(uow: EvaluationUnitOfWork, programme_id: UUID, *, today: date) -> Report:
    found = await analyse_programme(uow, programme_id, today=today)
    return Report(found, await analyse_published_outcomes(uow, found.programme, found.cohorts))


async def published_results(
    uow: EvaluationUnitOfWork, *, urn: int, years: Iterable[int] | None
) -> list[PublishedResult]:
    async with uow:
        return await uow.published.of(measures=list(PublishedMeasure), years=years, urns=[urn])


async def networks(uow: EvaluationUnitOfWork, *, urn: int | None) -> list[dict[str, object]]:
    """Every network, or those a school (`urn`) belongs to."""
    async with uow:
        return await uow.networks.all(urn=urn)


async def maturity(uow: EvaluationUnitOfWork, network_id: UUID, *, urn: int | None) -> Maturity:
    """A network's assessments; a school (`urn`) sees only the networks it belongs to."""
    async with uow:
        network = await uow.networks.get(network_id)
        if network is None or (urn is not None and urn not in network["urns"]):  # type: ignore[operator]
            raise NotFound("no such network")
        return Maturity(network, standing(await uow.networks.assessments(network_id)))


async def invitations(
    uow: EvaluationUnitOfWork, *, urn: int | None, unrated_only: bool
) -> list[Invitation]:
    async with uow:
        return await uow.ratings.invitations(urn=urn, unrated_only=unrated_only)


async def ratings(uow: EvaluationUnitOfWork, *, urn: int | None) -> list[Rating]:
    async with uow:
        return await uow.ratings.list(urn=urn)


async def average(
    uow: EvaluationUnitOfWork, *, service_id: UUID | None, provider_id: UUID | None
) -> Average:
    async with uow:
        return await uow.ratings.average(service_id=service_id, provider_id=provider_id)
