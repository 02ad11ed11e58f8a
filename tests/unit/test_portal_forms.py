"""Reading what people type into the portal's forms, and putting the APIs' refusals on them."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.portal.adapters.http import Problem, problems_in
from services.portal.domain.forms import (
    FormErrors,
    Unreadable,
    date_from_parts,
    pence_from_pounds,
    whole_number,
)
from shared.limits import MAX_PENCE
from shared.money import format_pounds


@pytest.mark.parametrize(
    ("typed", "pence"),
    [("1200", 120000), ("1,200.5", 120050), ("£1,200.50", 120050), (" 0.07 ", 7), ("£ 3", 300)],
)
def test_pounds_are_read_as_pence(typed: str, pence: int) -> None:
    assert pence_from_pounds(typed) == pence


@pytest.mark.parametrize("typed", ["", "lots", "1.234", "-5", "12,00", "1e3", "£"])
def test_what_is_not_an_amount_in_pounds_is_unreadable(typed: str) -> None:
    with pytest.raises(Unreadable):
        pence_from_pounds(typed)


@given(st.integers(min_value=0, max_value=MAX_PENCE))
def test_any_amount_the_portal_shows_reads_back_as_the_same_pence(pence: int) -> None:
    assert pence_from_pounds(format_pounds(pence)) == pence


@pytest.mark.parametrize(
    "typed",
    ["100,000,000.01", "123456789012345.99", "9" * 5000],
    ids=["a-penny-past", "fifteen-digits", "thousands-of-digits"],
)
def test_an_amount_past_the_largest_the_business_allows_is_unreadable_saying_the_largest(
    typed: str,
) -> None:
    with pytest.raises(Unreadable, match=r"^an amount in pounds up to £100,000,000\.00$"):
        pence_from_pounds(typed)


def test_the_largest_amount_reads_however_many_noughts_come_first() -> None:
    assert pence_from_pounds("0" * 5000 + "100000000.00") == MAX_PENCE


def test_a_date_input_reads_as_a_real_date_and_refuses_an_impossible_one() -> None:
    assert date_from_parts(" 1", "4", "2026") == date(2026, 4, 1)
    with pytest.raises(Unreadable):
        date_from_parts("31", "2", "2026")
    with pytest.raises(Unreadable):
        date_from_parts("", "", "")


@pytest.mark.parametrize(
    ("day", "month", "year", "enter"),
    [
        ("1", "4", "99999999999", "a date from 1990 to 2100"),
        ("1", "4", "1989", "a date from 1990 to 2100"),
        ("99999999999999999999", "4", "2026", "a real date, like 1 4 2026"),
        ("1", "99999999999999999999", "2026", "a real date, like 1 4 2026"),
        ("1", "4", "9" * 5000, "a real date, like 1 4 2026"),
    ],
)
def test_a_date_in_no_year_the_business_means_or_no_calendar_holds_is_unreadable(
    day: str, month: str, year: str, enter: str
) -> None:
    with pytest.raises(Unreadable) as refused:
        date_from_parts(day, month, year)
    assert str(refused.value) == enter


def test_a_quantity_must_be_a_whole_number() -> None:
    assert whole_number("2") == 2
    with pytest.raises(Unreadable):
        whole_number("two")


def test_an_unreadable_field_becomes_an_error_that_says_what_to_enter() -> None:
    errors = FormErrors()
    assert errors.read(lambda: whole_number("x"), field_id="quantity", what="the quantity") is None
    assert errors.message("quantity") == "Enter the quantity as a whole number, like 2"


def test_an_apis_refusals_land_on_the_form_fields_they_name() -> None:
    errors = FormErrors().from_api(
        [
            ("value_pence", "a contract's value must be more than zero"),
            ("start_on", "Input should be a valid date"),
            (None, "the contract register is closed"),
        ],
        fields={"value_pence": "value"},
        labels={"value": "Value", "start_on": "Start date"},
    )
    assert [(e.field_id, e.message) for e in errors.found] == [
        ("value", "A contract's value must be more than zero"),
        ("start_on", "Start date: Input should be a valid date"),
        ("", "The contract register is closed"),
    ]


def test_the_first_error_on_a_field_is_the_one_shown() -> None:
    errors = FormErrors()
    errors.add("value", "enter the value as an amount in pounds")
    errors.add("value", "Input should be a valid integer")
    assert errors.message("value") == "Enter the value as an amount in pounds"
    assert len(errors.found) == 1


def test_both_shapes_of_our_apis_422_answers_are_read_as_problems() -> None:
    assert problems_in({"detail": "no", "field": "end_on"}) == [Problem("end_on", "no")]
    assert problems_in(
        {"detail": "x", "errors": [{"field": "lines.0.quantity", "message": "too small"}]}
    ) == [Problem("lines.0.quantity", "too small")]
    assert problems_in({"detail": "a bearer token is required"}) == [
        Problem(None, "a bearer token is required")
    ]
    assert problems_in("<html>") == [Problem(None, "the service refused the request")]
