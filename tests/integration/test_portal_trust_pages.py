"""The trust buyer in the portal: picks the school of the trust for each service, sees the
trust's basket at the trust's prices, checks out once for the trust and downloads the one
invoice to the trust; the trust's own schools do not see the trust's order as theirs; at the
buy-back the trust renews what it bought for its schools, at the total it reads."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from uuid import uuid4

import pytest
from pypdf import PdfReader

from services.portal.domain.ordering import years_to_renew
from shared.auth import Role
from shared.clock import Clock
from shared.money import format_pounds
from tests.support.platform import ABBOTS_LANGLEY, ASHWELL, Platform, auth, eventually
from tests.support.portal_pages import (
    error_summary_links,
    signed_in_portal,
    text_of,
)
from tests.support.portal_preparations import booked, ordered_by_the_trust, ordered_in_turn

pytestmark = pytest.mark.asyncio(loop_scope="module")
SANDRINGHAM, FLEETVILLE_JUNIOR = 136609, 138205


async def service_id(platform: Platform, code: str) -> str:
    async def found() -> str | None:
        listings = (await platform.orders.get("/listings", headers=auth(Role.ADMIN))).json()
        return next((row["service_id"] for row in listings if row["code"] == code), None)

    return str(await eventually(found))


async def a_session_of_one_place(platform: Platform, *, days_ahead: int) -> tuple[str, str]:
    """A new session of the seeded mentor course with one place: the course's and its ids."""
    course = await service_id(platform, "MENTOR")
    starts_on = (Clock().today() + timedelta(days=days_ahead)).isoformat()
    created = await platform.catalogue.post(
        f"/services/{course}/sessions",
        json={"starts_on": starts_on, "venue": "Hitchin", "capacity": 1},
        headers=auth(Role.CATALOGUE_ADMIN),
    )
    assert created.status_code == 201, created.text
    return course, str(created.json()["id"])


async def a_place_ordered_by_the_trust(
    platform: Platform, course: str, session_id: str, urn: int
) -> str:
    """The trust's buyer orders one place on the session for its school `urn`: the order's id."""
    line = {"service_id": course, "quantity": 1, "session_id": session_id}
    key = f"trust-place-{urn}-{session_id}"
    return await ordered_by_the_trust(platform, {urn: line}, purchase_order="MAT-PO-WAIT", key=key)


async def test_a_trust_buyer_buys_for_two_schools_and_gets_one_invoice_to_the_trust(
    seeded: Platform,
) -> None:
    clerking = await service_id(seeded, "GOV-CLERK")
    finance_sla = await service_id(seeded, "FIN-SLA")
    async with signed_in_portal(seeded, "trust-buyer") as buyer:
        shop = text_of((await buyer.get("/shop")).text)
        assert "Services for the trust's schools" in shop
        assert "No price for your school yet" not in shop  # each is priced per school
        assert "Each school's own price, less the trust's discount" in shop
        page = text_of((await buyer.get(f"/shop/{clerking}")).text)
        assert "Which school of the trust is it for?" in page
        assert "Sandringham School" in page and "Fleetville Junior School" in page
        unpicked = await buyer.post(f"/shop/{clerking}/basket", data={"quantity": "1"})
        assert list(error_summary_links(unpicked.text)) == ["school_urn"]
        for forged in ("²", "1" * 5000, "99999999999"):  # digits int() refuses, or no URN
            refused = await buyer.post(
                f"/shop/{clerking}/basket", data={"quantity": "1", "school_urn": forged}
            )
            assert refused.status_code == 422, refused.text
            assert list(error_summary_links(refused.text)) == ["school_urn"]
        outside = await buyer.post(
            f"/shop/{clerking}/basket", data={"quantity": "1", "school_urn": "117083"}
        )
        assert outside.status_code == 403  # only a forged form names a school outside
        for urn, service in ((SANDRINGHAM, clerking), (FLEETVILLE_JUNIOR, finance_sla)):
            added = await buyer.post(
                f"/shop/{service}/basket", data={"quantity": "1", "school_urn": str(urn)}
            )
            assert added.headers["location"] == "/trust/basket", added.text
        basket = text_of((await buyer.get("/trust/basket")).text)
        assert "Governor clerking service" in basket and "School finance support SLA" in basket
        quote = await seeded.catalogue.post(
            "/quotes",
            json={"service_id": clerking, "urn": SANDRINGHAM, "quantity": 1},
            headers=auth(Role.TRUST_BUYER, trust="DEMO-1"),
        )
        assert quote.json()["rule"].endswith("less 5% on Demo Academy Trust (made up)'s price list")
        assert f"1 × {format_pounds(quote.json()['unit_price_pence'])}" in basket
        assert re.search(r"Trust total £[\d,]+\.\d\d \+ VAT", basket)

        placed = await buyer.post("/trust/checkout", data={"purchase_order": "MAT-PO-1"})
        assert placed.status_code == 303, placed.text
        order_page = text_of((await buyer.get(placed.headers["location"])).text)
        assert "Academy trust DEMO-1, for its schools" in order_page
        assert f"Schools (URN) {SANDRINGHAM}, {FLEETVILLE_JUNIOR}" in order_page
        assert "School URN" not in order_page  # not the first school's order
        assert f"For the school with URN {SANDRINGHAM}" in order_page
        assert "Cancel this order" not in order_page
        orders = text_of((await buyer.get("/orders")).text)
        assert "Governor clerking service" in orders
        link = re.search(
            r'href="(/invoices/[^"]+\.pdf)"', (await buyer.get(placed.headers["location"])).text
        )
        assert link is not None
        pdf = await buyer.get(link.group(1))
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
        assert "Demo Academy Trust (made up) (trust DEMO-1)" in text
        assert "For Fleetville Junior School (URN 138205)" in text

    async with signed_in_portal(seeded, "finance") as finance:
        orders = (await finance.get("/orders")).text
        row = orders[orders.index(f'href="{placed.headers["location"]}"') :]
        assert "Trust DEMO-1 (2 schools)" in text_of(row[: row.index("</tr>")])
    async with signed_in_portal(seeded, "school-academy") as sandringham:
        assert "Governor clerking service" not in text_of((await sandringham.get("/orders")).text)
        assert (await sandringham.get("/trust/basket")).status_code == 403


