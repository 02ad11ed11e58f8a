"""The evaluation API's answers (declared in shared.api.evaluation), built from what its views
read."""

from __future__ import annotations

from services.evaluation.application.views import Maturity, Shown
from services.evaluation.domain.maturity import CRITERIA, DRIVERS, trends
from services.evaluation.domain.measure import Results
from shared.api import evaluation as contract
from shared.api.evaluation import (
    GroupResultPublic,
    LinkCreate,
    NetworkPublic,
    ParticipantPublic,
    PointPublic,
    ReadinessPublic,
    SchoolResultCreate,
    TrendPublic,
)


class ProgrammePublic(contract.ProgrammePublic):
    @classmethod
    def of(cls, shown: Shown) -> ProgrammePublic:
        programme = shown.programme
        return cls(
            id=programme.id,
            title=programme.title,
            description=programme.description,
            starts_on=programme.starts_on,
            ends_on=programme.ends_on,
            design=programme.design.value,
            links=[
                LinkCreate(kind=link.kind, target_id=link.target_id) for link in programme.links
            ],
            participants=[ParticipantPublic(**p.__dict__) for p in shown.participants],
            comparison_urns=sorted(shown.cohorts.comparison),
            comparison_left_out=sorted(shown.cohorts.left_out),
            readiness=ReadinessPublic(**shown.readiness.__dict__),
        )


class MaturityPublic(contract.MaturityPublic):
    @classmethod
    def of(cls, found: Maturity) -> MaturityPublic:
        return cls(
            network=NetworkPublic.model_validate(found.network),
            drivers=list(DRIVERS),
            criteria=list(CRITERIA),
            assessments=len(found.assessments),
            trend=[
                TrendPublic(
                    dimension=t.dimension,
                    points=[
                        PointPublic(assessed_on=d, perspective=p, step=s) for d, p, s in t.points
                    ],
                    change=t.change,
                )
                for t in trends(found.assessments)
            ],
        )


class ResultsPublic(contract.ResultsPublic):
    @classmethod
    def of(cls, results: Results) -> ResultsPublic:
        return cls(
            schools=[SchoolResultCreate(**s.__dict__) for s in results.schools],
            groups=[GroupResultPublic(**g.__dict__) for g in results.groups],
        )
