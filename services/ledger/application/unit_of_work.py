from services.ledger.adapters.book import Book
from shared.uow import UnitOfWork


class LedgerUnitOfWork(UnitOfWork):
    @property
    def book(self) -> Book:
        return Book(self.session)
