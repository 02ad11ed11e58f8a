"""A school's entry on orders' register is versioned from the clock, so that the copies the
other services keep (which keep the highest version they were given) take every later change,
also after orders' database was rebuilt empty and counts from nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from pydantic import TypeAdapter

from services.orders.domain.school import School
from shared.bounds import ClockVersion
from shared.limits import LAST_YEAR
from tests.support.schools import ABBOTS_LANGLEY_AS_REGISTERED

NOW = datetime(2026, 12, 6, 21, 0, tzinfo=UTC)
ABBOTS_LANGLEY = School(**ABBOTS_LANGLEY_AS_REGISTERED, pupils=200)


def entered(school: School, kept: School | None, at: datetime) -> int:
    entry = school.entered_after(kept, at=at)
    assert entry is not None
    return entry.version


def test_an_entry_made_later_on_a_register_rebuilt_empty_has_a_higher_version() -> None:
    kept = replace(ABBOTS_LANGLEY, version=entered(ABBOTS_LANGLEY, None, NOW))
    changed = replace(ABBOTS_LANGLEY, pupils=150)
    last_before_rebuild = entered(changed, kept, NOW + timedelta(minutes=1))

    first_after_rebuild = entered(ABBOTS_LANGLEY, None, NOW + timedelta(minutes=2))

    assert first_after_rebuild > last_before_rebuild > kept.version


def test_an_entry_is_above_the_kept_one_when_the_clock_stepped_back() -> None:
    kept = replace(ABBOTS_LANGLEY, version=entered(ABBOTS_LANGLEY, None, NOW))
    changed = replace(ABBOTS_LANGLEY, pupils=150)

    assert entered(changed, kept, NOW - timedelta(hours=1)) == kept.version + 1


def test_an_unchanged_entry_is_not_entered_again() -> None:
    kept = replace(ABBOTS_LANGLEY, version=entered(ABBOTS_LANGLEY, None, NOW))

    assert ABBOTS_LANGLEY.entered_after(kept, at=NOW + timedelta(days=1)) is None


def test_a_version_from_the_last_moment_the_business_can_mean_is_one_an_event_may_carry() -> None:
    last = datetime(LAST_YEAR, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)

    assert TypeAdapter(ClockVersion).validate_python(entered(ABBOTS_LANGLEY, None, last))
