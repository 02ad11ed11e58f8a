"""Course places and the offers from a waiting list, as a school sees its own and a trust's
buyer sees the trust's: one page and one answer, told in each reader's words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from fastapi import Request
from fastapi.responses import Response

from services.portal.domain.forms import FormErrors
from services.portal.domain.waiting import in_line_now, waiting_schools
from services.portal.entrypoints.forms import Wording, submit
from services.portal.entrypoints.rendering import form_page, see_other, tell_next_page
from services.portal.entrypoints.session import SignedIn


@dataclass(frozen=True)
class PlacesPage:
    url: str
    template: str
    accepted: str  # what the next page says once places are accepted
    declined: str  # and once they are declined


async def places_page(
    request: Request, you: SignedIn, page: PlacesPage, errors: FormErrors
) -> Response:
    found = sorted(await you.apis.orders.bookings(), key=lambda b: b.line.delivery_on or date.max)
    places: dict[tuple[UUID, UUID], int] = {}
    for urn in waiting_schools(found):  # orders keeps the number each took when it joined
        places |= await you.apis.catalogue.waiting_places(urn)
    shown = in_line_now(found, places)
    return form_page(request, page.template, form={}, errors=errors, bookings=shown)


async def answer_offer(
    request: Request, you: SignedIn, page: PlacesPage, order_id: UUID, line_id: UUID, answer: str
) -> Response:
    """Accept the places offered, or decline them (given back in full)."""
    errors, button = FormErrors(), f"accept-{line_id}"
    answered = await submit(
        errors,
        lambda: you.apis.orders.answer_offer(order_id, line_id, answer),
        Wording({button: "Accept"}, {"line_id": button}),
    )
    if errors or answered is None:
        return await places_page(request, you, page, errors)
    if answer == "accept":
        tell_next_page(request, "Places accepted", page.accepted)
    else:
        news = answered.refund_news  # asked, or refused: the money is not (yet) back
        said = news.words if news is not None and news.state != "made" else page.declined
        tell_next_page(request, "Places declined", said)
    return see_other(page.url)
