"""A school leaves its academy trust (the register, re-imported, names no trust for it, or
another): what the trust bought for it last year becomes the school's to renew, at the school's
price and on its own order, unless bought for it for the year already (by its new trust, say:
whoever bought it, no one is offered it again); and what the trust's orders tell the other
services still names the trust that placed them."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

from services.orders.adapters.register_csv import read_register
from services.orders.application.schools import ImportSchools
from services.seed.demo_trust import DEMO_TRUST_CODE, DEMO_TRUST_NAME
from shared.auth import Role
from shared.clock import Clock
from tests.integration.orders.test_orders_school_register import register_with
from tests.integration.orders.test_orders_shop_for_next_year import portal_on
from tests.integration.orders.test_trust_orders import (
    FLEETVILLE_JUNIOR,
    SANDRINGHAM,
    a_trust_order,
    check_out_trust,
    pdf_text,
)
from tests.integration.orders.test_trust_places_and_renewals import add_for, trust_renewal
from tests.support.orders_shop import FINANCE, Shop
from tests.support.platform import auth, eventually
from tests.support.portal_pages import text_of

SANDRINGHAM_SCHOOL = auth(Role.SCHOOL, SANDRINGHAM)
HERTS_TRUST = {"trust_code": "4209", "trust_name": "Herts Learning Trust"}


async def register_anew(shop: Shop, tmp_path: Path, urn: int, **trust: str) -> None:
    """The register re-imported with the school in no trust, or in `trust`."""
    register = read_register(register_with(tmp_path, {urn}, **trust))
    assert not trust or register[0].trust_code == trust["trust_code"]
    await shop.platform.services["orders"].bus.handle(ImportSchools(register))


async def priced_as_its_own(shop: Shop, service_id: str, urn: int = SANDRINGHAM) -> None:
    """Once the catalogue has heard the register's news: it quotes the school its own price,
    without the trust's 10% off."""

    async def own_price() -> bool:
        quote = await shop.platform.catalogue.post(
            "/quotes",
            json={"service_id": service_id, "urn": urn, "quantity": 1},
            headers=auth(Role.SCHOOL, urn),
        )
        assert quote.status_code == 200, quote.text
        return bool(quote.json()["unit_price_pence"] == 100_000)

    await eventually(own_price)


async def the_trust_bought_hr_advice_for_two_schools(shop: Shop) -> str:
    """In 2026/27, at 10% off its price list; the list for 2027/28 is £1,000, as before. The
    service's id."""
    await shop.demo_trust_discount(10)
    shop.set_day(date(2026, 10, 1))
    hr = await shop.service(
        title="HR advice line", service_type="subscription", category="HR", unit_price_pence=100_000
    )
    for urn in (FLEETVILLE_JUNIOR, SANDRINGHAM):
        await add_for(shop, urn, hr["id"], academic_year="2026/27")
    placed = await check_out_trust(shop)
    assert placed.status_code == 201, placed.text
    await shop.keep_prices_from(hr["id"], "2027-09-01")
    shop.set_day(date(2027, 6, 1))
    return str(hr["id"])


async def school_offer(shop: Shop, urn: int = SANDRINGHAM) -> dict[str, object]:
    offer = await shop.orders.get(
        f"/renewals/{urn}", params={"year": "2027/28"}, headers=auth(Role.SCHOOL, urn)
    )
    assert offer.status_code == 200, offer.text
    return {
        "lines": [(line["title"], line["unit_price_pence"]) for line in offer.json()["lines"]],
        "trust_bought": offer.json()["trust_bought"],
        "renewed_by": offer.json()["renewed_by"],
    }


async def trust_offer(shop: Shop, trust_code: str = DEMO_TRUST_CODE) -> list[int]:
    offer = await shop.orders.get(
        f"/trusts/{trust_code}/renewal",
        params={"year": "2027/28"},
        headers=auth(Role.TRUST_BUYER, trust=trust_code),
    )
    assert offer.status_code == 200, offer.text
    return [school["urn"] for school in offer.json()["schools"]]


