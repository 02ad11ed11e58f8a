"""A service the catalogue retires after a school put it in its basket is no longer sold: the
checkout refuses that line by name, as the catalogue's quote would, and nothing is charged or
placed; orders learns of the retirement from the catalogue's event over NATS."""

from __future__ import annotations

from datetime import date

from tests.integration.orders.test_orders_called_off_sessions import checked_out_once_removed
from tests.support.orders_shop import CATALOGUE_ADMIN, SCHOOL, Shop
from tests.support.platform import eventually


async def test_a_basket_line_of_a_service_retired_since_it_was_added_is_refused_at_checkout(
    shop: Shop,
) -> None:
    shop.set_day(date(2026, 10, 1))
    other = await shop.service(title="Governance review")
    retiring = await shop.service(title="Clerking service")
    await shop.add(other["id"])
    basket = await shop.add(retiring["id"])

    async def listed() -> bool:
        found = (await shop.orders.get("/listings", headers=SCHOOL)).json()
        return any(listing["service_id"] == retiring["id"] for listing in found)

    await eventually(listed)
    retired = await shop.platform.catalogue.post(
        f"/services/{retiring['id']}/retire", headers=CATALOGUE_ADMIN
    )
    assert retired.status_code == 200, retired.text

    async def delisted() -> bool:  # orders has heard of the retirement
        return not await listed()

    await eventually(delisted)
    refused = await shop.checkout("invoice")

    assert refused.status_code == 409, refused.text
    assert refused.json() == {
        "detail": "Clerking service is no longer sold: remove it from the basket",
        "field": "lines.1.service_id",
    }
    orders = await shop.orders.get("/orders", headers=SCHOOL)
    assert (orders.json(), await shop.outbox("orders.order.placed.v1")) == ([], [])
    assert await checked_out_once_removed(shop, basket["lines"][1]["line_id"]) == [other["id"]]
