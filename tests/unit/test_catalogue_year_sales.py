"""A subscription bought for an academic year: this one at today's prices, next year's at the
price list set for it, and not before that list is set; only this year and the next are sold.
The shop's listing (`sale_in`) and the quote the basket charges (`quote(year=...)`) agree."""

from __future__ import annotations

from datetime import date

import pytest

from services.catalogue.domain.quote import quote
from services.catalogue.domain.service import Details, Service, ServiceType, Term, sale_in
from shared.errors import Invalid
from shared.money import VatRate
from tests.unit.test_catalogue_pricing import HOME, TODAY, flat, school

NEXT_SEPTEMBER = date(2027, 9, 1)  # TODAY is in 2026/27


def subscription(title: str = "Data support", term: Term = Term.ACADEMIC_YEAR) -> Service:
    service = Service.draft(
        code=title.upper()[:6],
        service_type=ServiceType.SUBSCRIPTION,
        details=Details(title=title, term=term),
        prices=flat(300_000),
        vat_rate=VatRate.STANDARD,
        today=TODAY,
    )
    service.publish()
    return service


def test_next_year_is_sold_at_its_own_list_with_its_vat_and_term() -> None:
    data = subscription()
    data.reprice(flat(330_000), VatRate.EXEMPT, effective_from=NEXT_SEPTEMBER, today=TODAY)

    sale = sale_in(data, "2027/28", TODAY)
    quoted = quote(
        data, school(), quantity=2, home_la_code=HOME, starts_on=TODAY, year="2027/28", today=TODAY
    )

    assert sale is not None
    assert (sale.price_day, sale.term, sale.refused) == (
        NEXT_SEPTEMBER,
        (NEXT_SEPTEMBER, date(2028, 8, 31)),
        "",
    )
    assert (quoted.unit_price_pence, quoted.vat_rate, quoted.net_pence, quoted.gross_pence) == (
        330_000,
        VatRate.EXEMPT,
        660_000,
        660_000,
    )
    assert (quoted.term_start, quoted.term_end, quoted.price_year) == (
        NEXT_SEPTEMBER,
        date(2028, 8, 31),
        "2027/28",
    )
    this_year = sale_in(data, "2026/27", TODAY)
    assert this_year is not None and this_year.price_day == TODAY  # today's list, this year


def test_a_year_to_come_with_no_list_set_is_not_sold_for_it() -> None:
    data = subscription()
    sale = sale_in(data, "2027/28", TODAY)
    assert sale is not None and sale.price_day is None
    assert sale.refused == (
        "Data support has no price for 2027/28 yet: its prices from 1 September 2027 are still "
        "to be set"
    )
    with pytest.raises(Invalid) as refused:
        quote(
            data,
            school(),
            quantity=1,
            home_la_code=HOME,
            starts_on=TODAY,
            year="2027/28",
            today=TODAY,
        )
    assert (refused.value.message, refused.value.field) == (sale.refused, "academic_year")


def test_next_year_s_list_at_this_year_s_prices_is_set_all_the_same() -> None:
    data = subscription()
    data.reprice(flat(300_000), VatRate.STANDARD, effective_from=NEXT_SEPTEMBER, today=TODAY)
    data.reprice(flat(300_000), VatRate.STANDARD, effective_from=TODAY, today=TODAY)

    assert [(v.version, v.year) for v in data.versions] == [(1, "2026/27"), (2, "2027/28")]
    sale = sale_in(data, "2027/28", TODAY)
    assert sale is not None and sale.price_day == NEXT_SEPTEMBER


@pytest.mark.parametrize("year", ["2025/26", "2028/29"])
def test_only_this_academic_year_and_the_next_are_sold_for(year: str) -> None:
    data = subscription()
    with pytest.raises(Invalid) as refused:
        data.bought_in(year, TODAY)
    assert refused.value.field == "academic_year"
    assert refused.value.message == f"subscriptions are sold for 2026/27 or 2027/28, not {year}"


def test_a_financial_year_subscription_for_next_year_takes_its_financial_year_s_list() -> None:
    """2027-28 (April to March) ends in 2027/28: bought for it, it is priced at its own start,
    from the list set for 2027-28."""
    finance = subscription("Finance support", Term.FINANCIAL_YEAR)
    unset = sale_in(finance, "2027/28", TODAY)
    assert unset is not None and "no price for 2027/28 yet" in unset.refused

    finance.reprice(flat(132_000), VatRate.STANDARD, effective_from=date(2027, 4, 1), today=TODAY)
    sale = sale_in(finance, "2027/28", TODAY)

    assert sale is not None
    assert (sale.price_day, sale.term) == (date(2027, 4, 1), (date(2027, 4, 1), date(2028, 3, 31)))


def test_a_bundle_of_subscriptions_needs_each_part_s_list_for_the_year() -> None:
    clerking, training = subscription("Clerking"), subscription("Governor training")
    package = Service.draft(
        code="PKG",
        service_type=ServiceType.BUNDLE,
        details=Details(title="Governance package", components=(clerking.id, training.id)),
        prices=flat(0),
        vat_rate=VatRate.STANDARD,
        today=TODAY,
    )
    package.publish()
    parts = [clerking, training]
    clerking.reprice(flat(110_000), VatRate.STANDARD, effective_from=NEXT_SEPTEMBER, today=TODAY)

    refused = sale_in(package, "2027/28", TODAY, parts)
    training.reprice(flat(330_000), VatRate.STANDARD, effective_from=NEXT_SEPTEMBER, today=TODAY)
    sold = sale_in(package, "2027/28", TODAY, parts)

    assert refused is not None and "Governance package has no price for 2027/28" in refused.refused
    assert sold is not None and sold.price_day == NEXT_SEPTEMBER


def test_a_service_not_bought_by_the_year_has_no_year_sale() -> None:
    course = Service.draft(
        code="ML-PROG",
        service_type=ServiceType.COURSE,
        details=Details(title="Middle leadership"),
        prices=flat(59_500),
        vat_rate=VatRate.EXEMPT,
        today=TODAY,
    )
    assert sale_in(course, "2027/28", TODAY) is None
    with pytest.raises(Invalid) as refused:
        course.bought_in("2027/28", TODAY)
    assert refused.value.field == "academic_year"
