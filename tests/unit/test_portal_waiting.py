"""The bookings page numbers a waiting line by its place in line now, as the catalogue says."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from services.portal.domain.waiting import in_line_now, waiting_schools
from shared.api.orders import Booking, BookingPublic, LinePublic, OrderStatus
from shared.money import VatRate


def booking(status: Booking, *, took: int | None = None, urn: int = 117083) -> BookingPublic:
    line = LinePublic(
        line_id=uuid4(),
        service_id=uuid4(),
        title="Middle leadership programme",
        service_type="course",
        category="CPD",
        quantity=1,
        unit_price_pence=59_500,
        vat_rate=VatRate.ZERO,
        net_pence=59_500,
        vat_pence=0,
        gross_pence=59_500,
        price_version=1,
        session_id=uuid4(),
        delivery_on=date(2027, 1, 14),
        term_start=None,
        term_end=None,
        booking=status,
        waiting_position=took,
        offer_expires_at=None,
        cfr_code=None,
        school_urn=None,
        renews_every=None,
        notice_days=0,
    )
    return BookingPublic(order_id=uuid4(), urn=urn, order_status=OrderStatus.PLACED, line=line)


def test_a_waiting_line_reads_its_place_now_and_none_when_the_catalogue_has_none() -> None:
    moved_up, left, reserved = (
        booking(Booking.WAITING, took=3),
        booking(Booking.WAITING, took=2, urn=117084),
        booking(Booking.RESERVED),
    )
    assert moved_up.line.line_id is not None
    places = {(moved_up.order_id, moved_up.line.line_id): 1}

    shown = in_line_now([moved_up, left, reserved], places)

    assert [each.line.waiting_position for each in shown] == [1, None, None]
    assert shown[2] == reserved
    assert waiting_schools([moved_up, left, reserved, moved_up]) == [117083, 117084]
