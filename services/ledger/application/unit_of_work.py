from collections import Counter
from typing import Self

from services.ledger.adapters.book import Book
from services.ledger.adapters.book_writes import BookWrites, Staged
from services.ledger.adapters.deliveries import Deliveries
from services.ledger.adapters.la_invoice_numbers import LaInvoiceNumbers
from services.ledger.adapters.la_invoices import LaInvoices
from services.ledger.adapters.payouts import Payouts
from services.ledger.adapters.register import Register
from services.ledger.adapters.reports import Reports
from services.ledger.adapters.schedule import Schedule
from services.ledger.adapters.terms import Terms
from services.ledger.domain.transaction import JournalTransaction
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
        self._posted: list[Staged] = []  # written by `flush`, not yet committed
        self._closed: set[str] | None = None
        return self

    async def closed_months(self) -> set[str]:
        """The months closed when this transaction first asked (a batch asks once)."""
        if self._closed is None:
            self._closed = await self.book.closed_months()
        return self._closed

    async def flush(self) -> list[JournalTransaction]:
        """Write what is staged now, for a command that must know what it posted (the commit
        writes the rest); what was posted, leaving out any transaction already in the book."""
        posted = await self.writes.flush()
        for entry in posted:
            if entry.announcement is not None:
                self.record_envelope(entry.announcement, summary=entry.transaction.description)
        self._posted.extend(posted)
        return [entry.transaction for entry in posted]

    async def commit(self) -> list[Envelope[Event]]:
        await self.flush()
        envelopes = await super().commit()
        counted: Counter[Strand] = Counter()
        lines: Counter[Strand] = Counter()
        for entry in self._posted:
            counted[entry.transaction.strand] += 1
            lines[entry.transaction.strand] += len(entry.transaction.postings)
        self._posted = []
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
    def deliveries(self) -> Deliveries:
        return Deliveries(self.session)

    @property
    def terms(self) -> Terms:
        return Terms(self.session)

    @property
    def la_invoices(self) -> LaInvoices:
        return LaInvoices(self.session)

    @property
    def la_invoice_numbers(self) -> LaInvoiceNumbers:
        return LaInvoiceNumbers(self.session)

    @property
    def payouts(self) -> Payouts:
        return Payouts(self.session)

    @property
    def schedule(self) -> Schedule:
        return Schedule(self.session)
