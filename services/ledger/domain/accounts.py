"""The chart of accounts. Income and cost accounts belong to one strand; the balance-sheet
accounts (bank, receivables, VAT) are shared and carry the strand as a dimension instead."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

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

    @property
    def strand(self) -> Strand | None:
        prefix = self.code.split(":", 1)[0]
        return Strand(prefix) if prefix in Strand.__members__.values() else None


BANK = Account("bank", "Bank", AccountKind.ASSET)
SCHOOL_RECEIVABLES = Account("receivables:schools", "Receivables: schools", AccountKind.ASSET)
LA_RECEIVABLES = Account("receivables:la", "Receivables: local authority", AccountKind.ASSET)
VAT_OUTPUT = Account("vat:output", "VAT payable (output tax)", AccountKind.LIABILITY)


def traded_income(category: str) -> Account:
    return Account(
        f"traded:income:{_slug(category)}", f"Traded income: {category}", AccountKind.INCOME
    )


def statutory_income(contract_reference: str) -> Account:
    return Account(
        f"statutory:income:{_slug(contract_reference)}",
        f"Statutory income: contract {contract_reference}",
        AccountKind.INCOME,
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
