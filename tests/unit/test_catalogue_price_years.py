"""Price lists by year: each version takes effect on a date and belongs to a year; a quote uses
the version in force on the day the service starts; next year's list waits its turn."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from services.catalogue.domain.quote import quote
from services.catalogue.domain.service import Details, Service, ServiceType, Term
from shared.calendar import academic_year
from shared.errors import Invalid
from shared.money import VatRate
from tests.unit.test_catalogue_pricing import HOME, flat, school

TODAY = date(2026, 12, 3)
NEXT_APRIL = date(2027, 4, 1)


def on_sale(term: Term | None = None) -> Service:
    service = Service.draft(
        code="HR-SLA",
        service_type=ServiceType.SUBSCRIPTION,
        details=Details(title="HR advice", term=term),
        prices=flat(165_000),
        vat_rate=VatRate.STANDARD,
        today=TODAY,
    )
    service.publish()
    return service


def test_next_year_s_list_is_prepared_while_this_year_s_stays_on_sale() -> None:
    service = on_sale()
    service.reprice(flat(175_000), VatRate.STANDARD, effective_from=NEXT_APRIL, today=TODAY)
    assert service.price_version == 2
    assert service.prices_on(TODAY).version == 1
    assert [v.version for v in service.upcoming(TODAY)] == [2]
    assert service.latest.year == "2027-28"


@pytest.mark.parametrize(
    ("starts_on", "pence", "version", "year"),
    [
        (date(2027, 3, 31), 165_000, 1, "2026-27"),
        (NEXT_APRIL, 175_000, 2, "2027-28"),
        (date(2028, 1, 1), 175_000, 2, "2027-28"),
    ],
)
def test_a_quote_uses_the_version_in_force_on_the_day_the_service_starts(
    starts_on: date, pence: int, version: int, year: str
) -> None:
    service = on_sale()
    service.reprice(flat(175_000), VatRate.STANDARD, effective_from=NEXT_APRIL, today=TODAY)
    found = quote(
        service, school(), quantity=1, home_la_code=HOME, starts_on=starts_on, today=TODAY
    )
    assert (found.unit_price_pence, found.price_version, found.price_year) == (
        pence,
        version,
        year,
    )


def test_the_first_prices_also_stand_before_the_day_they_were_set() -> None:
    service = on_sale()
    found = quote(
        service, school(), quantity=1, home_la_code=HOME, starts_on=date(2026, 9, 1), today=TODAY
    )
    assert (found.unit_price_pence, found.price_version) == (165_000, 1)


def test_of_two_versions_taking_effect_the_same_day_the_later_set_wins() -> None:
    service = on_sale()
    service.reprice(flat(175_000), VatRate.STANDARD, effective_from=NEXT_APRIL, today=TODAY)
    service.reprice(flat(172_500), VatRate.STANDARD, effective_from=NEXT_APRIL, today=TODAY)
    assert (service.prices_on(NEXT_APRIL).version, service.price_version) == (3, 3)


def test_new_prices_cannot_take_effect_in_the_past() -> None:
    service = on_sale()
    with pytest.raises(Invalid) as refused:
        service.reprice(flat(1), VatRate.STANDARD, effective_from=date(2026, 12, 2), today=TODAY)
    assert refused.value.field == "effective_from"
    assert service.price_version == 1


def test_setting_the_prices_already_in_force_makes_no_new_version() -> None:
    service = on_sale()
    service.reprice(flat(165_000), VatRate.STANDARD, effective_from=TODAY, today=TODAY)
    assert (service.price_version, service.changes) == (1, ["published"])


def test_a_list_belongs_to_the_academic_year_for_services_sold_by_the_academic_year() -> None:
    service = on_sale(Term.ACADEMIC_YEAR)
    service.reprice(flat(1), VatRate.STANDARD, effective_from=date(2027, 9, 1), today=TODAY)
    assert [v.year for v in service.versions] == ["2026/27", "2027/28"]


@pytest.mark.parametrize(
    ("term", "starts_on", "refused"),
    [
        (Term.ACADEMIC_YEAR, date(2028, 9, 1), "HR advice runs in 2027/28, not 2028/29"),
        (Term.ACADEMIC_YEAR, date(2027, 9, 1), None),
        (Term.ACADEMIC_YEAR, date(2026, 12, 3), None),  # bought ahead for the year it lists
        (Term.FINANCIAL_YEAR, date(2028, 4, 1), "HR advice runs in 2027/28, not 2028/29"),
        (Term.FINANCIAL_YEAR, date(2027, 4, 1), None),  # April 2027 to March 2028
    ],
)
def test_a_subscription_is_quoted_only_for_the_years_it_lists(
    term: Term, starts_on: date, refused: str | None
) -> None:
    """It had been quoted, and sold, for the year of the day asked, listed or not."""
    service = on_sale(term)
    service.details = replace(service.details, academic_years=("2027/28",))
    if refused is None:
        found = quote(
            service, school(), quantity=1, home_la_code=HOME, starts_on=starts_on, today=TODAY
        )
        assert found.term_end and academic_year(found.term_end) == "2027/28"
        return
    with pytest.raises(Invalid) as error:
        quote(service, school(), quantity=1, home_la_code=HOME, starts_on=starts_on, today=TODAY)
    assert (error.value.message, error.value.field) == (refused, "starts_on")
