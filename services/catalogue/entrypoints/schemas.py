"""The catalogue API's answers (declared in shared.api.catalogue), built from its domain."""

from __future__ import annotations

from datetime import date

from services.catalogue.domain.bundle import TARIFF_FOR, base_price, price_in_words
from services.catalogue.domain.course import CourseSession, WaitingLine, places_for_newcomers
from services.catalogue.domain.pricing import PriceVersion
from services.catalogue.domain.provider import Provider
from services.catalogue.domain.service import Service, ServiceType, YearSale
from services.catalogue.domain.tariff import Priced, in_words
from shared.api import catalogue as contract
from shared.cfr import cfr_title
from shared.errors import Invalid
from shared.tariffs import Prices


class PricesInWordsPublic(contract.PricesInWordsPublic):
    @classmethod
    def of(cls, prices: Prices) -> PricesInWordsPublic:
        return cls(
            maintained=in_words(prices.maintained),
            academy=in_words(prices.academy) if prices.academy else None,
            out_of_area=in_words(prices.out_of_area) if prices.out_of_area else None,
        )

    @classmethod
    def of_bundle(
        cls, bundle: Service, parts: list[Service], *, today: date
    ) -> PricesInWordsPublic:
        said = {whose: price_in_words(bundle, parts, on=today, whose=whose) for whose in TARIFF_FOR}
        maintained = said.pop("maintained")
        return cls(
            maintained=maintained,
            **{whose: words if words != maintained else None for whose, words in said.items()},
        )


class PriceVersionPublic(contract.PriceVersionPublic):
    @classmethod
    def of(cls, version: PriceVersion) -> PriceVersionPublic:
        return cls(
            version=version.version,
            prices=version.prices,
            in_words=PricesInWordsPublic.of(version.prices),
            vat_rate=version.vat_rate,
            effective_from=version.effective_from,
            year=version.year,
        )


class ProviderPublic(contract.ProviderPublic):
    @classmethod
    def of(cls, provider: Provider) -> ProviderPublic:
        return cls.model_validate(provider.__dict__)


class ServicePublic(contract.ServicePublic):
    @classmethod
    def of(
        cls,
        service: Service,
        provider: Provider | None = None,
        *,
        today: date,
        urn: int | None = None,
        priced: Priced | None = None,
        session_on: date | None = None,
        components: list[Service] | None = None,
        sale: YearSale | None = None,
    ) -> ServicePublic:
        """A bundle (with its `components`) is priced as its parts less its discount: the
        prices stored with it are not what anyone pays. The school's price (`priced`, for the
        course session on `session_on`, the term bought today, or the `sale` for a year asked
        for) goes with the VAT rate of the price list it is from, as its quote's does."""
        parts = components or []
        current = service.prices_on(today)
        headline, in_words = current.headline_pence, PricesInWordsPublic.of(current.prices)
        price_day = today
        try:
            price_day, covers = service.bought_for(session_on or today, parts)
            covers = covers or service.period_under_way(today)
            if sale is not None:
                price_day, covers = sale.price_day or price_day, sale.term
            if service.service_type is ServiceType.BUNDLE:
                headline = base_price(service, parts, on=today)
                in_words = PricesInWordsPublic.of_bundle(service, parts, today=today)
        except Invalid as mismatched:  # a bundle made before its parts had to go together
            covers = None
            in_words = PricesInWordsPublic(
                maintained=f"not for sale: {mismatched.message}", academy=None, out_of_area=None
            )
        term = {"term_start": covers[0], "term_end": covers[1]} if covers else {}
        return cls(
            id=service.id,
            code=service.code,
            service_type=service.service_type,
            unit=service.unit,
            **{
                name: getattr(service.details, name)
                for name in contract.DetailsCreate.model_fields
                if name != "provider_id"
            },
            cfr_title=cfr_title(service.details.cfr_code),
            unit_price_pence=headline,
            prices=current.prices,
            prices_in_words=in_words,
            vat_rate=current.vat_rate,
            price_version=current.version,
            price_year=current.year,
            price_effective_from=current.effective_from,
            upcoming_prices=[PriceVersionPublic.of(v) for v in service.upcoming(today)],
            status=service.status,
            provider=ProviderPublic.of(provider) if provider else None,
            rating_average=service.rating_average,
            ratings=service.ratings,
            price_for_school=(
                contract.SchoolPricePublic(
                    urn=urn,
                    unit_price_pence=priced.unit_pence,
                    rule=priced.rule,
                    session_on=session_on,
                    vat_rate=service.prices_on(price_day).vat_rate,
                    **term,
                )
                if priced and urn is not None
                else None
            ),
            for_year=_for_year(service, sale),
        )


def _for_year(service: Service, sale: YearSale | None) -> contract.YearSalePublic | None:
    if sale is None:
        return None
    if sale.price_day is None or sale.term is None:
        return contract.YearSalePublic(academic_year=sale.year, on_sale=False, refused=sale.refused)
    return contract.YearSalePublic(
        academic_year=sale.year,
        on_sale=True,
        term_start=sale.term[0],
        term_end=sale.term[1],
        vat_rate=service.prices_on(sale.price_day).vat_rate,
    )


class SessionPublic(contract.SessionPublic):
    @classmethod
    def of(cls, session: CourseSession, line: WaitingLine | None = None) -> SessionPublic:
        line = line or WaitingLine()  # one just scheduled: nobody waits yet
        return cls(
            **session.__dict__,
            places_left=places_for_newcomers(session, line),
            schools_waiting=line.waiting,
        )
