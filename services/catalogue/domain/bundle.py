"""A bundle: several services sold as one line at a stated discount. It has no price of its
own: a school pays its parts' prices less the discount, at the bundle's VAT rate."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from uuid import UUID

from services.catalogue.domain.pricing import discounted
from services.catalogue.domain.provider import Provider
from services.catalogue.domain.service import Service, ServiceType, Status
from services.catalogue.domain.tariff import headline_pence
from shared.errors import Conflict, Invalid
from shared.money import format_pounds
from shared.tariffs import DayRate, Flat, Prices, Tariff

NOT_BUNDLED = (ServiceType.BUNDLE, ServiceType.ROLLING)  # a bundle, or a line renewing itself

TARIFF_FOR: dict[str, Callable[[Prices], Tariff]] = {
    "maintained": lambda prices: prices.maintained,
    "academy": lambda prices: prices.academy or prices.maintained,
    "out_of_area": lambda prices: prices.out_of_area or prices.maintained,
}


def check_bundle(bundle: Service, parts: Sequence[Service], *, today: date) -> None:
    """A bundle can be sold as one line: none of its parts is a bundle or renews itself; they
    are all subscriptions sold by the same year (which the bundle then covers) or none is; and
    each charges the bundle's VAT rate, today and in every price list set for later."""
    for part in parts:
        if part.service_type in NOT_BUNDLED:
            raise Invalid(
                f"{part.code} is a {part.service_type}: it cannot be bundled", field="components"
            )
    bundle.sold_by(parts)
    later = {v.effective_from for found in (bundle, *parts) for v in found.upcoming(today)}
    for day in sorted({today, *later}):
        check_one_vat_rate(bundle, parts, on=day)


def check_one_vat_rate(bundle: Service, parts: Sequence[Service], *, on: date) -> None:
    """A bundle's VAT rate is charged on all of it, so each part must be charged at that rate."""
    rate = bundle.prices_on(on).vat_rate
    other = [
        f"{p.code} ({p.prices_on(on).vat_rate})" for p in parts if p.prices_on(on).vat_rate != rate
    ]
    if other:
        raise Invalid(
            f"the bundle is {rate}-rated for VAT but {', '.join(other)} is not: a bundle's "
            "services must all be charged the same VAT rate as the bundle",
            field="components",
        )


def check_parts_orderable(parts: Sequence[Service], providers: Mapping[UUID, Provider]) -> None:
    """A bundle is bought only when each of its parts could be bought alone."""
    for part in parts:
        if part.status is not Status.PUBLISHED:
            raise Conflict(f"{part.code} in this bundle is {part.status}", field="components")
        stopped_by = part_seller_stopped(part, providers)
        if stopped_by is not None:
            raise Conflict(
                f"{stopped_by.name} is suspended: {part.code} ({part.title}) in this bundle, "
                "and so the bundle, cannot be bought",
                field="components",
            )


def part_seller_stopped(part: Service, providers: Mapping[UUID, Provider]) -> Provider | None:
    """The part's provider, if it may not sell."""
    provider = providers.get(part.details.provider_id) if part.details.provider_id else None
    return provider if provider is not None and not provider.may_sell else None


def base_price(bundle: Service, parts: Sequence[Service], *, on: date) -> int:
    """The least any maintained school pays for the bundle bought on `on`: its parts' base
    prices (on its price day) less the discount."""
    day = bundle.price_day(on, parts)
    total = sum(headline_pence(part.prices_on(day).prices.maintained) for part in parts)
    return discounted(total, bundle.details.discount_percent)


def price_in_words(bundle: Service, parts: Sequence[Service], *, on: date, whose: str) -> str:
    """What `whose` schools ("maintained", "academy", "out_of_area") pay for the bundle bought
    on `on`, before a school's own tariff applies: a sum when every part has one price for them
    all (a flat price, or a day's rate), else the rule."""
    day = bundle.price_day(on, parts)
    tariffs = [TARIFF_FOR[whose](part.prices_on(day).prices) for part in parts]
    percent = bundle.details.discount_percent
    fixed = [tariff.pence for tariff in tariffs if isinstance(tariff, Flat | DayRate)]
    if len(fixed) == len(tariffs):
        total = sum(fixed)
        return (
            f"{format_pounds(discounted(total, percent))}: its services' prices "
            f"({format_pounds(total)}) less {percent}%"
        )
    return f"its services' prices less {percent}%: depends on the school"
