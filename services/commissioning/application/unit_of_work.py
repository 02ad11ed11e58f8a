from services.commissioning.adapters.cases import CaseRepository
from services.commissioning.adapters.contracts import ContractRepository
from services.commissioning.adapters.deployments import DeploymentRepository
from services.commissioning.adapters.invoices import LaInvoiceRepository
from services.commissioning.adapters.kpis import KpiRepository
from services.commissioning.adapters.schools import CategorisationRepository, SchoolRepository
from shared.uow import UnitOfWork


class CommissioningUnitOfWork(UnitOfWork):
    @property
    def contracts(self) -> ContractRepository:
        return ContractRepository(self.session)

    @property
    def invoices(self) -> LaInvoiceRepository:
        return LaInvoiceRepository(self.session)

    @property
    def kpis(self) -> KpiRepository:
        return KpiRepository(self.session)

    @property
    def schools(self) -> SchoolRepository:
        return SchoolRepository(self.session)

    @property
    def categorisations(self) -> CategorisationRepository:
        return CategorisationRepository(self.session)

    @property
    def cases(self) -> CaseRepository:
        return CaseRepository(self.session)

    @property
    def deployments(self) -> DeploymentRepository:
        return DeploymentRepository(self.session)
