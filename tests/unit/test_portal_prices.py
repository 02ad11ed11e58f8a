from services.portal.domain.prices import in_words


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
