"""The chart of accounts. Income and cost accounts belong to one strand (`traded:` or
`statutory:`); the balance-sheet accounts (bank, Stripe clearing, receivables, VAT, payables,
deferred income, reserves) are shared and carry the strand as a dimension instead. The company's
own core accounts (`core:`, `grant:`) belong to neither strand."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache, cached_property

from shared.account_codes import code_part
from shared.errors import Invalid
from shared.money import Strand


class AccountKind(StrEnum):
    ASSET = "asset"
    LIABILITY = "liability"
    EQUITY = "equity"
    INCOME = "income"
    EXPENSE = "expense"


@dataclass(frozen=True)
class Account:
    code: str
    name: str
    kind: AccountKind

    @cached_property
    def strand(self) -> Strand | None:
        """Traded or statutory for the accounts of a strand; None for those shared by both and
        for the core accounts, which any transaction may touch."""
        prefix = self.code.split(":", 1)[0]
        return Strand(prefix) if prefix in (Strand.TRADED, Strand.STATUTORY) else None


BANK = Account("bank", "Bank", AccountKind.ASSET)
STRIPE_CLEARING = Account("clearing:stripe", "Stripe clearing", AccountKind.ASSET)
SCHOOL_RECEIVABLES = Account("receivables:schools", "Receivables: schools", AccountKind.ASSET)
LA_RECEIVABLES = Account("receivables:la", "Receivables: local authority", AccountKind.ASSET)
VAT_INPUT = Account("vat:input", "VAT recoverable (input tax)", AccountKind.ASSET)
VAT_OUTPUT = Account("vat:output", "VAT payable (output tax)", AccountKind.LIABILITY)
PROVIDER_PAYABLES = Account("payables:providers", "Payables: providers", AccountKind.LIABILITY)
DEFERRED_INCOME = Account("deferred-income", "Deferred income", AccountKind.LIABILITY)
RESERVES = Account("reserves", "Reserves", AccountKind.EQUITY)
TRADED_DELIVERY = Account("traded:cost:delivery", "Traded delivery costs", AccountKind.EXPENSE)
CARD_FEES = Account("traded:cost:card-fees", "Card payment fees", AccountKind.EXPENSE)
STATUTORY_DELIVERY = Account(
    "statutory:cost:delivery", "Statutory delivery costs (providers)", AccountKind.EXPENSE
)
PD_SPEND = Account(
    "core:cost:professional-development", "Professional development of staff", AccountKind.EXPENSE
)
OVERHEADS = Account("core:cost:overheads", "Overheads", AccountKind.EXPENSE)
GRANT_INCOME = Account("grant:income", "Grant income", AccountKind.INCOME)

FIXED: tuple[Account, ...] = (
    BANK,
    STRIPE_CLEARING,
    SCHOOL_RECEIVABLES,
    LA_RECEIVABLES,
    VAT_INPUT,
    VAT_OUTPUT,
    PROVIDER_PAYABLES,
    DEFERRED_INCOME,
    RESERVES,
    TRADED_DELIVERY,
    CARD_FEES,
    STATUTORY_DELIVERY,
    PD_SPEND,
    OVERHEADS,
    GRANT_INCOME,
)
_BY_CODE = {account.code: account for account in FIXED}


@cache  # a handful of categories, met in every sale
def traded_income(category: str) -> Account:
    return Account(
        f"traded:income:{code_part(category)}", f"Traded income: {category}", AccountKind.INCOME
    )


@cache
def statutory_income(contract_reference: str) -> Account:
    return Account(
        f"statutory:income:{code_part(contract_reference)}",
        f"Statutory income: contract {contract_reference}",
        AccountKind.INCOME,
    )


def account_for(code: str) -> Account:
    """An account of the chart by its code (a manual journal names accounts this way)."""
    if code in _BY_CODE:
        return _BY_CODE[code]
    for prefix, make in (
        ("traded:income:", traded_income),
        ("statutory:income:", statutory_income),
    ):
        name = code.removeprefix(prefix)
        if code.startswith(prefix) and name and code_part(name) == name:
            return make(name)
    raise Invalid(f"no account {code!r} in the chart of accounts", field="account")