async def test_the_shop_tells_a_trust_buyer_each_school_buys_a_rolling_service_itself(
    seeded: Platform,
) -> None:
    dpo = await service_id(seeded, "DPO-ROLL")
    async with signed_in_portal(seeded, "trust-buyer") as buyer:
        page = text_of((await buyer.get(f"/shop/{dpo}")).text)
        assert (
            "This service renews itself until cancelled, and each renewal is invoiced to the "
            "school, so each school buys it itself: it cannot go on the trust's order."
        ) in page
        assert "Add to basket" not in page and "Which school of the trust" not in page
        forced = await buyer.post(
            f"/shop/{dpo}/basket", data={"quantity": "1", "school_urn": str(SANDRINGHAM)}
        )
        assert forced.status_code == 422, forced.text
        assert "cannot go on the trust's order" in text_of(forced.text)


async def test_an_offer_of_places_on_the_trust_s_order_is_answered_by_the_school_or_the_buyer(
    seeded: Platform,
) -> None:
    """The offer is emailed to the school, whose bookings page shows it with its buttons; the
    trust buyer has a bookings page of the trust's own, and accepts there."""
    course, session_id = await a_session_of_one_place(seeded, days_ahead=40)
    held = await ordered_in_turn(seeded, course, session_id, {ABBOTS_LANGLEY: 1})
    waiting = await a_place_ordered_by_the_trust(seeded, course, session_id, SANDRINGHAM)
    await eventually(lambda: booked(seeded, waiting, "waiting"))
    cancelled = await seeded.orders.post(
        f"/orders/{held[ABBOTS_LANGLEY]}/cancel",
        json={"reason": "staff absence"},
        headers=auth(Role.SCHOOL, ABBOTS_LANGLEY),
    )
    assert cancelled.status_code == 200, cancelled.text
    await eventually(lambda: booked(seeded, waiting, "offered"))

    async with signed_in_portal(seeded, "school-academy") as sandringham:
        page = (await sandringham.get("/bookings")).text
        assert "ECT mentor training (bought by your trust)" in text_of(page)
        assert "Place offered until" in text_of(page)
        assert re.findall(r'action="(/orders/[^"]+/accept)"', page)
    async with signed_in_portal(seeded, "trust-buyer") as buyer:
        page = (await buyer.get("/trust/bookings")).text
        assert f"{SANDRINGHAM} " in text_of(page) and "Place offered until" in text_of(page)
        accept = re.findall(r'action="(/trust/orders/[^"]+/accept)"', page)[0]
        accepted = await buyer.post(accept)
        assert accepted.status_code == 303, accepted.text
        assert accepted.headers["location"] == "/trust/bookings"
        shown = text_of((await buyer.get("/trust/bookings")).text)
        assert "Places accepted" in shown and "Places booked" in shown
    assert await booked(seeded, waiting, "reserved")


