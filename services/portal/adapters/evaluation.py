"""The evaluation API: participants, programmes with their measures and results, impact
reports with the forest plot, partnership maturity of networks, and schools' ratings."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.portal.adapters.http import ApiClient, Download
from shared.api.evaluation import (
    ImportedPublic,
    InvitationPublic,
    MaturityPublic,
    MeasurePublic,
    NetworkPublic,
    ParticipationPublic,
    ProgrammePublic,
    RatingPublic,
    ReportPublic,
)


class EvaluationApi:
    def __init__(self, api: ApiClient) -> None:
        self._api = api

    async def participants(self, service_id: UUID | None = None) -> list[ParticipationPublic]:
        return await self._api.get_list(ParticipationPublic, "/participants", service_id=service_id)

    async def programmes(self) -> list[ProgrammePublic]:
        return await self._api.get_list(ProgrammePublic, "/programmes")

    async def programme(self, programme_id: UUID) -> ProgrammePublic:
        return ProgrammePublic.model_validate(await self._api.get(f"/programmes/{programme_id}"))

    async def create_programme(self, fields: dict[str, Any]) -> ProgrammePublic:
        return ProgrammePublic.model_validate(await self._api.post("/programmes", fields))

    async def choose_comparison(self, programme_id: UUID, fields: dict[str, Any]) -> None:
        await self._api.put(f"/programmes/{programme_id}/comparison", fields)

    async def measures(self, programme_id: UUID) -> list[MeasurePublic]:
        return await self._api.get_list(MeasurePublic, f"/programmes/{programme_id}/measures")

    async def declare_measure(self, programme_id: UUID, fields: dict[str, Any]) -> MeasurePublic:
        return MeasurePublic.model_validate(
            await self._api.post(f"/programmes/{programme_id}/measures", fields)
        )

    async def upload_results(self, programme_id: UUID, measure_id: UUID, text: str) -> int:
        path = f"/programmes/{programme_id}/measures/{measure_id}/results.csv"
        stored: int = (await self._api.post_csv(path, text))["stored"]
        return stored

    async def import_ks2(self, text: str, *, year: int) -> ImportedPublic:
        answer = await self._api.post_csv(f"/published-results/ks2?year={year}", text)
        return ImportedPublic.model_validate(answer)

    async def report(self, programme_id: UUID) -> ReportPublic:
        return ReportPublic.model_validate(
            await self._api.get(f"/programmes/{programme_id}/report")
        )

    async def report_csv(self, programme_id: UUID) -> Download:
        return await self._api.download(f"/programmes/{programme_id}/report.csv")

    async def forest_plot(self) -> Download:
        return await self._api.download("/reports/forest-plot.png")

    async def networks(self) -> list[NetworkPublic]:
        return await self._api.get_list(NetworkPublic, "/networks")

    async def maturity(self, network_id: UUID) -> MaturityPublic:
        return MaturityPublic.model_validate(
            await self._api.get(f"/networks/{network_id}/maturity")
        )

    async def invitations(self) -> list[InvitationPublic]:
        return await self._api.get_list(
            InvitationPublic, "/ratings/invitations", unrated_only=False
        )

    async def ratings(self) -> list[RatingPublic]:
        return await self._api.get_list(RatingPublic, "/ratings")

    async def rate(self, fields: dict[str, Any]) -> RatingPublic:
        return RatingPublic.model_validate(await self._api.post("/ratings", fields))
