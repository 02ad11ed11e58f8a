from collections import Counter
from typing import Self

from services.ledger.adapters.book import Book
from services.ledger.adapters.book_writes import BookWrites, Staged
from services.ledger.adapters.payouts import Payouts
from services.ledger.adapters.register import Register
from services.ledger.adapters.reports import Reports
from services.ledger.adapters.schedule import Schedule
from shared import metrics
from shared.events import Envelope, Event
from shared.money import Strand
from shared.uow import UnitOfWork


class LedgerUnitOfWork(UnitOfWork):
    """Postings are staged in `writes` and written when the unit of work commits, so that a
    batch of events costs a few statements, not a few per event."""

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.writes = BookWrites(self.session)
        self.posted: list[Staged] = []  # what the last commit posted
        self._closed: set[str] | None = None
        return self

    async def closed_months(self) -> set[str]:
        """The months closed when this transaction first asked (a batch asks once)."""
        if self._closed is None:
            self._closed = await self.book.closed_months()
        return self._closed

    async def commit(self) -> list[Envelope[Event]]:
        self.posted = await self.writes.flush()
        counted: Counter[Strand | None] = Counter()
        lines: Counter[Strand | None] = Counter()
        for entry in self.posted:
            transaction = entry.transaction
            counted[transaction.strand] += 1
            lines[transaction.strand] += len(transaction.postings)
            if entry.announcement is not None:
                self.record_envelope(entry.announcement, summary=transaction.description)
        envelopes = await super().commit()
        for strand, count in counted.items():
            metrics.ledger_posted(strand=strand, transactions=count, postings=lines[strand])
        return envelopes

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
