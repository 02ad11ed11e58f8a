"""Reminders at the calendar's edges: an offer lapsing just after England's midnight in summer
time is about to lapse the day before by England's calendar; an invoice's reminders count days
across February and the new year; a warning notice is overdue the day after its date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from services.notifications.domain.dunning import OpenInvoice, stage_on
from services.notifications.domain.offers import OpenOffer, about_to_lapse
from services.notifications.domain.programmes import ProgrammeWithoutBaseline, baseline_due_soon
from services.notifications.domain.warning_notices import WarningNotice, compliance_overdue


def offer_expiring(at: datetime) -> OpenOffer:
    return OpenOffer(order_id=uuid4(), line_id=uuid4(), urn=117083, places=1, expires_at=at)


def test_an_offer_lapsing_at_00_30_on_1_april_in_summer_time_is_reminded_on_31_march() -> None:
    offer = offer_expiring(datetime(2028, 3, 31, 23, 30, tzinfo=UTC))  # 00:30 BST, 1 April
    assert not about_to_lapse(offer, date(2028, 3, 30))
    assert about_to_lapse(offer, date(2028, 3, 31))
    assert about_to_lapse(offer, date(2028, 4, 1))
    assert not about_to_lapse(offer, date(2028, 4, 2))


def test_an_offer_lapsing_on_1_march_of_a_leap_year_is_reminded_on_29_february() -> None:
    offer = offer_expiring(datetime(2028, 3, 1, 9, 0, tzinfo=UTC))
    assert not about_to_lapse(offer, date(2028, 2, 28))
    assert about_to_lapse(offer, date(2028, 2, 29))


def invoice_due(on: date) -> OpenInvoice:
    return OpenInvoice(uuid4(), "INV-000001", 117083, "Abbots Langley", on, 12_000)


@pytest.mark.parametrize(
    ("due_on", "expected"),
    [
        (
            date(2028, 3, 1),
            {
                date(2028, 2, 22): None,
                date(2028, 2, 23): "due-in-7-days",
                date(2028, 2, 29): "due-in-7-days",
                date(2028, 3, 1): "due-today",
                date(2028, 3, 30): "due-today",
                date(2028, 3, 31): "overdue-30-days",
                date(2028, 4, 29): "overdue-30-days",
                date(2028, 4, 30): "overdue-60-days",
            },
        ),
        (
            date(2027, 12, 31),
            {
                date(2027, 12, 23): None,
                date(2027, 12, 24): "due-in-7-days",
                date(2027, 12, 31): "due-today",
                date(2028, 1, 30): "overdue-30-days",
                date(2028, 2, 29): "overdue-60-days",
            },
        ),
    ],
)
def test_an_invoice_s_reminders_count_days_across_february_and_the_new_year(
    due_on: date, expected: dict[date, str | None]
) -> None:
    for today, stage in expected.items():
        found = stage_on(invoice_due(due_on), today)
        assert (found.name if found else None) == stage, today


def test_a_warning_notice_is_overdue_from_the_day_after_its_compliance_date() -> None:
    notice = WarningNotice(
        uuid4(), 117091, "A school", date(2028, 2, 1), "grounds", "action", date(2028, 2, 29)
    )
    assert not compliance_overdue(notice, date(2028, 2, 29))
    assert compliance_overdue(notice, date(2028, 3, 1))


def test_a_programme_s_baseline_warning_runs_14_days_before_it_starts() -> None:
    programme = ProgrammeWithoutBaseline(uuid4(), "Maths", date(2028, 3, 13))
    assert not baseline_due_soon(programme, date(2028, 2, 27))
    assert baseline_due_soon(programme, date(2028, 2, 28))
    assert baseline_due_soon(programme, date(2028, 3, 13))
    assert not baseline_due_soon(programme, date(2028, 3, 13) + timedelta(days=1))
