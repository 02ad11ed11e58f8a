"""An order's card payment and its refunds, as notifications hears of them: refunded in full,
as orders counts it (the order bought nothing), once the refunds give back all that was paid.
A refund event says so itself only since it has said so (`order_refunded_in_full`): the sums
tell of one from before, and whichever of the payment and its refunds is applied first."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CardPayment:
    paid_pence: int | None  # None: the payment not heard of yet (its refund applied first)
    refunded_pence: int  # every refund of it heard of, together

    @property
    def refunded_in_full(self) -> bool:
        return self.paid_pence is not None and 0 < self.paid_pence <= self.refunded_pence
