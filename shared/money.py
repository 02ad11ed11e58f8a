"""Money is an int of pence everywhere; VAT is rounded here and nowhere else."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal


class VatRate(StrEnum):
    STANDARD = "standard"
    ZERO = "zero"
    EXEMPT = "exempt"

    @property
    def percent(self) -> int:
        return 20 if self is VatRate.STANDARD else 0

    @property
    def label(self) -> str:
        """As a form offers it: 'Standard rate (20%)'."""
        if self is VatRate.STANDARD:
            return f"Standard rate ({self.percent}%)"
        return "Zero rate" if self is VatRate.ZERO else "Exempt"


def vat_on(net_pence: int, rate: VatRate) -> int:
    """VAT on a net amount, rounded half-up to the penny (half away from zero for credits)."""
    numerator = abs(net_pence) * rate.percent
    vat = (numerator * 2 + 100) // 200
    return vat if net_pence >= 0 else -vat


def monthly_parts(pence: int, months: int) -> list[int]:
    """`pence` in `months` equal parts; the pence that do not divide go to the last months. So
    the last k parts of a spread are the spread of their sum: what a cancelled subscription
    gives back for its unused months (`last_months_share`) is, month by month, the income the
    sale would have earned in them, and no month is left a penny over or under."""
    if months < 1:
        return []
    sign = -1 if pence < 0 else 1
    each, spare = divmod(abs(pence), months)
    return [sign * (each + (1 if index >= months - spare else 0)) for index in range(months)]


def last_months_share(pence: int, months: int, last: int) -> int:
    """The sum of the last `last` of `months` monthly parts of `pence`."""
    return sum(monthly_parts(pence, months)[months - last :]) if last > 0 else 0


@dataclass(frozen=True)
class Amounts:
    net: int
    vat: int

    @property
    def gross(self) -> int:
        return self.net + self.vat

    def __add__(self, other: Amounts) -> Amounts:
        return Amounts(net=self.net + other.net, vat=self.vat + other.vat)


ZERO = Amounts(net=0, vat=0)


def line_amounts(*, unit_price_pence: int, quantity: int, rate: VatRate) -> Amounts:
    """One priced line: VAT is computed on the line's net, so totals are sums of rounded lines."""
    net = unit_price_pence * quantity
    return Amounts(net=net, vat=vat_on(net, rate))


def total(lines: list[Amounts]) -> Amounts:
    result = ZERO
    for line in lines:
        result = result + line
    return result


def format_pounds(pence: int) -> str:
    """'-£1,234.50', as a person reads money on a page, a PDF or in a message. The sign comes
    before the pound sign, and a negative amount is never floored a pound further from zero."""
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(pence), 100)
    return f"{sign}£{pounds:,}.{rest:02d}"


def plain_pounds(pence: int) -> str:
    """'-1234.50': pounds as typed into a form field or read from a CSV cell by a spreadsheet."""
    return format_pounds(pence).replace("£", "").replace(",", "")


class Strand(StrEnum):
    """The two kinds of money that must never be mixed, what schools buy and what the LA
    commissions, and the company's own core money (its overheads, staff development and grants),
    in neither: the ledger's books and reports keep all three apart. A money event carries one
    of the two; only the ledger's own journals are core."""

    TRADED = "traded"
    STATUTORY = "statutory"
    CORE = "core"


# What a money event may carry: an order or an LA invoice is never the company's core money.
MoneyStrand = Literal[Strand.TRADED, Strand.STATUTORY]
