"""A basket's subscription line is checked out until the last day of the term it was quoted
for, and refused by name from the day after: nothing is charged for a term that is over."""

from __future__ import annotations

from datetime import date

import pytest

from services.orders.domain.basket import Basket, check_terms_running
from services.orders.domain.lines import ServiceType
from shared.errors import Conflict
from tests.unit.test_orders_lifecycle import SCHOOL, quote

YEAR = (date(2025, 9, 1), date(2026, 8, 31))


def basket_with_a_year() -> Basket:
    basket = Basket(urn=SCHOOL.urn)
    basket.add(quote())  # a consultancy day: no term, never over
    basket.add(quote(title="Data SLA", service_type=ServiceType.SUBSCRIPTION, term=YEAR))
    return basket


def test_a_term_is_checked_out_to_its_last_day_and_refused_from_the_next() -> None:
    lines = basket_with_a_year().lines
    check_terms_running(lines, today=date(2026, 8, 31))

    with pytest.raises(Conflict) as refused:
        check_terms_running(lines, today=date(2026, 9, 1))

    assert refused.value.field == "lines.1.service_id"
    assert refused.value.message == (
        "Data SLA: its term, 1 September 2025 to 31 August 2026, is over; remove it from the "
        "basket and add it again for the term to come"
    )
