from datetime import date

from shared.calendar import (
    academic_year,
    academic_years_overlapping,
    financial_year,
    financial_years_overlapping,
)


def test_the_financial_year_runs_from_april_to_march() -> None:
    assert financial_year(date(2026, 3, 31)) == "2025-26"
    assert financial_year(date(2026, 4, 1)) == "2026-27"
    assert financial_year(date(2099, 12, 31)) == "2099-00"


def test_the_academic_year_runs_from_september_to_august() -> None:
    assert academic_year(date(2026, 8, 31)) == "2025/26"
    assert academic_year(date(2026, 9, 1)) == "2026/27"


def test_a_financial_year_runs_into_two_academic_years() -> None:
    assert academic_years_overlapping("2026-27") == ("2025/26", "2026/27")
    assert academic_years_overlapping("2099-00") == ("2098/99", "2099/00")


def test_an_academic_year_runs_into_two_financial_years() -> None:
    assert financial_years_overlapping("2026/27") == ("2026-27", "2027-28")
