"""How the orders API shapes its answers (the models themselves are the HTTP contract in
shared/api/orders.py)."""

from __future__ import annotations

from services.orders.adapters.payments import Refund, Remittance
from services.orders.application.checkout import CheckedOut
from services.orders.domain.basket import Basket
from services.orders.domain.invoice import vat_breakdown
from services.orders.domain.lines import OrderLine
from services.orders.domain.order import Order
from services.orders.domain.refunds import LineRefund
from services.orders.domain.rolling import RollingSubscription
from shared.api import orders as contract


class LinePublic(contract.LinePublic):
    @classmethod
    def of(cls, line: OrderLine) -> LinePublic:
        amounts = line.amounts
        return cls(
            **line.__dict__,
            net_pence=amounts.net,
            vat_pence=amounts.vat,
            gross_pence=amounts.gross,
        )


class InvoicePublic(contract.InvoicePublic):
    @classmethod
    def of(cls, order: Order) -> InvoicePublic:
        invoice = order.invoice
        assert invoice is not None
        return cls(
            **{k: v for k, v in invoice.__dict__.items() if k != "amounts"},
            net_pence=invoice.amounts.net,
            vat_pence=invoice.amounts.vat,
            gross_pence=invoice.amounts.gross,
            outstanding_pence=invoice.outstanding_pence,
            owed_to_school_pence=invoice.owed_to_school_pence,
            vat_breakdown=[
                contract.VatBandPublic(**band.__dict__, percent=band.rate.percent)
                for band in vat_breakdown(order.lines)
            ],
        )


class OrderPublic(contract.OrderPublic):
    @classmethod
    def of(cls, order: Order) -> OrderPublic:
        amounts = order.amounts
        return cls(
            id=order.id,
            urn=order.urn,
            status=order.status,
            payment_status=order.payment_status,
            payment_method=order.payment_method,
            purchase_order=order.purchase_order,
            placed_on=order.placed_on,
            placed_at=order.placed_at,
            lines=[LinePublic.of(line) for line in order.lines],
            net_pence=amounts.net,
            vat_pence=amounts.vat,
            gross_pence=amounts.gross,
            invoice=InvoicePublic.of(order) if order.invoice else None,
            payment_reference=order.payment_reference,
            paid_pence=order.paid_pence,
            refunded_pence=order.card_refunds.made_pence,
            refund_asked_pence=order.card_refunds.asked_pence,
            refund_refused_pence=order.card_refunds.refused_pence,
            refundable_pence=order.refundable_pence,
            cancelled_on=order.cancelled_on,
            fulfilled_on=order.fulfilled_on,
            trust_code=order.trust_code,
            approve_by=order.approve_by,
            approved_by=order.approved_by,
            approved_on=order.approved_on,
        )


class CancellationPublic(contract.CancellationPublic):
    @classmethod
    def of(cls, order: Order, refunds: list[LineRefund]) -> CancellationPublic:
        return cls(
            order_id=order.id,
            payment_method=order.payment_method,
            lines=[
                contract.GivenBackPublic(
                    line_id=found.line.line_id,
                    title=found.line.title,
                    net_pence=found.amounts.net,
                    vat_pence=found.amounts.vat,
                    gross_pence=found.amounts.gross,
                    rule=found.rule,
                )
                for found in refunds
            ],
            gross_pence=sum(found.amounts.gross for found in refunds),
        )


class CancelledOrderPublic(contract.CancelledOrderPublic):
    @classmethod
    def of(cls, order: Order) -> CancelledOrderPublic:
        """The order just cancelled, with what its cancellation gave back."""
        return cls(
            **OrderPublic.of(order).model_dump(),
            given_back=CancellationPublic.of(order, order.refunds),
        )


class CheckoutPublic(contract.CheckoutPublic):
    @classmethod
    def of(cls, checked_out: CheckedOut) -> CheckoutPublic:
        """The order, and the card payment for the browser to confirm if it awaits one."""
        payment = checked_out.payment
        return cls(
            **dict(OrderPublic.of(checked_out.order)),
            payment=contract.PaymentPublic(**payment.__dict__) if payment else None,
        )


class BasketPublic(contract.BasketPublic):
    @classmethod
    def of(cls, basket: Basket) -> BasketPublic:
        amounts = basket.amounts
        return cls(
            urn=basket.urn,
            lines=[LinePublic.of(line) for line in basket.lines],
            net_pence=amounts.net,
            vat_pence=amounts.vat,
            gross_pence=amounts.gross,
        )


class RemittancePublic(contract.RemittancePublic):
    @classmethod
    def of(cls, remittance: Remittance) -> RemittancePublic:
        return cls(**remittance.__dict__)


class RefundPublic(contract.RefundPublic):
    @classmethod
    def of(cls, refund: Refund) -> RefundPublic:
        return cls(**refund.__dict__, gross_pence=refund.gross_pence)


class RollingSubscriptionPublic(contract.RollingSubscriptionPublic):
    @classmethod
    def of(cls, subscription: RollingSubscription) -> RollingSubscriptionPublic:
        return cls(
            **{
                name: getattr(subscription, name)
                for name in cls.model_fields
                if name not in ("renews_every", "status")
            },
            renews_every=subscription.renews_every.value,
            status=subscription.status.value,
        )
