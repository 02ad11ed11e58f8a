"""An academy trust's price list: a percentage off the tariff price for every school of the
trust, taken after the tariff has priced the school (so it follows whatever tariff applies)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from services.catalogue.domain.pricing import discounted
from services.catalogue.domain.quote import Quote
from services.catalogue.domain.tariff import Priced
from shared.errors import Invalid
from shared.money import line_amounts


@dataclass(frozen=True)
class TrustPriceList:
    trust_code: str
    trust_name: str
    discount_percent: int

    def __post_init__(self) -> None:
        if not 0 <= self.discount_percent < 100:
            raise Invalid("a trust discount is a percentage from 0 to 99", field="discount_percent")

    def applied_to(self, priced: Priced) -> Priced:
        if not self.discount_percent:
            return priced
        return Priced(
            discounted(priced.unit_pence, self.discount_percent),
            f"{priced.rule}; less {self.discount_percent}% on {self.trust_name}'s price list",
        )


def trust_quote(quote: Quote, prices: TrustPriceList | None) -> Quote:
    """The quote at the trust's price: its unit price less the discount, the amounts again."""
    if prices is None or not prices.discount_percent:
        return quote
    priced = prices.applied_to(Priced(quote.unit_price_pence, quote.rule))
    amounts = line_amounts(
        unit_price_pence=priced.unit_pence, quantity=quote.quantity, rate=quote.vat_rate
    )
    return replace(
        quote,
        unit_price_pence=priced.unit_pence,
        net_pence=amounts.net,
        vat_pence=amounts.vat,
        gross_pence=amounts.gross,
        rule=priced.rule,
    )
