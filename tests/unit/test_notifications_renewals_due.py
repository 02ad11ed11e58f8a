"""Who is told to renew, and of what: a school (or trust) until every service it subscribed to
last year is bought for the year, of those not yet bought. Any one bought (a new service in the
shop, say) had counted as renewed, so a school with the rest still to renew heard nothing."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from services.notifications.domain.renewals import (
    SOME_SERVICE,
    Reminder,
    Subscribers,
    reminder_key,
    renewal_text,
    window_on,
)

HR, FINANCE, DATA = uuid4(), uuid4(), uuid4()
ABBOTS_LANGLEY, ASHWELL = 117083, 117084


def test_one_service_bought_for_the_year_leaves_the_rest_still_to_renew() -> None:
    last_year = Subscribers(
        schools={117083: {HR, FINANCE}, 117084: {HR}}, trusts={"T1": {(ASHWELL, FINANCE)}}
    )
    this_year = Subscribers(
        schools={117083: {HR, DATA}, 117084: {HR}}, trusts={"T1": {(ASHWELL, DATA)}}
    )

    due = last_year.not_renewed_in(this_year)

    assert due == Subscribers(schools={117083: {FINANCE}}, trusts={"T1": {(ASHWELL, FINANCE)}})


def test_a_term_kept_before_services_were_is_renewed_by_any_term_for_the_year() -> None:
    last_year = Subscribers(schools={117083: {SOME_SERVICE}, 117084: {SOME_SERVICE}}, trusts={})
    this_year = Subscribers(schools={117083: {DATA}}, trusts={})

    assert last_year.not_renewed_in(this_year).schools == {117084: {SOME_SERVICE}}


def test_a_trust_renews_each_school_s_service_for_that_school_not_for_another() -> None:
    """As orders offers a trust's renewal school by school: HR bought for two schools last year
    and for one this year leaves the other's HR still to renew."""
    last_year = Subscribers(schools={}, trusts={"T1": {(ABBOTS_LANGLEY, HR), (ASHWELL, HR)}})
    this_year = Subscribers(schools={}, trusts={"T1": {(ABBOTS_LANGLEY, HR)}})

    assert last_year.not_renewed_in(this_year).trusts == {"T1": {(ASHWELL, HR)}}
    renewed = Subscribers(schools={}, trusts={"T1": {(ABBOTS_LANGLEY, HR), (ASHWELL, HR)}})
    assert last_year.not_renewed_in(renewed).trusts == {}


def test_a_trust_s_term_kept_before_services_were_is_renewed_by_any_term_for_its_school() -> None:
    last_year = Subscribers(
        schools={}, trusts={"T1": {(ABBOTS_LANGLEY, SOME_SERVICE), (ASHWELL, SOME_SERVICE)}}
    )
    this_year = Subscribers(schools={}, trusts={"T1": {(ABBOTS_LANGLEY, DATA)}})

    assert last_year.not_renewed_in(this_year).trusts == {"T1": {(ASHWELL, SOME_SERVICE)}}
    this_year = Subscribers(schools={}, trusts={"T1": {(ABBOTS_LANGLEY, DATA), (ASHWELL, HR)}})
    assert last_year.not_renewed_in(this_year).trusts == {}


def test_a_trust_renews_only_for_the_schools_the_register_still_has_in_it() -> None:
    """Ashwell left T1 (for T2): it renews what T1 bought for it, beside what it bought itself.
    Abbots Langley the register never announced: still T1's."""
    bought = Subscribers(
        schools={ASHWELL: {FINANCE}}, trusts={"T1": {(ABBOTS_LANGLEY, HR), (ASHWELL, HR)}}
    )

    assert bought.by_who_renews({ASHWELL: "T2"}) == Subscribers(
        schools={ASHWELL: {FINANCE, HR}}, trusts={"T1": {(ABBOTS_LANGLEY, HR)}}
    )
    left_both = {ASHWELL: None, ABBOTS_LANGLEY: None}
    assert bought.by_who_renews(left_both) == Subscribers(
        schools={ASHWELL: {FINANCE, HR}, ABBOTS_LANGLEY: {HR}}, trusts={}
    )
    assert bought.by_who_renews({ASHWELL: "T1"}) == bought


def test_a_service_bought_for_a_school_for_the_year_by_anyone_is_not_due_again() -> None:
    """As orders counts it: Ashwell left T1 for T2, and renews what T1 bought for it; the
    school's own order for the year renews it, and so does any trust's for it (its new trust's,
    or its old trust's placed before it left): none is offered to be paid for twice. The other
    way round, what Ashwell bought itself renews what T1 bought for Abbots Langley for no one."""
    register = {ASHWELL: "T2"}
    last_year = Subscribers(
        schools={}, trusts={"T1": {(ASHWELL, HR), (ASHWELL, FINANCE), (ABBOTS_LANGLEY, HR)}}
    )

    def due(this_year: Subscribers) -> Subscribers:
        return last_year.by_who_renews(register).not_renewed_in(this_year)

    itself_and_old_trust = Subscribers(
        schools={ASHWELL: {HR}}, trusts={"T1": {(ASHWELL, FINANCE), (ABBOTS_LANGLEY, HR)}}
    )
    assert due(itself_and_old_trust) == Subscribers(schools={}, trusts={})
    by_new_trust = Subscribers(schools={}, trusts={"T2": {(ASHWELL, HR), (ASHWELL, FINANCE)}})
    assert due(by_new_trust) == Subscribers(schools={}, trusts={"T1": {(ABBOTS_LANGLEY, HR)}})
    by_the_school = Subscribers(schools={ABBOTS_LANGLEY: {HR}, ASHWELL: {FINANCE}}, trusts={})
    assert due(by_the_school) == Subscribers(schools={ASHWELL: {HR}}, trusts={})


def test_a_reminder_telling_of_more_is_an_occasion_of_its_own_named_by_what_it_tells() -> None:
    """The year's first of a kind keeps the key reminders had before (one already sent is not
    sent again); one telling of more is named by what it tells, in whatever order found."""
    window = window_on(date(2027, 3, 2), opens_days_before=183, closes_days_after=30)
    assert window is not None

    first = reminder_key(window, Reminder.OPEN, told=[], telling=[(ASHWELL, HR)])
    more = reminder_key(
        window, Reminder.OPEN, told=[(ASHWELL, HR)], telling=[(ASHWELL, FINANCE), (ASHWELL, DATA)]
    )
    again = reminder_key(
        window, Reminder.OPEN, told=[(ASHWELL, DATA)], telling=[(ASHWELL, DATA), (ASHWELL, FINANCE)]
    )

    assert first == "renewal-open:2027/28"
    assert more.startswith("renewal-open:2027/28:") and len(more) <= 200
    assert again == more
    assert (
        reminder_key(window, Reminder.OPEN, told=[(ASHWELL, HR)], telling=[(ASHWELL, DATA)]) != more
    )


@pytest.mark.parametrize(
    ("today", "said"),
    [
        (date(2027, 9, 24), "close in a week, on 1 October 2027."),
        (date(2027, 9, 26), "close in 5 days, on 1 October 2027."),
        (date(2027, 9, 30), "close tomorrow, 1 October 2027."),
        (date(2027, 10, 1), "close today, 1 October 2027."),
    ],
)
def test_the_closing_reminder_says_the_days_left_on_the_day_it_goes(today: date, said: str) -> None:
    window = window_on(today, opens_days_before=183, closes_days_after=30)
    assert window is not None
    _, body = renewal_text(window, Reminder.CLOSING, today)
    assert body.startswith(f"Renewals for 2027/28 {said}")
