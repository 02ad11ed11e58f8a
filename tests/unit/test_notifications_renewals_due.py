"""Who is told to renew: a school (or trust) until every service it subscribed to last year is
bought for the year. Any one bought (a new service in the shop, say) had counted as renewed, so
a school with the rest still to renew heard nothing."""

from __future__ import annotations

from uuid import uuid4

from services.notifications.domain.renewals import SOME_SERVICE, Subscribers

HR, FINANCE, DATA = uuid4(), uuid4(), uuid4()
ABBOTS_LANGLEY, ASHWELL = 117083, 117084


def test_one_service_bought_for_the_year_leaves_the_rest_still_to_renew() -> None:
    last_year = Subscribers(
        schools={117083: {HR, FINANCE}, 117084: {HR}}, trusts={"T1": {(ABBOTS_LANGLEY, HR)}}
    )
    this_year = Subscribers(
        schools={117083: {HR, DATA}, 117084: {HR}}, trusts={"T1": {(ABBOTS_LANGLEY, DATA)}}
    )

    due = last_year.not_renewed_in(this_year)

    assert due == Subscribers(
        schools={117083: {HR, FINANCE}}, trusts={"T1": {(ABBOTS_LANGLEY, HR)}}
    )


def test_a_term_kept_before_services_were_is_renewed_by_any_term_for_the_year() -> None:
    last_year = Subscribers(schools={117083: {SOME_SERVICE}, 117084: {SOME_SERVICE}}, trusts={})
    this_year = Subscribers(schools={117083: {DATA}}, trusts={})

    assert last_year.not_renewed_in(this_year).schools == {117084: {SOME_SERVICE}}


def test_a_trust_renews_each_school_s_service_for_that_school_not_for_another() -> None:
    """As orders offers a trust's renewal school by school: HR bought for two schools last year
    and for one this year leaves the other's HR still to renew."""
    last_year = Subscribers(schools={}, trusts={"T1": {(ABBOTS_LANGLEY, HR), (ASHWELL, HR)}})
    this_year = Subscribers(schools={}, trusts={"T1": {(ABBOTS_LANGLEY, HR)}})

    assert last_year.not_renewed_in(this_year).trusts == {
        "T1": {(ABBOTS_LANGLEY, HR), (ASHWELL, HR)}
    }
    renewed = Subscribers(schools={}, trusts={"T1": {(ABBOTS_LANGLEY, HR), (ASHWELL, HR)}})
    assert last_year.not_renewed_in(renewed).trusts == {}


def test_a_trust_s_term_kept_before_services_were_is_renewed_by_any_term_for_its_school() -> None:
    last_year = Subscribers(
        schools={}, trusts={"T1": {(ABBOTS_LANGLEY, SOME_SERVICE), (ASHWELL, SOME_SERVICE)}}
    )
    this_year = Subscribers(schools={}, trusts={"T1": {(ABBOTS_LANGLEY, DATA)}})

    assert last_year.not_renewed_in(this_year).trusts == {
        "T1": {(ABBOTS_LANGLEY, SOME_SERVICE), (ASHWELL, SOME_SERVICE)}
    }
    this_year = Subscribers(schools={}, trusts={"T1": {(ABBOTS_LANGLEY, DATA), (ASHWELL, HR)}})
    assert last_year.not_renewed_in(this_year).trusts == {}


def test_a_trust_renews_only_for_the_schools_the_register_still_has_in_it() -> None:
    """Ashwell left T1 (for T2); Abbots Langley the register never announced: still T1's."""
    bought = Subscribers(
        schools={117085: {HR}}, trusts={"T1": {(ABBOTS_LANGLEY, HR), (ASHWELL, HR)}}
    )

    assert bought.in_their_trusts({ASHWELL: "T2"}) == Subscribers(
        schools={117085: {HR}}, trusts={"T1": {(ABBOTS_LANGLEY, HR)}}
    )
    left_both = {ASHWELL: None, ABBOTS_LANGLEY: None}
    assert bought.in_their_trusts(left_both).trusts == {}  # nothing is T1's to renew
    assert bought.in_their_trusts({ASHWELL: "T1"}) == bought
