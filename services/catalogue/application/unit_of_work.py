from services.catalogue.adapters.repository import ServiceRepository
from shared.uow import UnitOfWork


class CatalogueUnitOfWork(UnitOfWork):
    @property
    def services(self) -> ServiceRepository:
        return ServiceRepository(self.session)
