"""Tariffs for one school: bands, per-pupil limits, rates by phase, day rates, who pays which
price, price versions by date, VAT to the penny."""

from __future__ import annotations

from datetime import date
from typing import Any, TypedDict

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from services.catalogue.domain.pricing import discounted, price_for
from services.catalogue.domain.quote import quote
from services.catalogue.domain.school import Funding, School
from services.catalogue.domain.service import Details, Service, ServiceType
from services.catalogue.domain.tariff import Priced, in_words, price
from shared.errors import Invalid
from shared.money import VatRate, vat_on
from shared.tariffs import (
    Band,
    BandedByPupils,
    DayRate,
    Flat,
    FlatPlusPerPupil,
    PerPupil,
    PerPupilByPhase,
    Prices,
    tariff_adapter,
)

HOME = "919"
TODAY = date(2026, 12, 3)
BANDS = BandedByPupils(
    bands=(Band(from_pupils=0, pence=250000), Band(from_pupils=201, pence=325000),
           Band(from_pupils=401, pence=410000))
)  # fmt: skip


def school(
    pupils: int | None = 415,
    *,
    la_code: str = HOME,
    type_group: str = "Maintained school",
    establishment_type: str = "Community school",
    phase: str = "Primary",
) -> School:
    return School(
        urn=117083,
        name="Abbots Langley School",
        la_code=la_code,
        type_group=type_group,
        establishment_type=establishment_type,
        phase=phase,
        pupils=pupils,
    )


class KindOfSchool(TypedDict):
    type_group: str
    establishment_type: str


ACADEMY: KindOfSchool = {"type_group": "Academy", "establishment_type": "Academy converter"}


def prices(maintained: Any, **others: Any) -> Prices:
    return Prices(maintained=maintained, **others)


def published(
    prices: Prices,
    vat_rate: VatRate = VatRate.STANDARD,
    service_type: ServiceType = ServiceType.SUBSCRIPTION,
) -> Service:
    service = Service.draft(
        code="SIP-PRI",
        service_type=service_type,
        details=Details(title="School improvement partner package", category="School improvement"),
        prices=prices,
        vat_rate=vat_rate,
        today=TODAY,
    )
    service.publish()
    return service


def flat(pence: int) -> Prices:
    return Prices(maintained=Flat(pence=pence))


def quoted(service: Service, **given: Any) -> Any:
    return quote(
        service, given.pop("at", school()), home_la_code=HOME, starts_on=TODAY, today=TODAY, **given
    )


@pytest.mark.parametrize(
    ("pupils", "pence", "band"),
    [
        (0, 250000, "0–200 pupils"),
        (200, 250000, "0–200 pupils"),
        (201, 325000, "201–400 pupils"),
        (400, 325000, "201–400 pupils"),
        (401, 410000, "401 pupils or more"),
        (5000, 410000, "401 pupils or more"),
    ],
)
def test_each_band_edge_belongs_to_the_band_that_names_it(
    pupils: int, pence: int, band: str
) -> None:
    priced = price_for(prices(BANDS), school(pupils), home_la_code=HOME)
    assert priced.unit_pence == pence
    assert priced.rule == f"band {band} ({pupils:,} on roll), maintained school price"


def test_an_academy_pays_the_academy_price_and_is_told_so() -> None:
    academy = BandedByPupils(bands=(Band(from_pupils=0, pence=275000),
                                    Band(from_pupils=201, pence=355000)))  # fmt: skip
    priced = price_for(prices(BANDS, academy=academy), school(300, **ACADEMY), home_la_code=HOME)
    assert (priced.unit_pence, priced.rule) == (
        355000,
        "band 201 pupils or more (300 on roll), academy price",
    )


def test_a_school_outside_the_home_authority_pays_the_out_of_area_price() -> None:
    listed = prices(BANDS, academy=Flat(pence=300000), out_of_area=Flat(pence=400000))
    for other in (school(300, la_code="821"), school(300, la_code="821", **ACADEMY)):
        priced = price_for(listed, other, home_la_code=HOME)
        assert (priced.unit_pence, priced.rule) == (400000, "fixed price, out-of-area price")


