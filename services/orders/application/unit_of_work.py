from services.orders.adapters.approval_policies import ApprovalPolicies
from services.orders.adapters.baskets import BasketRepository
from services.orders.adapters.called_off import CalledOffSessions
from services.orders.adapters.contacts import SchoolContacts
from services.orders.adapters.listings import ListingRepository
from services.orders.adapters.orders import OrderRepository
from services.orders.adapters.payments import PaymentRecords
from services.orders.adapters.payments_to_cancel import PaymentsToCancel
from services.orders.adapters.rolling import RollingRepository
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

    @property
    def baskets(self) -> BasketRepository:
        return BasketRepository(self.session)

    @property
    def called_off(self) -> CalledOffSessions:
        return CalledOffSessions(self.session)

    @property
    def payments(self) -> PaymentRecords:
        return PaymentRecords(self.session)

    @property
    def payments_to_cancel(self) -> PaymentsToCancel:
        return PaymentsToCancel(self.session)

    @property
    def rolling(self) -> RollingRepository:
        return RollingRepository(self.session)

    @property
    def approval_policies(self) -> ApprovalPolicies:
        return ApprovalPolicies(self.session)

    @property
    def contacts(self) -> SchoolContacts:
        return SchoolContacts(self.session)
