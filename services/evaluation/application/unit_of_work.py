from services.evaluation.adapters.repository import ParticipationRepository
from shared.uow import UnitOfWork


class EvaluationUnitOfWork(UnitOfWork):
    @property
    def participations(self) -> ParticipationRepository:
        return ParticipationRepository(self.session)