async def test_a_school_that_left_its_trust_renews_what_the_trust_bought_for_it_itself(
    shop: Shop, tmp_path: Path
) -> None:
    hr = await the_trust_bought_hr_advice_for_two_schools(shop)
    assert (await school_offer(shop))["trust_bought"] == ["HR advice line"]

    await register_anew(shop, tmp_path, SANDRINGHAM)  # in no trust now
    await priced_as_its_own(shop, hr)

    assert await school_offer(shop) == {
        "lines": [("HR advice line", 100_000)],  # the school's price, not the trust's
        "trust_bought": [],
        "renewed_by": None,
    }
    assert await trust_offer(shop) == [FLEETVILLE_JUNIOR]
    renewed = await shop.orders.post(
        f"/renewals/{SANDRINGHAM}",
        params={"year": "2027/28"},
        json={"payment_method": "invoice", "purchase_order": "PO-SAND-1"},
        headers={**SANDRINGHAM_SCHOOL, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert renewed.status_code == 201, renewed.text
    order = renewed.json()
    assert (order["urn"], order["trust_code"], order["invoice"]["purchase_order"]) == (
        SANDRINGHAM,
        None,
        "PO-SAND-1",
    )
    assert [(line["title"], line["term_start"]) for line in order["lines"]] == [
        ("HR advice line", "2027-09-01")
    ]
    assert (await school_offer(shop))["renewed_by"] == order["id"]
    company = await shop.orders.get("/renewals", params={"year": "2027/28"}, headers=FINANCE)
    assert {s["urn"]: s["renewed_by"] for s in company.json()} == {
        SANDRINGHAM: order["id"],
        FLEETVILLE_JUNIOR: None,  # still the trust's to renew
    }
    trust_renewed = await trust_renewal(shop)
    assert trust_renewed.status_code == 201, trust_renewed.text
    assert [line["school_urn"] for line in trust_renewed.json()["lines"]] == [FLEETVILLE_JUNIOR]


async def test_a_school_that_joined_another_trust_renews_what_its_old_trust_bought_for_it(
    shop: Shop, tmp_path: Path
) -> None:
    hr = await the_trust_bought_hr_advice_for_two_schools(shop)

    await register_anew(shop, tmp_path, SANDRINGHAM, **HERTS_TRUST)  # no price list of its own
    await priced_as_its_own(shop, hr)

    assert await school_offer(shop) == {
        "lines": [("HR advice line", 100_000)],
        "trust_bought": [],
        "renewed_by": None,
    }
    assert await trust_offer(shop) == [FLEETVILLE_JUNIOR]
    assert await trust_offer(shop, HERTS_TRUST["trust_code"]) == []  # it bought nothing


async def test_a_school_is_not_offered_what_its_new_trust_has_bought_for_it_for_the_year(
    shop: Shop, tmp_path: Path
) -> None:
    """Its old trust bought HR advice for it last year, the school's to renew now; its new trust
    has bought HR advice for it for the year already: the school's Renew page (the API's, and
    the portal's) offers nothing to pay for twice, and says why; renewing is refused."""
    hr = await the_trust_bought_hr_advice_for_two_schools(shop)
    await register_anew(shop, tmp_path, SANDRINGHAM, **HERTS_TRUST)
    await priced_as_its_own(shop, hr)
    herts = auth(Role.TRUST_BUYER, trust=HERTS_TRUST["trust_code"])
    added = await shop.orders.post(
        f"/baskets/{SANDRINGHAM}/lines",
        json={"service_id": hr, "quantity": 1, "academic_year": "2027/28"},
        headers=herts,
    )
    assert added.status_code == 201, added.text
    bought = await shop.orders.post(
        f"/trusts/{HERTS_TRUST['trust_code']}/checkout",
        json={"purchase_order": "HLT-PO-1"},
        headers={**herts, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert bought.status_code == 201, bought.text

    assert await school_offer(shop) == {"lines": [], "trust_bought": [], "renewed_by": None}
    offer = await shop.orders.get(
        f"/renewals/{SANDRINGHAM}", params={"year": "2027/28"}, headers=SANDRINGHAM_SCHOOL
    )
    assert offer.json()["already_bought"] == ["HR advice line"]
    renewed = await shop.orders.post(
        f"/renewals/{SANDRINGHAM}",
        params={"year": "2027/28"},
        json={"payment_method": "invoice", "purchase_order": "PO-SAND-2"},
        headers={**SANDRINGHAM_SCHOOL, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert (renewed.status_code, renewed.json()["field"]) == (409, "year"), renewed.text
    async with portal_on(shop, "school-academy", date(2027, 6, 1)) as school:
        page = text_of((await school.get("/renewal", params={"year": "2027/28"})).text)
    assert (
        "A trust has already bought HR advice line for your school for 2027/28, so it is not "
        "renewed here." in page
    )
    assert "Renew all in one step" not in page


async def test_a_trust_is_not_offered_what_its_school_has_bought_itself_for_the_year(
    shop: Shop,
) -> None:
    """The other way round: what the trust bought for Sandringham last year, Sandringham has
    bought for itself in the shop for the year; the trust renews only Fleetville Junior's."""
    hr = await the_trust_bought_hr_advice_for_two_schools(shop)
    await shop.add(hr, urn=SANDRINGHAM, academic_year="2027/28")
    assert (await shop.checkout(urn=SANDRINGHAM)).status_code == 201

    offer = await shop.orders.get(
        f"/trusts/{DEMO_TRUST_CODE}/renewal",
        params={"year": "2027/28"},
        headers=auth(Role.TRUST_BUYER, trust=DEMO_TRUST_CODE),
    )
    assert offer.status_code == 200, offer.text
    schools = offer.json()["schools"]
    assert [(school["urn"], [line["title"] for line in school["lines"]]) for school in schools] == [
        (FLEETVILLE_JUNIOR, ["HR advice line"]),
        (SANDRINGHAM, []),
    ]
    assert [school["already_bought"] for school in schools] == [[], ["HR advice line"]]
    async with portal_on(shop, "trust-buyer", date(2027, 6, 1)) as buyer:
        page = text_of((await buyer.get("/trust/renewal", params={"year": "2027/28"})).text)
    assert (
        "Already bought for Sandringham School for 2027/28 by the school itself or another "
        "trust, so not renewed: HR advice line." in page
    )
    renewed = await trust_renewal(shop)
    assert renewed.status_code == 201, renewed.text
    assert [line["school_urn"] for line in renewed.json()["lines"]] == [FLEETVILLE_JUNIOR]


async def test_a_trust_s_order_still_names_the_trust_once_its_first_school_has_left(
    shop: Shop, tmp_path: Path
) -> None:
    order = await a_trust_order(shop)
    assert order["urn"] == FLEETVILLE_JUNIOR  # the school its events name

    await register_anew(shop, tmp_path, FLEETVILLE_JUNIOR, **HERTS_TRUST)
    remitted = await shop.orders.post(
        f"/invoices/{order['invoice']['id']}/remittances",
        json={
            "amount_pence": order["invoice"]["outstanding_pence"],
            "received_on": str(Clock().today()),
            "reference": "MAT BACS",
        },
        headers=FINANCE,
    )

    assert remitted.status_code == 201, remitted.text
    (settled,) = await shop.outbox("orders.invoice.settled.v1")
    assert (settled["trust_code"], settled["trust_name"]) == (DEMO_TRUST_CODE, DEMO_TRUST_NAME)
    invoice = await shop.orders.get(f"/invoices/{order['invoice']['id']}/pdf", headers=FINANCE)
    assert f"{DEMO_TRUST_NAME} (trust {DEMO_TRUST_CODE})" in pdf_text(invoice)
