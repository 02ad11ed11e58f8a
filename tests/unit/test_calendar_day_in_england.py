"""The platform's day is England's, whatever zone the machine keeps (containers keep UTC)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest

from services.notifications.domain.offers import OpenOffer, about_to_lapse, offer_text
from shared.clock import ENGLAND, Clock, business_day, in_england

# 2026: British Summer Time from 29 March to 25 October
SUMMER_MIDNIGHT_PAST = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)  # 00:30 on 1 April in England
WINTER_LATE_EVENING = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # 23:30 on 31 December


def at(moment: datetime) -> Clock:
    return Clock(system=lambda: moment)


def test_an_order_at_half_past_midnight_on_1_april_is_dated_1_april_in_the_new_year() -> None:
    assert at(SUMMER_MIDNIGHT_PAST).today() == date(2026, 4, 1)
    assert at(WINTER_LATE_EVENING).today() == date(2026, 12, 31)  # GMT: England keeps UTC


def test_a_moment_s_day_is_its_day_in_england() -> None:
    assert business_day(SUMMER_MIDNIGHT_PAST) == date(2026, 4, 1)
    assert business_day(SUMMER_MIDNIGHT_PAST.replace(tzinfo=None)) == date(2026, 4, 1)  # as stored
    assert business_day(WINTER_LATE_EVENING) == date(2026, 12, 31)
    assert Clock(SUMMER_MIDNIGHT_PAST).today() == date(2026, 4, 1)  # a moment set


def test_on_a_day_set_the_moment_falls_on_that_day_in_england_at_its_time_of_day() -> None:
    clock = Clock(date(2026, 6, 1), system=lambda: SUMMER_MIDNIGHT_PAST)
    moment = clock.now()
    assert moment.tzinfo is UTC
    assert business_day(moment) == clock.today() == date(2026, 6, 1)
    assert moment.astimezone(ENGLAND).time().isoformat() == "00:30:00"


@pytest.fixture
def machine_on_another_day() -> Iterator[None]:
    """The machine's zone set to one whose date now differs from England's: 14 hours ahead
    differs from England's in its evening, 12 hours behind in its morning."""
    before = os.environ.get("TZ")
    england = datetime.now(ENGLAND).date()
    os.environ["TZ"] = next(
        zone
        for zone in ("Pacific/Kiritimati", "Etc/GMT+12")
        if datetime.now(ZoneInfo(zone)).date() != england
    )
    time.tzset()
    try:
        if time.localtime().tm_gmtoff == 0:  # the C library found no zone files: TZ did nothing
            pytest.skip("this machine has no zone files for its C library")
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


@pytest.mark.usefixtures("machine_on_another_day")
def test_the_system_clock_s_day_is_england_s_not_the_machine_s() -> None:
    before, today, after = datetime.now(ENGLAND).date(), Clock().today(), datetime.now(ENGLAND)
    assert date.today() != today or after.date() != before  # the machine is on another day
    assert today in (before, after.date())


def test_people_are_shown_moments_as_england_s_clocks_show_them() -> None:
    offer = OpenOffer(uuid4(), uuid4(), urn=117083, places=1, expires_at=SUMMER_MIDNIGHT_PAST)
    subject, body = offer_text(offer, reminder=True)
    assert subject == "Your offered course place lapses soon"
    assert "lapses at 00:30 on 1 April 2026." in body
    assert about_to_lapse(offer, date(2026, 3, 31)) and about_to_lapse(offer, date(2026, 4, 1))
    assert not about_to_lapse(offer, date(2026, 3, 30))
    assert f"{in_england(WINTER_LATE_EVENING):%H:%M on %-d %B}" == "23:30 on 31 December"
