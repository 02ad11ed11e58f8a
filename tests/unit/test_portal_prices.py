import pytest

from services.portal.domain.forms import Unreadable
from services.portal.domain.prices import (
    PriceRule,
    in_words,
    pounds_rule,
    rule_from_pounds,
    unusual,
)


def test_a_fixed_price_reads_in_pounds() -> None:
    assert in_words("325000") == "£3,250.00"


def test_banded_prices_read_band_by_band() -> None:
    assert in_words("bands 0-200:250000 201+:325000") == (
        "by pupils on roll: 0 to 200, £2,500.00; 201 or more, £3,250.00"
    )


def test_a_per_pupil_price_reads_with_its_floor_and_ceiling() -> None:
    assert in_words("per-pupil 1200 min 150000 max 600000") == (
        "£12.00 a pupil, at least £1,500.00, at most £6,000.00"
    )
    assert in_words("per-pupil 1200 min 150000") == "£12.00 a pupil, at least £1,500.00"


def test_a_rule_it_cannot_read_is_shown_as_written() -> None:
    assert in_words("bands lots") == "bands lots"


def test_prices_are_typed_in_pounds_and_pence_with_or_without_the_pound_sign() -> None:
    for typed in ("395", "395.00", "£395.00", "£395", " 395.0 "):
        assert rule_from_pounds(typed) == PriceRule("39500", (39500,)), typed
    assert rule_from_pounds("95").pence_rule == "9500"  # ninety-five pounds, not 95p
    assert rule_from_pounds("£1,250.50").pence_rule == "125050"


def test_banded_and_per_pupil_rules_are_typed_in_pounds_too() -> None:
    assert rule_from_pounds("bands 0-200:2500 201+:£3,250.50") == PriceRule(
        "bands 0-200:250000 201+:325050", (250000, 325050)
    )
    assert rule_from_pounds("per-pupil 12 min 1500 max 6000") == PriceRule(
        "per-pupil 1200 min 150000 max 600000", (1200, 150000, 600000)
    )
    assert rule_from_pounds("per-pupil 12.50 min 1500").pence_rule == "per-pupil 1250 min 150000"


@pytest.mark.parametrize(
    "typed", ["bands 0-200:lots", "lots", "per-pupil 12 minimum 1500", "3.999", "-5", "bands"]
)
def test_a_rule_that_is_not_a_price_is_refused_saying_how_to_write_one(typed: str) -> None:
    with pytest.raises(Unreadable, match=r"is not a price|amount in pounds"):
        rule_from_pounds(typed)


def test_a_catalogue_rule_is_written_back_in_pounds_and_reads_the_same() -> None:
    for pence_rule in ("39500", "bands 0-200:250000 201+:325050", "per-pupil 1200 min 150000"):
        assert rule_from_pounds(pounds_rule(pence_rule)).pence_rule == pence_rule
    assert pounds_rule("39500") == "395.00"


def test_prices_below_a_pound_or_above_the_ceiling_are_unusual() -> None:
    assert unusual((95, 100, 39500, 5_000_000, 5_000_001)) == [95, 5_000_001]
