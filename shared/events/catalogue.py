from __future__ import annotations

from enum import StrEnum
from typing import Annotated
from uuid import UUID

from annotated_types import MaxLen
from pydantic import BaseModel, ConfigDict, Field

from shared.bounds import (
    AcademicYear,
    Count,
    Day,
    Items,
    Label,
    Line,
    Moment,
    Paragraph,
    Pence,
    Quantity,
    Urn,
)
from shared.events.base import Event
from shared.events.orders import TrustCode
from shared.limits import MAX_QUANTITY
from shared.money import VatRate
from shared.tariffs import Prices

Code = Annotated[Label, Field(max_length=40)]


class ServicePublishedV1(Event):
    """A service can now be ordered, at this price version."""

    subject = "catalogue.service.published.v1"

    service_id: UUID
    code: Code
    title: Line
    service_type: Annotated[Label, Field(max_length=20)]
    category: Label
    unit_price_pence: Pence  # the base price; a school's own price comes from a quote
    vat_rate: VatRate
    price_version: Count
    description: Paragraph = ""
    provider_id: UUID | None = None
    provider_name: Line | None = None
    phases: Annotated[tuple[Label, ...], Items] = ()
    academic_years: Annotated[tuple[AcademicYear, ...], Items] = ()
    # the price version in force when announced: its tariffs, the day it took effect and its
    # year; a placed order keeps what it was quoted whatever comes later
    prices: Prices | None = None
    price_effective_from: Day | None = None
    price_year: Annotated[Label, Field(max_length=7)] | None = None  # 2026-27 or 2026/27
    # the service's revision, one more with every change announced of it (0: announced before
    # revisions were counted): a copy keeps the state of the greatest, whatever the order in
    # which they arrive (two changes of a title have the same price version)
    revision: Count = 0


class ServiceUpdatedV1(ServicePublishedV1):
    """A published service changed (title, price version, provider, …): the full new state."""

    subject = "catalogue.service.updated.v1"


class ServiceRetiredV1(Event):
    """A service can no longer be ordered."""

    subject = "catalogue.service.retired.v1"

    service_id: UUID
    code: Code
    retired_on: Day
    revision: Count = 0  # as on `ServicePublishedV1`


class CoursePlaces(BaseModel):
    """The places an order line holds, is offered or waits for on a course session."""

    model_config = ConfigDict(frozen=True)

    order_id: UUID
    line_id: UUID
    service_id: UUID
    session_id: UUID
    urn: Urn
    places: Quantity


class PlacesReservedV1(Event, CoursePlaces):
    """The catalogue held course places for an order line."""

    subject = "catalogue.places.reserved.v1"

    # The places a new order may take now, as the shop shows them: none while any school waits
    # (a free place goes down the waiting list first), whatever the session has free.
    places_left: Count


class PlacesUnavailableV1(Event, CoursePlaces):
    """No places were left for an order line: it is on the waiting list at this position."""

    subject = "catalogue.places.unavailable.v1"

    waiting_list_position: Count
    # the course and the day its session starts, for the school to know what waits (None: news
    # from before it named them)
    title: Line | None = None
    starts_on: Day | None = None
    # the academy trust whose order it is (None: a school's own order, or news from before it
    # said): notifications may hear that the line waits before it hears of the order
    trust_code: TrustCode | None = None


class PlacesRefusal(StrEnum):
    """Why the catalogue booked an order line no places."""

    # the course was no longer sold for the session's academic year when the order was placed
    # (its years narrowed before orders heard of it)
    YEAR_NOT_SOLD = "year_not_sold"
    # the session's day had come when the catalogue heard of the order (it heard late)
    SESSION_BEGUN = "session_begun"
    SESSION_CALLED_OFF = "session_called_off"  # before the catalogue heard of the order
    # the course was retired when the order was placed (before orders heard of it)
    SERVICE_RETIRED = "service_retired"


class PlacesRefusedV1(Event, CoursePlaces):
    """No places were booked for an order line, for the `reason` given. Orders refunds (card)
    or credits (invoice) the line in full."""

    subject = "catalogue.places.refused.v1"

    academic_year: AcademicYear  # the session's
    reason: PlacesRefusal = PlacesRefusal.YEAR_NOT_SOLD  # news from before it said why
    # as on `PlacesUnavailableV1`: the course and its session's day, for the school to know
    # what was refused, and the trust whose order it is, for its buyer to be told too
    title: Line | None = None
    starts_on: Day | None = None
    trust_code: TrustCode | None = None


class PlaceOfferedV1(Event, CoursePlaces):
    """Places freed up and are offered to the next school on the waiting list."""

    subject = "catalogue.place.offered.v1"

    offer_expires_at: Moment
    # the course and the day its session starts, for the school to know what it is offered
    # (None: an offer from before offers named them)
    title: Line | None = None
    starts_on: Day | None = None


class PlaceOfferLapsedV1(Event, CoursePlaces):
    """An offered place was not accepted in time: it passes to the next school in line, and
    orders gives the school its money back."""

    subject = "catalogue.place_offer.lapsed.v1"

    offer_expired_at: Moment


class SessionCancelledV1(Event):
    """A course session was still under its minimum at its decision date and will not run.

    Orders refunds (card) or credits (invoice) every booking in full; notifications tell the schools.
    """

    subject = "catalogue.session.cancelled.v1"

    session_id: UUID
    service_id: UUID
    title: Line
    starts_on: Day
    minimum_places: Count
    places_booked: Count
    booked_urns: Annotated[tuple[Urn, ...], MaxLen(MAX_QUANTITY)] = ()  # at most its capacity


WAITING_LINES_PER_EVENT = 1000
"""A longer waiting list is closed in several events, each well inside NATS's 1 MB."""


class WaitingListClosedV1(Event):
    """A course session can no longer be booked (its day has come, or it was called off) and
    these order lines were still waiting for places: no place will come to them.

    Orders refunds (card) or credits (invoice) each line in full; notifications tell the schools.
    """

    subject = "catalogue.session.waiting_list_closed.v1"

    session_id: UUID
    service_id: UUID
    title: Line
    starts_on: Day
    lines: Annotated[tuple[CoursePlaces, ...], MaxLen(WAITING_LINES_PER_EVENT)]