def test_an_independent_school_pays_the_out_of_area_price() -> None:
    independent = school(195, type_group="Independent school", establishment_type="Other")
    assert independent.funding is Funding.OTHER
    listed = prices(Flat(pence=1000), out_of_area=Flat(pence=2000))
    assert price_for(listed, independent, home_la_code=HOME).unit_pence == 2000


def test_a_maintained_school_of_a_gias_register_pays_the_maintained_price() -> None:
    from_gias = school(type_group="Local authority maintained schools")
    listed = prices(Flat(pence=1000), out_of_area=Flat(pence=2000))
    priced = price_for(listed, from_gias, home_la_code=HOME)
    assert (priced.unit_pence, priced.rule) == (1000, "fixed price, maintained school price")


def test_without_a_separate_price_an_academy_pays_the_maintained_one_and_is_told_why() -> None:
    priced = price_for(flat(1000), school(**ACADEMY), home_la_code=HOME)
    assert priced.unit_pence == 1000
    assert priced.rule == "fixed price, maintained school price (no separate academy price)"


@pytest.mark.parametrize(
    ("type_group", "establishment_type", "funding"),
    [
        ("Maintained school", "Voluntary aided school", Funding.MAINTAINED),
        ("Special school", "Community special school", Funding.MAINTAINED),
        ("Special school", "Academy special converter", Funding.ACADEMY),
        ("Academy", "Free schools", Funding.ACADEMY),
        ("College", "Further education", Funding.OTHER),
        # a GIAS extract's groups, as the register may be seeded from one
        ("Local authority maintained schools", "Community school", Funding.MAINTAINED),
        ("Local authority maintained schools", "Voluntary controlled school", Funding.MAINTAINED),
        ("Local authority maintained schools", "LA nursery school", Funding.MAINTAINED),
        ("Special schools", "Foundation special school", Funding.MAINTAINED),
        ("Special schools", "Non-maintained special school", Funding.OTHER),
        ("Academies", "Academy converter", Funding.ACADEMY),
        ("Free Schools", "Free schools", Funding.ACADEMY),
        ("Independent schools", "Other independent school", Funding.OTHER),
    ],
)
def test_the_register_type_decides_how_a_school_is_funded(
    type_group: str, establishment_type: str, funding: Funding
) -> None:
    found = school(type_group=type_group, establishment_type=establishment_type)
    assert found.funding is funding


PER_PUPIL = PerPupil(per_pupil_pence=650, minimum_pence=185_000, maximum_pence=650_000)


@given(pupils=st.integers(min_value=0, max_value=3000))
def test_a_per_pupil_price_stays_between_its_minimum_and_maximum(pupils: int) -> None:
    priced = price(PER_PUPIL, pupils=pupils, phase="primary")
    assert priced.unit_pence == min(max(650 * pupils, 185_000), 650_000)


@pytest.mark.parametrize(
    ("pupils", "pence", "rule"),
    [
        (284, 185_000, "£6.50 per pupil × 284 pupils = £1,846.00, raised to the minimum of "
                       "£1,850.00"),
        (285, 185_250, "£6.50 per pupil × 285 pupils, minimum £1,850.00, maximum £6,500.00"),
        (1000, 650_000, "£6.50 per pupil × 1,000 pupils, minimum £1,850.00, maximum £6,500.00"),
        (1001, 650_000, "£6.50 per pupil × 1,001 pupils = £6,506.50, capped at the maximum of "
                        "£6,500.00"),
    ],
)  # fmt: skip
def test_a_per_pupil_price_says_when_the_minimum_or_maximum_applied_at_their_edges(
    pupils: int, pence: int, rule: str
) -> None:
    assert price(PER_PUPIL, pupils=pupils, phase="primary") == Priced(pence, rule)


def test_a_per_pupil_rule_reads_as_the_school_budgets_it() -> None:
    tariff = PerPupil(per_pupil_pence=350, minimum_pence=90_000)
    assert price(tariff, pupils=415, phase="primary").rule == (
        "£3.50 per pupil × 415 pupils, minimum £900.00"
    )


def test_flat_plus_per_pupil_charges_the_fixed_part_and_each_pupil() -> None:
    tariff = FlatPlusPerPupil(pence=60_000, per_pupil_pence=250)
    assert price(tariff, pupils=0, phase="primary").unit_pence == 60_000
    priced = price(tariff, pupils=415, phase="primary")
    assert (priced.unit_pence, priced.rule) == (
        163_750,
        "£600.00 plus £2.50 per pupil × 415 pupils",
    )


