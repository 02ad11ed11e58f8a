from services.commissioning.adapters.repository import ContractRepository, LaInvoiceRepository
from shared.uow import UnitOfWork


class CommissioningUnitOfWork(UnitOfWork):
    @property
    def contracts(self) -> ContractRepository:
        return ContractRepository(self.session)

    @property
    def invoices(self) -> LaInvoiceRepository:
        return LaInvoiceRepository(self.session)
