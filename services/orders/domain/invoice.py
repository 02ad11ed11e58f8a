"""An invoice to a school: numbered without gaps, due by a date, paid in one or more parts,
reduced by credit notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID, uuid4

from services.orders.domain.lines import OrderLine
from shared.money import Amounts, VatRate, total
from shared.remittances import refuse_beyond_outstanding, refuse_received_before_invoice


@dataclass
class Invoice:
    id: UUID
    number: str
    order_id: UUID
    purchase_order: str
    issued_on: date
    due_on: date
    amounts: Amounts
    paid_pence: int = 0
    credited_pence: int = 0

    @classmethod
    def raise_for(
        cls,
        *,
        order_id: UUID,
        number: str,
        purchase_order: str,
        today: date,
        payment_days: int,
        amounts: Amounts,
    ) -> Invoice:
        return cls(
            id=uuid4(),
            number=number,
            order_id=order_id,
            purchase_order=purchase_order,
            issued_on=today,
            due_on=today + timedelta(days=payment_days),
            amounts=amounts,
        )

    @property
    def outstanding_pence(self) -> int:
        return max(0, self.amounts.gross - self.credited_pence - self.paid_pence)

    @property
    def owed_to_school_pence(self) -> int:
        """Paid, then credited: what finance must pay back to the school."""
        return max(0, self.paid_pence + self.credited_pence - self.amounts.gross)

    def take_payment(self, amount_pence: int, *, received_on: date) -> None:
        refuse_received_before_invoice(received_on, invoiced_on=self.issued_on)
        refuse_beyond_outstanding(amount_pence, outstanding_pence=self.outstanding_pence)
        self.paid_pence += amount_pence

    def credit(self, amount_pence: int) -> None:
        self.credited_pence += amount_pence


@dataclass(frozen=True)
class VatBand:
    """The lines of an invoice at one VAT rate: what a VAT invoice must show per rate."""

    rate: VatRate
    net_pence: int
    vat_pence: int


def vat_breakdown(lines: list[OrderLine]) -> list[VatBand]:
    bands = []
    for rate in VatRate:
        amounts = total([line.amounts for line in lines if line.vat_rate is rate])
        if any(line.vat_rate is rate for line in lines):
            bands.append(VatBand(rate=rate, net_pence=amounts.net, vat_pence=amounts.vat))
    return bands