BY_PHASE = PerPupilByPhase(
    primary_pence=300, secondary_pence=260, special_pence=600, minimum_pence=55_000
)


@pytest.mark.parametrize(
    ("phase", "type_group", "establishment_type", "pence"),
    [
        ("Primary", "Maintained school", "Community school", 300 * 415),
        ("Secondary", "Academy", "Academy converter", 260 * 415),
        ("Primary and secondary", "Special school", "Community special school", 600 * 415),
    ],
)
def test_a_rate_by_phase_charges_the_school_s_own_phase(
    phase: str, type_group: str, establishment_type: str, pence: int
) -> None:
    at = school(phase=phase, type_group=type_group, establishment_type=establishment_type)
    priced = price_for(prices(BY_PHASE), at, home_la_code=HOME)
    assert priced.unit_pence == pence
    assert f"({at.pricing_phase} rate)" in priced.rule


@pytest.mark.parametrize("phase", ["Primary and secondary", "16 plus"])
def test_a_phase_the_tariff_has_no_rate_for_is_refused(phase: str) -> None:
    with pytest.raises(Invalid, match=r"no price for (all-through|16 plus) schools") as refused:
        price_for(prices(BY_PHASE), school(phase=phase), home_la_code=HOME)
    assert refused.value.field == "urn"


def test_an_all_through_school_pays_the_all_through_rate_and_the_tariff_says_so() -> None:
    tariff = BY_PHASE.model_copy(update={"all_through_pence": 280})
    at = school(phase="Primary and secondary")
    priced = price_for(prices(tariff), at, home_la_code=HOME)
    assert (priced.unit_pence, at.pricing_phase) == (280 * 415, "all-through")
    assert "(all-through rate)" in priced.rule
    assert "all-through £2.80" in in_words(tariff)


def test_a_day_rate_charges_a_day_or_its_half_day_price() -> None:
    tariff = DayRate(pence=62_500, half_day_pence=35_000)
    assert price(tariff, pupils=None, phase="primary").unit_pence == 62_500
    assert price(tariff, pupils=None, phase="primary", half_day=True) == Priced(
        35_000, "£350.00 a half-day"
    )


def test_without_a_half_day_price_half_a_day_is_half_the_day_rate_a_half_penny_rounded_up() -> None:
    consultancy = published(
        Prices(maintained=DayRate(pence=65_001)), service_type=ServiceType.CONSULTANCY
    )
    found = quoted(consultancy, quantity=3, half_days=True)
    assert (found.unit_price_pence, found.net_pence, found.half_days) == (32_501, 97_503, True)
    assert found.rule.startswith("half the day rate of £650.01, to the penny")
    whole_days = quoted(consultancy, quantity=3)
    assert (whole_days.unit_price_pence, whole_days.half_days) == (65_001, False)


@pytest.mark.parametrize("tariff", [Flat(pence=10_000), BANDS, PER_PUPIL])
def test_only_a_day_rate_is_booked_by_the_half_day(tariff: Any) -> None:
    with pytest.raises(Invalid) as refused:
        quoted(published(prices(tariff)), quantity=1, half_days=True)
    assert refused.value.field == "half_days"


def test_a_price_that_needs_the_number_on_roll_refuses_a_school_without_one() -> None:
    for tariff in (BANDS, PER_PUPIL, BY_PHASE, FlatPlusPerPupil(pence=1, per_pupil_pence=1)):
        with pytest.raises(Invalid) as refused:
            price_for(prices(tariff), school(None), home_la_code=HOME)
        assert refused.value.field == "urn"


