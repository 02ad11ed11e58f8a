"""Whether a course was sold for a session's academic year when an order was placed: the
catalogue refuses places to an order placed after the years narrowed (orders may not have
heard yet), and keeps them for one placed before, however late it hears of it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from services.catalogue.domain.service import Details, Service, ServiceType
from shared.money import VatRate
from tests.unit.test_catalogue_pricing import TODAY, flat

NARROWED_AT = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)


def course_narrowed_to_2026_27() -> Service:
    course = Service.draft(
        code="ML-PROG",
        service_type=ServiceType.COURSE,
        details=Details(title="Middle leadership", academic_years=("2026/27", "2027/28")),
        prices=flat(65_000),
        vat_rate=VatRate.STANDARD,
        today=TODAY,
    )
    course.revise(replace(course.details, academic_years=("2026/27",)), at=NARROWED_AT)
    return course


def test_an_order_placed_after_the_years_narrowed_was_not_sold_the_year_dropped() -> None:
    course = course_narrowed_to_2026_27()

    assert not course.sold_in_when_ordered("2027/28", NARROWED_AT + timedelta(seconds=1))
    assert course.sold_in_when_ordered("2026/27", NARROWED_AT + timedelta(seconds=1))


def test_an_order_placed_before_the_years_narrowed_was_sold_the_year_dropped() -> None:
    course = course_narrowed_to_2026_27()

    assert course.sold_in_when_ordered("2027/28", NARROWED_AT - timedelta(seconds=1))


def test_an_order_that_does_not_say_when_it_was_placed_is_held_to_the_years_now() -> None:
    assert not course_narrowed_to_2026_27().sold_in_when_ordered("2027/28", None)


def test_a_change_that_leaves_the_years_as_they_were_does_not_move_when_they_changed() -> None:
    course = course_narrowed_to_2026_27()
    course.revise(replace(course.details, title="Middle leaders"), at=NARROWED_AT + timedelta(1))

    assert course.years_changed_at == NARROWED_AT