async def test_the_trust_buyer_reads_a_school_s_place_in_line_as_those_ahead_leave(
    seeded: Platform,
) -> None:
    """The trust's line joins the waiting list behind another school's: its buyer's bookings
    page numbers it by its place in line now, read from the catalogue, not the one it took."""
    course, session_id = await a_session_of_one_place(seeded, days_ahead=47)
    ahead = await ordered_in_turn(seeded, course, session_id, {ABBOTS_LANGLEY: 1, ASHWELL: 1})
    await eventually(lambda: booked(seeded, ahead[ASHWELL], "waiting"))
    waiting = await a_place_ordered_by_the_trust(seeded, course, session_id, FLEETVILLE_JUNIOR)
    await eventually(lambda: booked(seeded, waiting, "waiting"))

    async with signed_in_portal(seeded, "trust-buyer") as buyer:

        async def shown_in_line(number: int) -> bool:
            page = text_of((await buyer.get("/trust/bookings")).text)
            return f"{FLEETVILLE_JUNIOR} " in page and f"Waiting list, number {number}" in page

        assert await shown_in_line(2)
        cancelled = await seeded.orders.post(
            f"/orders/{ahead[ASHWELL]}/cancel",
            json={"reason": "staff absence"},
            headers=auth(Role.SCHOOL, ASHWELL),
        )
        assert cancelled.status_code == 200, cancelled.text
        await eventually(lambda: shown_in_line(1))
    assert await booked(seeded, waiting, "waiting")  # the place is still held ahead of it


async def test_the_trust_buyer_renews_what_the_trust_bought_for_its_schools_at_the_total_shown(
    seeded: Platform,
) -> None:
    # a subscription the trust buys for Sandringham only here (a year's is bought once)
    governor_sla = await service_id(seeded, "GOV-SLA")
    next_year = years_to_renew(Clock().today())[1]
    async with signed_in_portal(seeded, "trust-buyer") as buyer:
        added = await buyer.post(
            f"/shop/{governor_sla}/basket", data={"quantity": "1", "school_urn": str(SANDRINGHAM)}
        )
        assert added.status_code == 303, added.text
        bought = await buyer.post("/trust/checkout", data={"purchase_order": "MAT-PO-2"})
        assert bought.status_code == 303, bought.text  # for this academic year

        page = (await buyer.get("/trust/renewal", params={"year": next_year})).text
        words = text_of(page)
        assert f"Renew the trust's subscriptions for {next_year}" in words
        assert "Sandringham School, URN 136609" in words
        assert "Governor support and training SLA" in words
        offer = await seeded.orders.get(
            "/trusts/DEMO-1/renewal",
            params={"year": next_year},
            headers=auth(Role.TRUST_BUYER, trust="DEMO-1"),
        )
        amounts = offer.json()
        assert amounts["gross_pence"] > 0
        assert (
            f"The trust's invoice {format_pounds(amounts['net_pence'])} + VAT "
            f"{format_pounds(amounts['vat_pence'])} = {format_pounds(amounts['gross_pence'])}"
        ) in words
        key = re.findall(r'name="key" value="([^"]+)"', page)[0]
        unnumbered = await buyer.post("/trust/renewal", data={"year": next_year, "key": key})
        assert list(error_summary_links(unnumbered.text)) == ["purchase_order"]
        answer = await buyer.post(
            "/trust/renewal",
            data={"year": next_year, "purchase_order": "MAT-PO-R", "key": key},
        )
        # the orders service's window opens 183 days before the year starts
        if Clock().today() < date(int(next_year[:4]), 9, 1) - timedelta(days=183):
            assert answer.status_code == 422
            assert error_summary_links(answer.text)["year"].startswith(f"Renewals for {next_year}")
        else:
            assert answer.status_code == 303, answer.text
            renewed = await buyer.get(answer.headers["location"])
            assert format_pounds(amounts["gross_pence"]) in text_of(renewed.text)

    async with signed_in_portal(seeded, "school-academy") as sandringham:
        own = text_of((await sandringham.get("/renewal", params={"year": next_year})).text)
        assert re.search(
            r"Your trust bought [^.]*Governor support and training SLA[^.]* for your school "
            "last year",
            own,
        ), own


NOT_A_FORMS_KEY = "The form was changed after its page was shown: check it and send it again"


@pytest.mark.parametrize(
    "key", ["é" * 32, "short", "k" * 101], ids=["not-ascii", "too-short", "too-long"]
)
async def test_a_checkout_or_renewal_sent_with_a_key_no_page_gives_is_refused_on_the_form(
    seeded: Platform, key: str
) -> None:
    next_year = years_to_renew(Clock().today())[1]
    async with signed_in_portal(seeded, "trust-buyer") as buyer:
        for form, data in (
            ("/trust/checkout", {"purchase_order": "MAT-PO-KEY", "key": key}),
            ("/trust/renewal", {"year": next_year, "purchase_order": "MAT-PO-KEY", "key": key}),
        ):
            answer = await buyer.post(form, data=data)
            assert answer.status_code == 422, form
            assert error_summary_links(answer.text) == {"key": NOT_A_FORMS_KEY}


async def test_a_basket_line_address_whose_urn_no_school_can_have_is_the_404_page(
    seeded: Platform,
) -> None:
    async with signed_in_portal(seeded, "trust-buyer") as buyer:
        answer = await buyer.post(f"/trust/basket/{'9' * 5000}/lines/{uuid4()}")
    assert answer.status_code == 404
    assert "Page not found" in answer.text
