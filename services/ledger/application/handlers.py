"""What the ledger's bus handles: the commands of its routes and its recognition job, and the
events its worker subscribes to (see shared/bus.py)."""

from __future__ import annotations

from services.ledger.application import (
    journals,
    la_invoice_numbers,
    la_payments,
    payouts,
    periods,
    recognition,
    register,
)
from services.ledger.application.money_events import (
    POSTING_RULES,
    on_money_event,
    on_order_fulfilled,
)
from shared.bus import Commands, Events
from shared.events import (
    ContractSignedV1,
    LaInvoiceRaisedV1,
    OrderFulfilledV1,
    SchoolRegisteredV1,
    ServiceCreditAppliedV1,
)

COMMANDS: Commands = {
    journals.PostJournal: journals.post_journal,
    journals.ReverseTransaction: journals.reverse_transaction,
    periods.ClosePeriod: periods.close_period,
    periods.ReopenPeriod: periods.reopen_period,
    payouts.ImportPayouts: payouts.import_payouts,
    la_payments.RecordLaPayment: la_payments.record_la_payment,
    recognition.RecogniseDue: recognition.recognise_due,
}

EVENTS: Events = {
    **dict.fromkeys(POSTING_RULES, on_money_event),
    LaInvoiceRaisedV1: la_invoice_numbers.on_la_invoice_raised,
    ServiceCreditAppliedV1: la_invoice_numbers.on_service_credit_applied,
    OrderFulfilledV1: on_order_fulfilled,
    SchoolRegisteredV1: register.on_school_registered,
    ContractSignedV1: register.on_contract_signed,
}
