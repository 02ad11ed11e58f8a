"""The evaluation API: participants, programmes with their measures and results, impact
reports with the forest plot, partnership maturity of networks, and schools' ratings."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from services.portal.adapters.http import ApiClient, Download


class Participation(BaseModel):
    urn: int
    school_name: str
    phase: str
    service_id: UUID
    service_title: str
    since: date


class Link(BaseModel):
    kind: str
    target_id: UUID


class Participant(BaseModel):
    urn: int
    school_name: str
    source: str
    since: date


class Readiness(BaseModel):
    can_show_impact: bool
    started: bool
    reasons: list[str]
    needs: list[str] = []


class Programme(BaseModel):
    id: UUID
    title: str
    description: str
    starts_on: date
    design: str
    links: list[Link]
    participants: list[Participant]
    comparison_urns: list[int]
    readiness: Readiness


class Measure(BaseModel):
    id: UUID
    name: str
    unit: str


class Figure(BaseModel):
    measure: str
    figure: str
    value: float | int | str | None
    method: str


class MeasureSummary(BaseModel):
    id: UUID
    name: str
    unit: str
    padlocks: int
    months_progress: int | None


class PadlockLost(BaseModel):
    criterion: str
    allows: int
    reason: str


class OutcomeGroup(BaseModel):
    group: str
    schools: int
    usable: int
    suppressed: int
    not_published: int
    pupils: int | None
    baseline_mean: float | None
    outcome_mean: float | None
    mean_gain: float | None
    gain_standard_error: float | None


class DifferenceInDifferences(BaseModel):
    estimate: float
    standard_error: float
    degrees_of_freedom: float
    ci_low: float
    ci_high: float


class OutcomeMeasure(BaseModel):
    measure: str
    name: str
    baseline_year: int
    outcome_year: int
    groups: list[OutcomeGroup]
    difference_in_differences: DifferenceInDifferences | None
    hedges_g: float | None
    hedges_g_ci: list[float] | None
    months_progress: int | None
    padlocks: int
    padlocks_lost: list[PadlockLost]
    cost_per_pupil_pence: int | None
    impact_per_1000_pounds_per_pupil: float | None
    notes: list[str]
    methods: dict[str, str]


class PublishedOutcomes(BaseModel):
    matched_on: str | None
    can_claim: list[str]
    cannot_claim: list[str]
    measures: list[OutcomeMeasure]


class Report(BaseModel):
    participating_schools: int
    pupils_reached: int
    readiness: Readiness
    measures: list[MeasureSummary]
    figures: list[Figure]
    published_outcomes: PublishedOutcomes | None = None


class Imported(BaseModel):
    results: int
    schools: int


class Network(BaseModel):
    id: UUID
    name: str
    kind: str
    urns: list[int]


class Point(BaseModel):
    assessed_on: date
    perspective: str
    step: int


class Trend(BaseModel):
    dimension: str
    points: list[Point]
    change: int | None


class Maturity(BaseModel):
    network: Network
    assessments: int
    trend: list[Trend]


class Invitation(BaseModel):
    id: UUID
    title: str
    invited_on: date
    rated: bool


class Rating(BaseModel):
    invitation_id: UUID
    score: int
    comment: str
    rated_on: date


class EvaluationApi:
    def __init__(self, api: ApiClient) -> None:
        self._api = api

    async def participants(self, service_id: UUID | None = None) -> list[Participation]:
        rows = await self._api.get("/participants", service_id=service_id)
        return [Participation.model_validate(row) for row in rows]

    async def programmes(self) -> list[Programme]:
        return [Programme.model_validate(row) for row in await self._api.get("/programmes")]

    async def programme(self, programme_id: UUID) -> Programme:
        return Programme.model_validate(await self._api.get(f"/programmes/{programme_id}"))

    async def create_programme(self, fields: dict[str, Any]) -> Programme:
        return Programme.model_validate(await self._api.post("/programmes", fields))

    async def choose_comparison(self, programme_id: UUID, fields: dict[str, Any]) -> None:
        await self._api.put(f"/programmes/{programme_id}/comparison", fields)

    async def measures(self, programme_id: UUID) -> list[Measure]:
        rows = await self._api.get(f"/programmes/{programme_id}/measures")
        return [Measure.model_validate(row) for row in rows]

    async def declare_measure(self, programme_id: UUID, fields: dict[str, Any]) -> Measure:
        answer = await self._api.post(f"/programmes/{programme_id}/measures", fields)
        return Measure.model_validate(answer)

    async def upload_results(self, programme_id: UUID, measure_id: UUID, text: str) -> int:
        path = f"/programmes/{programme_id}/measures/{measure_id}/results.csv"
        stored: int = (await self._api.post_csv(path, text))["stored"]
        return stored

    async def import_ks2(self, text: str, *, year: int) -> Imported:
        answer = await self._api.post_csv(f"/published-results/ks2?year={year}", text)
        return Imported.model_validate(answer)

    async def report(self, programme_id: UUID) -> Report:
        return Report.model_validate(await self._api.get(f"/programmes/{programme_id}/report"))

    async def report_csv(self, programme_id: UUID) -> Download:
        return await self._api.download(f"/programmes/{programme_id}/report.csv")

    async def forest_plot(self) -> Download:
        return await self._api.download("/reports/forest-plot.png")

    async def networks(self) -> list[Network]:
        return [Network.model_validate(row) for row in await self._api.get("/networks")]

    async def maturity(self, network_id: UUID) -> Maturity:
        return Maturity.model_validate(await self._api.get(f"/networks/{network_id}/maturity"))

    async def invitations(self) -> list[Invitation]:
        rows = await self._api.get("/ratings/invitations", unrated_only=False)
        return [Invitation.model_validate(row) for row in rows]

    async def ratings(self) -> list[Rating]:
        return [Rating.model_validate(row) for row in await self._api.get("/ratings")]

    async def rate(self, fields: dict[str, Any]) -> Rating:
        return Rating.model_validate(await self._api.post("/ratings", fields))
