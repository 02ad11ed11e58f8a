"""What the ledger learns from the other services for its reports: the schools register (the
denominator of the buy-back rate) and the contracts' references and titles."""

from __future__ import annotations

from services.ledger.application.unit_of_work import LedgerUnitOfWork
from shared.events import ContractSignedV1, Envelope, SchoolRegisteredV1


async def on_school_registered(
    envelope: Envelope[SchoolRegisteredV1], *, uow: LedgerUnitOfWork
) -> None:
    await uow.register.save(envelope.payload)


async def on_contract_signed(
    envelope: Envelope[ContractSignedV1], *, uow: LedgerUnitOfWork
) -> None:
    """The statutory reports lead with a contract's reference and title, not its id."""
    await uow.register.name_contract(envelope.payload)