@pytest.mark.parametrize(
    "terms",
    [
        {"kind": "banded_by_pupils", "bands": [{"from_pupils": 1, "pence": 1}]},
        {"kind": "banded_by_pupils", "bands": [{"from_pupils": 0, "pence": 1},
                                               {"from_pupils": 0, "pence": 2}]},
        {"kind": "banded_by_pupils", "bands": [{"from_pupils": 0, "pence": 1},
                                               {"from_pupils": 300, "pence": 2},
                                               {"from_pupils": 200, "pence": 3}]},
        {"kind": "banded_by_pupils", "bands": []},
        {"kind": "per_pupil", "per_pupil_pence": 10, "minimum_pence": 500, "maximum_pence": 100},
        {"kind": "per_pupil_by_phase", "minimum_pence": 5},
        {"kind": "flat", "pence": -5},
        {"kind": "flat", "pence": 10_000_000_001},
        {"kind": "per_pupil", "per_pupil_pence": 1_000_001},
        {"kind": "day_rate", "pence": 1, "rate": 2},
        {"kind": "by_the_hour", "pence": 1},
    ],
)  # fmt: skip
def test_terms_with_gaps_overlaps_unknown_kinds_or_beyond_their_bounds_are_refused(
    terms: dict[str, Any],
) -> None:
    with pytest.raises(ValidationError):
        tariff_adapter.validate_python(terms)


def test_a_price_beyond_what_the_catalogue_can_charge_is_refused() -> None:
    tariff = PerPupil(per_pupil_pence=1_000_000)
    with pytest.raises(Invalid, match="more than the catalogue can charge"):
        price(tariff, pupils=1_000_000, phase="primary")


def test_every_kind_reads_in_words() -> None:
    assert [in_words(t) for t in (Flat(pence=395_00), BANDS, PER_PUPIL, BY_PHASE,
                                  FlatPlusPerPupil(pence=60_000, per_pupil_pence=250),
                                  DayRate(pence=62_500), DayRate(pence=62_500, half_day_pence=35_000))] == [
        "£395.00",
        "by pupils on roll: 0–200 pupils, £2,500.00; 201–400 pupils, £3,250.00; "
        "401 pupils or more, £4,100.00",
        "£6.50 a pupil, minimum £1,850.00, maximum £6,500.00",
        "a pupil by phase: primary £3.00, secondary £2.60, special £6.00, minimum £550.00",
        "£600.00 plus £2.50 a pupil",
        "£625.00 a day, half the day rate a half-day",
        "£625.00 a day, £350.00 a half-day",
    ]  # fmt: skip


@given(
    unit=st.integers(min_value=0, max_value=10**7),
    quantity=st.integers(min_value=1, max_value=50),
    rate=st.sampled_from(list(VatRate)),
)
def test_a_quote_is_the_unit_price_times_quantity_with_vat_rounded_half_up_on_the_line(
    unit: int, quantity: int, rate: VatRate
) -> None:
    found = quoted(published(flat(unit), rate), quantity=quantity)
    net = unit * quantity
    assert (found.net_pence, found.vat_pence) == (net, vat_on(net, rate))
    assert found.gross_pence == found.net_pence + found.vat_pence
    if rate is VatRate.STANDARD:
        assert abs(found.vat_pence * 100 - net * 20) <= 50  # within half a penny
    else:
        assert found.vat_pence == 0


def test_vat_is_computed_on_the_line_and_rounded_to_the_nearest_penny() -> None:
    # 3 × £599.99 = £1,799.97; VAT £359.994 → £359.99, not 3 × £120.00 = £360.00
    found = quoted(published(flat(59_999)), quantity=3)
    assert (found.net_pence, found.vat_pence, found.gross_pence) == (179_997, 35_999, 215_996)
    assert quoted(published(flat(2_502)), quantity=1).vat_pence == 500
    assert quoted(published(flat(2_503)), quantity=1).vat_pence == 501


def test_a_bundle_costs_its_parts_for_this_school_less_the_discount() -> None:
    parts = [published(prices(BANDS)), published(prices(PerPupil(per_pupil_pence=100)))]
    bundle = Service.draft(
        code="PKG",
        service_type=ServiceType.BUNDLE,
        details=Details(
            title="Package", components=tuple(p.id for p in parts), discount_percent=10
        ),
        prices=flat(0),
        vat_rate=VatRate.STANDARD,
        today=TODAY,
    )
    bundle.publish()
    found = quoted(bundle, at=school(415), quantity=1, components=parts)
    assert found.unit_price_pence == discounted(410_000 + 41_500, 10) == 406_350
    assert found.rule == "bundle of 2 services (£4,515.00) less 10%"


@given(total=st.integers(0, 10**9), percent=st.integers(0, 99))
def test_a_bundle_discount_rounds_to_the_nearest_penny(total: int, percent: int) -> None:
    exact = total * (100 - percent) / 100
    assert abs(discounted(total, percent) - exact) <= 0.5
