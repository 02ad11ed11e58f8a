from hypothesis import given
from hypothesis import strategies as st

from shared.money import (
    Amounts,
    VatRate,
    format_pounds,
    line_amounts,
    plain_pounds,
    total,
    vat_on,
)


def test_vat_is_twenty_percent_rounded_to_the_nearest_penny() -> None:
    assert vat_on(1_000, VatRate.STANDARD) == 200
    assert vat_on(1, VatRate.STANDARD) == 0  # 0.2p
    assert vat_on(3, VatRate.STANDARD) == 1  # 0.6p
    assert vat_on(179_997, VatRate.STANDARD) == 35_999  # 35,999.4p
    assert vat_on(179_998, VatRate.STANDARD) == 36_000  # 35,999.6p


def test_zero_rated_and_exempt_lines_carry_no_vat() -> None:
    assert vat_on(59_500, VatRate.ZERO) == 0
    assert vat_on(59_500, VatRate.EXEMPT) == 0


def test_a_credit_rounds_exactly_as_the_charge_it_reverses() -> None:
    for net in (1, 3, 179_997, 179_998):
        assert vat_on(-net, VatRate.STANDARD) == -vat_on(net, VatRate.STANDARD)


@given(st.integers(min_value=0, max_value=10**12))
def test_vat_is_never_more_than_half_a_penny_from_the_exact_figure(net: int) -> None:
    exact_times_100 = net * 20
    assert abs(vat_on(net, VatRate.STANDARD) * 100 - exact_times_100) <= 50


def test_a_line_is_priced_as_unit_times_quantity_with_vat_on_the_line() -> None:
    line = line_amounts(unit_price_pence=59_999, quantity=3, rate=VatRate.STANDARD)
    assert line == Amounts(net=179_997, vat=35_999)
    assert line.gross == 215_996


@given(
    st.lists(
        st.tuples(st.integers(0, 10**7), st.integers(1, 50), st.sampled_from(list(VatRate))),
        max_size=20,
    )
)
def test_totals_are_sums_of_rounded_lines(lines: list[tuple[int, int, VatRate]]) -> None:
    priced = [line_amounts(unit_price_pence=u, quantity=q, rate=r) for u, q, r in lines]
    summed = total(priced)
    assert summed.net == sum(line.net for line in priced)
    assert summed.vat == sum(line.vat for line in priced)
    assert summed.gross == summed.net + summed.vat


def test_pounds_are_shown_with_pence_and_thousands() -> None:
    assert format_pounds(215_996) == "£2,159.96"
    assert format_pounds(-5) == "-£0.05"


def test_pounds_for_a_form_field_or_a_csv_cell_keep_the_sign_before_the_pounds() -> None:
    assert plain_pounds(-150) == "-1.50"
    assert plain_pounds(-5) == "-0.05"
    assert plain_pounds(123_456_789) == "1234567.89"
