from services.catalogue.adapters.courses import CourseRepository
from services.catalogue.adapters.providers import ProviderRepository
from services.catalogue.adapters.repository import ServiceRepository
from services.catalogue.adapters.schools import SchoolRepository
from services.catalogue.adapters.trust_prices import TrustPriceRepository
from shared.uow import UnitOfWork


class CatalogueUnitOfWork(UnitOfWork):
    @property
    def services(self) -> ServiceRepository:
        return ServiceRepository(self.session)

    @property
    def providers(self) -> ProviderRepository:
        return ProviderRepository(self.session)

    @property
    def schools(self) -> SchoolRepository:
        return SchoolRepository(self.session)

    @property
    def courses(self) -> CourseRepository:
        return CourseRepository(self.session)

    @property
    def trust_prices(self) -> TrustPriceRepository:
        return TrustPriceRepository(self.session)
