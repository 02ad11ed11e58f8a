from services.commissioning.adapters.repository import ContractRepository
from shared.uow import UnitOfWork


class CommissioningUnitOfWork(UnitOfWork):
    @property
    def contracts(self) -> ContractRepository:
        return ContractRepository(self.session)
