"""What buying a rolling service commits the school to is said where it buys: the term it pays
for now (all of it, however late in the term), that it then renews into the next term, and the
last day notice stops that, by the rule cancelling it applies. Bought in December with 30 days'
notice, the spring term is bought too, and so do the shop, the basket and the order page, before
and after; the school may give that notice at once, and the orders page then shows the end."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.integration.orders.test_orders_rolling_subscriptions import rolling
from tests.integration.orders.test_orders_shop_for_next_year import portal_on
from tests.integration.orders.test_orders_shop_price_is_the_basket_s import on_day
from tests.support.orders_shop import Shop
from tests.support.portal_pages import text_of

PAID = "for the term 1 September 2026 to 31 December 2026"
RENEWS = "renews into the next term, 1 January 2027 to 31 March 2027, and each term after"


async def test_bought_in_time_the_pages_name_the_last_day_to_stop_the_next_term(
    shop: Shop,
) -> None:
    pages = await _bought_on(shop, date(2026, 10, 5))

    for page in pages:
        assert PAID in page and RENEWS in page
        assert "The last day to give notice to stop the next term is 1 December 2026." in page
    assert "Buying it today pays for the term" in pages[0]


@pytest.mark.parametrize(
    ("notice_days", "notice_by"), [(30, "1 March 2027"), (100, "21 December 2026")]
)
async def test_bought_inside_the_notice_the_pages_say_the_next_term_is_bought_too(
    shop: Shop, notice_days: int, notice_by: str
) -> None:
    """With 100 days' notice the day to give it for 31 March falls in the autumn term: the
    pages said it must be given in the spring term, by a day before the spring term began."""
    day = date(2026, 12, 7)
    shop_page, basket, order = await _bought_on(shop, day, notice_days)

    committed = (
        f"The last day to give notice to stop the next term was {{}}, so {{}} to the next term "
        f"too: the earliest it can end is 31 March 2027, with notice given by {notice_by}."
    )
    stop_by = "1 December 2026" if notice_days == 30 else "22 September 2026"
    for page in (shop_page, basket):
        assert f"Buying it today pays {PAID} (the whole term), and it {RENEWS}" in page
        assert committed.format(stop_by, "buying it today commits your school") in page
    assert PAID in order and committed.format(stop_by, "buying it committed the school") in order

    async with portal_on(shop, "school", day) as school:
        listed = await school.get("/orders")
        (cancel,) = re.findall(r'action="(/rolling-subscriptions/[^"]+/cancel)"', listed.text)
        cancelled = await school.post(cancel)
        assert cancelled.status_code == 303, cancelled.text
        page = (await school.get("/orders")).text
    assert "Payroll bureau ends on 31 March 2027." in text_of(page)
    assert "Ends on 31 March 2027, after renewing on 1 January 2027" in text_of(page)
    assert "/cancel" not in page
    assert (await rolling(shop))["ends_on"] == "2027-03-31"


async def _bought_on(shop: Shop, day: date, notice_days: int = 30) -> tuple[str, str, str]:
    """The service's page, the basket the school puts it in, and the page of the order that
    checks that basket out."""
    on_day(shop, day)
    payroll = await shop.payroll_service(notice_days=notice_days)
    async with portal_on(shop, "school", day) as school:
        shop_page = text_of((await school.get(f"/shop/{payroll['id']}")).text)
        added = await school.post(f"/shop/{payroll['id']}/basket", data={"quantity": "1"})
        assert added.status_code in (200, 303), added.text
        basket = text_of((await school.get("/basket")).text)
        placed = await shop.checkout("invoice")  # the basket the school filled
        assert placed.status_code == 201, placed.text
        order = text_of((await school.get(f"/orders/{placed.json()['id']}")).text)
    return shop_page, basket, order
