"""The catalogue admin's price form: each kind of tariff typed in pounds, checked against the
catalogue's own tariff models, and filled back in pounds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.portal.domain.forms import FormErrors
from services.portal.domain.prices import unusual
from services.portal.domain.tariff_form import (
    amounts_of,
    form_from_prices,
    kinds_for,
    prices_from_form,
)
from shared.tariffs import TARIFF_KINDS, Prices


def typed(**fields: str) -> dict[str, str]:
    return {name.replace("__", "-"): value for name, value in fields.items()}


def test_every_kind_of_tariff_is_offered_with_its_own_fields() -> None:
    kinds = kinds_for("academy")
    assert [kind.value for kind in kinds] == list(TARIFF_KINDS)
    day_rate = next(kind for kind in kinds if kind.value == "day_rate")
    assert [(t.field_id, t.label) for t in day_rate.terms] == [
        ("academy-day_rate-pence", "A day"),
        ("academy-day_rate-half_day_pence", "Half a day (leave blank for half the day rate)"),
    ]


def test_prices_are_typed_in_pounds_with_or_without_the_pound_sign() -> None:
    for amount in ("395", "395.00", "£395.00", "£395", " 395.0 "):
        errors = FormErrors()
        form = typed(maintained__kind="flat", maintained__flat__pence=amount)
        assert prices_from_form(form, errors) == {"maintained": {"kind": "flat", "pence": 39500}}, (
            amount
        )


def test_bands_are_rows_of_pupils_and_pounds_and_blank_rows_are_left_out() -> None:
    form = typed(
        maintained__kind="banded_by_pupils",
        maintained__banded_by_pupils__band0__from="0",
        maintained__banded_by_pupils__band0__pence="2,500",
        maintained__banded_by_pupils__band2__from="201",
        maintained__banded_by_pupils__band2__pence="£3,250.50",
    )
    found = prices_from_form(form, FormErrors())
    assert found == {
        "maintained": {
            "kind": "banded_by_pupils",
            "bands": [{"from_pupils": 0, "pence": 250000}, {"from_pupils": 201, "pence": 325050}],
        }
    }


@pytest.mark.parametrize(
    ("form", "field_id"),
    [
        ({}, "maintained-kind"),
        ({"maintained-kind": "by_the_hour"}, "maintained-kind"),
        ({"maintained-kind": "flat", "maintained-flat-pence": "lots"}, "maintained-flat-pence"),
        ({"maintained-kind": "flat"}, "maintained-flat-pence"),
        ({"maintained-kind": "banded_by_pupils", "maintained-banded_by_pupils-band0-from": "5",
          "maintained-banded_by_pupils-band0-pence": "1"}, "maintained-banded_by_pupils-band0-from"),
        ({"maintained-kind": "flat", "maintained-flat-pence": "1", "academy-kind": "per_pupil",
          "academy-per_pupil-per_pupil_pence": "3.999"}, "academy-per_pupil-per_pupil_pence"),
    ],
)  # fmt: skip
def test_what_is_not_a_price_is_put_on_its_own_field(form: dict[str, str], field_id: str) -> None:
    errors = FormErrors()
    assert prices_from_form(form, errors) is None
    assert [error.field_id for error in errors.found] == [field_id]


money = st.integers(0, 10**8)
rates = st.integers(0, 10**6)
tariffs = st.one_of(
    st.builds(lambda p: {"kind": "flat", "pence": p}, money),
    st.builds(lambda p, h: {"kind": "day_rate", "pence": p, "half_day_pence": h}, money,
              st.none() | money),
    st.builds(lambda r, lo: {"kind": "per_pupil", "per_pupil_pence": r, "minimum_pence": lo},
              rates, money),
    st.builds(lambda p, r: {"kind": "flat_plus_per_pupil", "pence": p, "per_pupil_pence": r},
              money, rates),
    st.builds(lambda a, b: {"kind": "per_pupil_by_phase", "primary_pence": a, "special_pence": b},
              rates, rates),
    st.lists(money, min_size=1, max_size=6).map(lambda prices: {
        "kind": "banded_by_pupils",
        "bands": [{"from_pupils": 100 * i, "pence": p} for i, p in enumerate(prices)]}),
)  # fmt: skip


@given(maintained=tariffs, academy=st.none() | tariffs)
def test_the_form_filled_from_a_tariff_reads_back_the_same_tariff(
    maintained: dict[str, object], academy: dict[str, object] | None
) -> None:
    prices = Prices.model_validate({"maintained": maintained, "academy": academy})
    form = form_from_prices(prices)
    found = prices_from_form(form, FormErrors())
    assert found is not None
    assert Prices.model_validate(found) == prices


def test_the_amounts_to_confirm_are_prices_not_per_pupil_rates() -> None:
    tariff = {"kind": "per_pupil", "per_pupil_pence": 95, "minimum_pence": 90000}
    assert amounts_of(tariff) == (90000,)
    bands = {"kind": "banded_by_pupils", "bands": [{"from_pupils": 0, "pence": 50}]}
    assert amounts_of(bands) == (50,)


def test_prices_below_a_pound_or_above_the_ceiling_are_unusual() -> None:
    assert unusual((95, 100, 39500, 5_000_000, 5_000_001)) == [95, 5_000_001]
