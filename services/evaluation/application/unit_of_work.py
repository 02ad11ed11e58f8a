from services.evaluation.adapters.measures import Measures
from services.evaluation.adapters.networks import Networks
from services.evaluation.adapters.programmes import Programmes
from services.evaluation.adapters.published_results import PublishedResults
from services.evaluation.adapters.ratings import Ratings
from services.evaluation.adapters.read_models import CostPostings, Deployments, SchoolRegister
from services.evaluation.adapters.repository import ParticipationRepository
from shared.uow import UnitOfWork


class EvaluationUnitOfWork(UnitOfWork):
    @property
    def participations(self) -> ParticipationRepository:
        return ParticipationRepository(self.session)

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
    def costs(self) -> CostPostings:
        return CostPostings(self.session)

    @property
    def ratings(self) -> Ratings:
        return Ratings(self.session)

    @property
    def networks(self) -> Networks:
        return Networks(self.session)

    @property
    def published(self) -> PublishedResults:
        return PublishedResults(self.session)
