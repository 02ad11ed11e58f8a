from services.ledger.adapters.book import Book
from services.ledger.adapters.payouts import Payouts
from services.ledger.adapters.register import Register
from services.ledger.adapters.reports import Reports
from services.ledger.adapters.schedule import Schedule
from shared.uow import UnitOfWork


class LedgerUnitOfWork(UnitOfWork):
    @property
    def book(self) -> Book:
        return Book(self.session)

    @property
    def register(self) -> Register:
        return Register(self.session)

    @property
    def reports(self) -> Reports:
        return Reports(self.session)

    @property
    def payouts(self) -> Payouts:
        return Payouts(self.session)

    @property
    def schedule(self) -> Schedule:
        return Schedule(self.session)
