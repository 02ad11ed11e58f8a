"""A priced line: one service at the price the catalogue quoted for one school."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID, uuid4

# These states are words of the orders' HTTP contract too.
from shared.api.orders import Booking as Booking
from shared.money import Amounts, VatRate, line_amounts


class ServiceType(StrEnum):
    SUBSCRIPTION = "subscription"
    COURSE = "course"
    CONSULTANCY = "consultancy"
    BUNDLE = "bundle"
    ROLLING = "rolling"  # renews itself each term or year until cancelled


TERMED = (ServiceType.SUBSCRIPTION, ServiceType.ROLLING, ServiceType.BUNDLE)  # a line covers
# a term (a period): a bundle does when it is of subscriptions (its quote names the term)
YEARLY = (ServiceType.SUBSCRIPTION, ServiceType.BUNDLE)  # renewed each year by the buy-back


GIVEN_BACK = (  # refunded in full
    Booking.CANCELLED,
    Booking.DECLINED,
    Booking.LAPSED,
    Booking.UNPLACED,
    Booking.REFUSED,
    Booking.TOO_LATE,
    Booking.RETIRED,
)
NEVER_PLACED = (Booking.REQUESTED, Booking.WAITING)  # no place was ever held for the line


@dataclass(frozen=True)
class Quote:
    """What the catalogue answered when asked to price a quantity of a service for a school."""

    service_id: UUID
    title: str
    service_type: str
    category: str
    price_version: int
    quantity: int
    unit_price_pence: int
    vat_rate: VatRate
    provider_id: UUID | None = None
    session_id: UUID | None = None
    delivery_on: date | None = None  # a course: the day its session starts
    renews_every: str | None = None  # a rolling service: "term" or "year"
    notice_days: int = 0
    cfr_code: str | None = None  # what a maintained school books it against
    term: tuple[date, date] | None = None  # a subscription: the period the catalogue priced


@dataclass(frozen=True)
class OrderLine:
    service_id: UUID
    title: str
    service_type: str
    category: str
    price_version: int
    quantity: int
    unit_price_pence: int
    vat_rate: VatRate
    line_id: UUID | None = None
    provider_id: UUID | None = None
    session_id: UUID | None = None
    delivery_on: date | None = None
    term_start: date | None = None  # a subscription runs from term_start to term_end
    term_end: date | None = None
    renews_every: str | None = None
    notice_days: int = 0
    booking: Booking | None = None
    waiting_position: int | None = None
    offer_expires_at: datetime | None = None
    cfr_code: str | None = None
    school_urn: int | None = None  # in a trust's order: the school of the trust it is for

    @property
    def amounts(self) -> Amounts:
        return line_amounts(
            unit_price_pence=self.unit_price_pence, quantity=self.quantity, rate=self.vat_rate
        )

    @classmethod
    def quoted(cls, quote: Quote, *, term: tuple[date, date] | None = None) -> OrderLine:
        """The line a quote gives; a subscription covers the term it was quoted for, a rolling
        line the period given."""
        term = term or quote.term
        start, end = term if quote.service_type in TERMED and term else (None, None)
        return cls(
            service_id=quote.service_id,
            title=quote.title,
            service_type=quote.service_type,
            category=quote.category,
            price_version=quote.price_version,
            quantity=quote.quantity,
            unit_price_pence=quote.unit_price_pence,
            vat_rate=quote.vat_rate,
            line_id=uuid4(),
            provider_id=quote.provider_id,
            session_id=quote.session_id,
            delivery_on=quote.delivery_on,
            term_start=start,
            term_end=end,
            renews_every=quote.renews_every,
            notice_days=quote.notice_days,
            booking=Booking.REQUESTED if quote.session_id else None,
            cfr_code=quote.cfr_code,
        )

    def booked(
        self,
        booking: Booking,
        *,
        position: int | None = None,
        expires_at: datetime | None = None,
    ) -> OrderLine:
        return replace(
            self, booking=booking, waiting_position=position, offer_expires_at=expires_at
        )
