from typing import Self

from services.evaluation.adapters.measures import Measures
from services.evaluation.adapters.networks import Networks
from services.evaluation.adapters.programmes import Programmes
from services.evaluation.adapters.published_results import PublishedResults
from services.evaluation.adapters.ratings import Ratings
from services.evaluation.adapters.read_models import CostPostings, Deployments, SchoolRegister
from services.evaluation.adapters.repository import ParticipationRepository
from shared.events import Envelope, Event
from shared.uow import UnitOfWork


class EvaluationUnitOfWork(UnitOfWork):
    """Participations and cost postings are staged as events are applied and written when the
    unit of work commits: a batch of events costs a few statements, not a few per event."""

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.participations = ParticipationRepository(self.session)
        self.costs = CostPostings(self.session)
        return self

    async def commit(self) -> list[Envelope[Event]]:
        await self.participations.flush()
        await self.costs.flush()
        return await super().commit()

    @property
    def programmes(self) -> Programmes:
        return Programmes(self.session)

    @property
    def measures(self) -> Measures:
        return Measures(self.session)

    @property
    def schools(self) -> SchoolRegister:
        return SchoolRegister(self.session)

    @property
    def deployments(self) -> Deployments:
        return Deployments(self.session)

    @property
    def ratings(self) -> Ratings:
        return Ratings(self.session)

    @property
    def networks(self) -> Networks:
        return Networks(self.session)

    @property
    def published(self) -> PublishedResults:
        return PublishedResults(self.session)
