from services.orders.adapters.listings import ListingRepository
from services.orders.adapters.orders import OrderRepository
from services.orders.adapters.schools import SchoolRepository
from shared.uow import UnitOfWork


class OrdersUnitOfWork(UnitOfWork):
    @property
    def schools(self) -> SchoolRepository:
        return SchoolRepository(self.session)

    @property
    def listings(self) -> ListingRepository:
        return ListingRepository(self.session)

    @property
    def orders(self) -> OrderRepository:
        return OrderRepository(self.session)
