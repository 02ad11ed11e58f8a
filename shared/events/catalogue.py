from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from shared.events.base import Event
from shared.money import VatRate
from shared.tariffs import Prices


class ServicePublishedV1(Event):
    """A service can now be ordered, at this price version."""

    subject = "catalogue.service.published.v1"

    service_id: UUID
    code: str
    title: str
    service_type: str
    category: str
    unit_price_pence: int  # the base price; a school's own price comes from a quote
    vat_rate: VatRate
    price_version: int
    description: str = ""
    provider_id: UUID | None = None
    provider_name: str | None = None
    phases: tuple[str, ...] = ()
    academic_years: tuple[str, ...] = ()
    # the price version in force when announced: its tariffs, the day it took effect and its
    # year; a placed order keeps what it was quoted whatever comes later
    prices: Prices | None = None
    price_effective_from: date | None = None
    price_year: str | None = None


class ServiceUpdatedV1(ServicePublishedV1):
    """A published service changed (title, price version, provider, …): the full new state."""

    subject = "catalogue.service.updated.v1"


class ServiceRetiredV1(Event):
    """A service can no longer be ordered."""

    subject = "catalogue.service.retired.v1"

    service_id: UUID
    code: str
    retired_on: date


class CoursePlaces(BaseModel):
    """The places an order line holds, is offered or waits for on a course session."""

    model_config = ConfigDict(frozen=True)

    order_id: UUID
    line_id: UUID
    service_id: UUID
    session_id: UUID
    urn: int
    places: int


class PlacesReservedV1(Event, CoursePlaces):
    """The catalogue held course places for an order line."""

    subject = "catalogue.places.reserved.v1"

    places_left: int


class PlacesUnavailableV1(Event, CoursePlaces):
    """No places were left for an order line: it is on the waiting list at this position."""

    subject = "catalogue.places.unavailable.v1"

    waiting_list_position: int


class PlaceOfferedV1(Event, CoursePlaces):
    """Places freed up and are offered to the next school on the waiting list."""

    subject = "catalogue.place.offered.v1"

    offer_expires_at: datetime


class PlaceOfferLapsedV1(Event, CoursePlaces):
    """An offered place was not accepted in time: it passes to the next school in line, and
    orders gives the school its money back."""

    subject = "catalogue.place_offer.lapsed.v1"

    offer_expired_at: datetime


class SessionCancelledV1(Event):
    """A course session was still under its minimum at its decision date and will not run.

    Orders refunds (card) or credits (invoice) every booking in full; notifications tell the schools.
    """

    subject = "catalogue.session.cancelled.v1"

    session_id: UUID
    service_id: UUID
    title: str
    starts_on: date
    minimum_places: int
    places_booked: int
    booked_urns: tuple[int, ...] = ()
