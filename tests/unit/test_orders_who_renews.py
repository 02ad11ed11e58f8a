"""Who renews a subscription in the buy-back: the trust that bought it for a school while the
school is still in that trust; otherwise the school itself."""

from __future__ import annotations

from dataclasses import replace

import pytest

from services.orders.domain.order import PaymentMethod
from services.orders.domain.renewal import renewed_by_its_trust
from tests.unit.test_orders_lifecycle import SCHOOL, order


@pytest.mark.parametrize(
    ("placed_by", "school_in", "by_its_trust"),
    [
        (None, None, False),  # the school's own order
        (None, "4209", False),  # the school's own order, though it is in a trust
        ("4209", "4209", True),  # its trust's, and it is still in the trust
        ("4209", None, False),  # its trust's, and it has left for no trust
        ("4209", "5310", False),  # its trust's, and it has joined another
    ],
)
def test_a_trust_renews_what_it_bought_for_a_school_only_while_the_school_is_in_it(
    placed_by: str | None, school_in: str | None, by_its_trust: bool
) -> None:
    school = replace(SCHOOL, trust_code=school_in)
    bought = replace(order(PaymentMethod.INVOICE), trust_code=placed_by)

    assert renewed_by_its_trust(bought, school) is by_its_trust
