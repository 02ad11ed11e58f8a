"""Reading the DfE's KS2 performance-table file as published: markers, short rows, totals and
bad rows."""

from __future__ import annotations

import pytest

from services.evaluation.domain.ks2_file import read_ks2_file
from services.evaluation.domain.outcome_matching import Profile, match_on_profiles
from services.evaluation.domain.published_results import PublishedMeasure
from services.evaluation.domain.results_csv import BadRows

HEADER = "RECTYPE,URN,SCHNAME,TELIG,PTRWM_EXP,READ_AVERAGE,TELIG_23,PTRWM_EXP_23,READ_AVERAGE_23"


def test_figures_are_read_for_the_year_and_the_years_its_suffixes_name() -> None:
    text = f"{HEADER}\n1,117083,Abbots Langley School,59,56%,107,60,62%,104\n"

    results = {(r.measure, r.year): r for r in read_ks2_file(text, year=2025)}

    assert results[PublishedMeasure.RWM_EXPECTED, 2025].value == 56
    assert results[PublishedMeasure.RWM_EXPECTED, 2025].cohort == 59
    assert results[PublishedMeasure.RWM_EXPECTED, 2023].value == 62
    assert results[PublishedMeasure.READING_SCORE, 2023].cohort == 60


def test_suppressed_figures_are_missing_with_their_marker_and_short_rows_are_read() -> None:
    text = f"{HEADER}\n1,100001,Small School,5,SUPP,NE,4,LOWCOV\n1,100002,New School,NEW\n"

    results = read_ks2_file(text, year=2025)

    by_column = {(r.urn, r.measure, r.year): r for r in results}
    assert by_column[100001, PublishedMeasure.RWM_EXPECTED, 2025].value is None
    assert by_column[100001, PublishedMeasure.RWM_EXPECTED, 2025].marker == "SUPP"
    assert by_column[100001, PublishedMeasure.READING_SCORE, 2025].marker == "NE"
    assert by_column[100001, PublishedMeasure.RWM_EXPECTED, 2023].marker == "LOWCOV"
    assert not [r for r in results if r.urn == 100002]  # no figures at all: nothing to keep


def test_la_and_england_totals_are_not_schools() -> None:
    text = f"{HEADER}\n1,117083,A,59,56,107\n3,,Hertfordshire,14321,63,106\n4,,England,1,62,105\n"

    assert {r.urn for r in read_ks2_file(text, year=2025)} == {117083}


def test_a_file_with_bad_rows_is_refused_naming_each_line() -> None:
    text = (
        f"{HEADER}\n"
        "1,117083,Good School,59,56,107\n"
        "1,ABC,No URN School,30,50,100\n"
        "1,117084,Odd School,27,lots,105\n"
        "1,117085,Impossible School,27,50,150\n"
        "1,,Blank URN School,27,50,105\n"
    )

    with pytest.raises(BadRows) as refused:
        read_ks2_file(text, year=2025)

    assert [p.line for p in refused.value.problems] == [3, 4, 5, 6]
    messages = " | ".join(p.message for p in refused.value.problems)
    assert "'ABC'" in messages
    assert "PTRWM_EXP: 'lots'" in messages
    assert "READ_AVERAGE: '150' is outside 80-120" in messages


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("1,\u00b2,A,59,56,107", "URN: '\u00b2' is not a school's URN"),  # str.isdigit takes it
        ("1,99999999999999999999,A,59,56,107", "URN: '99999999999999999999' is not"),
        ("1,99999999999,A,59,56,107", "URN: '99999999999' is not a school's URN"),
        ("1,117083,A,99999999999,56,107", "TELIG: '99999999999' is not a number of pupils"),
        ("1,117083,A,\u00b3,56,107", "TELIG: '\u00b3' is not a number of pupils"),
    ],
)
def test_a_urn_or_cohort_in_other_digits_or_out_of_range_is_a_bad_row(
    row: str, problem: str
) -> None:
    with pytest.raises(BadRows) as refused:
        read_ks2_file(f"{HEADER}\n1,117084,Good School,59,56,107\n{row}\n", year=2025)

    ((line, message),) = [(p.line, p.message) for p in refused.value.problems]
    assert line == 3
    assert message.startswith(problem)


def test_a_school_on_two_rows_is_refused_naming_both_lines() -> None:
    """Stored, the second row would clash with the first as a 409 naming neither."""
    text = f"{HEADER}\n1,117083,A,59,56,107\n1,117084,B,30,50,100\n1,117083,A,59,57,107\n"

    with pytest.raises(BadRows) as refused:
        read_ks2_file(text, year=2025)

    assert [(p.line, p.message) for p in refused.value.problems] == [
        (4, "URN: 117083 is on line 2 too")
    ]


def test_a_figure_python_would_read_otherwise_than_typed_is_a_bad_row() -> None:
    with pytest.raises(BadRows) as refused:
        read_ks2_file(f"{HEADER}\n1,117083,A,59,5_6%,107\n", year=2025)

    assert refused.value.problems[0].message.startswith("PTRWM_EXP: '5_6%' is neither")


def test_a_file_without_urn_or_known_columns_is_refused_at_its_header() -> None:
    for text in ("SCHNAME,PTRWM_EXP\nA,50\n", "URN,SCHNAME\n117083,A\n"):
        with pytest.raises(BadRows) as refused:
            read_ks2_file(text, year=2025)
        assert refused.value.problems[0].line == 1


def test_comparison_schools_are_the_nearest_in_size_disadvantage_and_baseline() -> None:
    participants = [Profile(1, 400, 10, 70), Profile(2, 200, 40, 50)]
    candidates = [
        Profile(10, 410, 11, 71),  # like school 1
        Profile(11, 190, 38, 52),  # like school 2
        Profile(12, 400, 40, 50),  # school 1's size, school 2's intake and results
        Profile(13, 800, 5, 90),
    ]

    matches = match_on_profiles(participants, candidates, per_participant=1)

    assert {(m.participant, m.comparison) for m in matches} == {(1, 10), (2, 11)}


def test_a_special_schools_row_is_marked_and_a_mainstream_school_is_never_matched_with_one() -> (
    None
):
    text = (
        f"{HEADER}\n1,117195,Saffron Green,28,36,100,30,21,99\n2,143604,Larwood School,8,0,,9,7\n"
    )
    results = read_ks2_file(text, year=2025)
    assert {r.urn: r.mainstream for r in results} == {117195: True, 143604: False}

    low = Profile(117195, 192, 32, 21)
    special = Profile(143604, 190, 35, 15, mainstream=False)  # nearest in every figure
    mainstream = [Profile(2, 400, 10, 70), Profile(3, 210, 30, 45)]

    (match,) = match_on_profiles([low], [special, *mainstream], per_participant=1)

    assert match.comparison == 3
