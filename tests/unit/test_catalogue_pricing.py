"""Price rules for one school: bands, per-pupil limits, who pays which price, VAT to the penny."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.catalogue.domain.pricing import PriceList, discounted
from services.catalogue.domain.quote import quote
from services.catalogue.domain.school import Funding, School
from services.catalogue.domain.service import Details, Service, ServiceType
from services.catalogue.domain.tariff import Band, Banded, Fixed, PerPupil, parse_tariff
from shared.errors import Invalid
from shared.money import VatRate, vat_on

HOME = "919"
BANDS = "bands 0-200:250000 201-400:325000 401+:410000"


def school(
    pupils: int | None = 415,
    *,
    la_code: str = HOME,
    type_group: str = "Maintained school",
    establishment_type: str = "Community school",
) -> School:
    return School(
        urn=117083,
        name="Abbots Langley School",
        la_code=la_code,
        type_group=type_group,
        establishment_type=establishment_type,
        phase="Primary",
        pupils=pupils,
    )


ACADEMY = {"type_group": "Academy", "establishment_type": "Academy converter"}


def published(
    prices: PriceList,
    vat_rate: VatRate = VatRate.STANDARD,
    service_type: ServiceType = ServiceType.SUBSCRIPTION,
) -> Service:
    service = Service.draft(
        code="SIP-PRI",
        service_type=service_type,
        details=Details(title="School improvement partner package", category="School improvement"),
        prices=prices,
        vat_rate=vat_rate,
    )
    service.publish()
    return service


@pytest.mark.parametrize(
    ("pupils", "pence", "band"),
    [
        (0, 250000, "0–200"),
        (200, 250000, "0–200"),
        (201, 325000, "201–400"),
        (400, 325000, "201–400"),
        (401, 410000, "401+"),
        (5000, 410000, "401+"),
    ],
)
def test_each_band_edge_belongs_to_the_band_that_names_it(
    pupils: int, pence: int, band: str
) -> None:
    priced = PriceList.parse(BANDS).price_for(school(pupils), home_la_code=HOME)
    assert priced.unit_pence == pence
    assert priced.rule == f"band {band} pupils ({pupils:,} on roll), maintained school price"


def test_an_academy_pays_the_academy_price_and_is_told_so() -> None:
    prices = PriceList.parse(BANDS, academy="bands 0-200:275000 201-400:355000 401+:445000")
    priced = prices.price_for(school(300, **ACADEMY), home_la_code=HOME)
    assert (priced.unit_pence, priced.rule) == (
        355000,
        "band 201–400 pupils (300 on roll), academy price",
    )


def test_a_school_outside_the_home_authority_pays_the_out_of_area_price() -> None:
    prices = PriceList.parse(BANDS, academy="300000", out_of_area="400000")
    for other in (school(300, la_code="821"), school(300, la_code="821", **ACADEMY)):
        priced = prices.price_for(other, home_la_code=HOME)
        assert (priced.unit_pence, priced.rule) == (400000, "fixed price, out-of-area price")


def test_an_independent_school_pays_the_out_of_area_price() -> None:
    independent = school(195, type_group="Independent school", establishment_type="Other")
    assert independent.funding is Funding.OTHER
    priced = PriceList.parse("1000", out_of_area="2000").price_for(independent, home_la_code=HOME)
    assert priced.unit_pence == 2000


def test_without_a_separate_price_an_academy_pays_the_maintained_one_and_is_told_why() -> None:
    priced = PriceList.parse("1000").price_for(school(**ACADEMY), home_la_code=HOME)
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
    ],
)
def test_the_register_type_decides_how_a_school_is_funded(
    type_group: str, establishment_type: str, funding: Funding
) -> None:
    found = school(type_group=type_group, establishment_type=establishment_type)
    assert found.funding is funding


@given(pupils=st.integers(min_value=0, max_value=3000))
def test_a_per_pupil_price_stays_between_its_minimum_and_maximum(pupils: int) -> None:
    tariff = PerPupil(rate_pence=650, minimum_pence=185_000, maximum_pence=650_000)
    priced = tariff.price(pupils)
    assert priced.unit_pence == min(max(650 * pupils, 185_000), 650_000)


def test_a_per_pupil_price_says_when_the_minimum_or_maximum_applied() -> None:
    tariff = parse_tariff("per-pupil 650 min 185000 max 650000")
    assert tariff.price(100).rule == (
        "£6.50 per pupil × 100 pupils = £650.00, raised to the minimum of £1,850.00"
    )
    assert tariff.price(415).rule == (
        "£6.50 per pupil × 415 pupils, minimum £1,850.00, maximum £6,500.00"
    )
    assert tariff.price(415).unit_pence == 269_750
    assert tariff.price(1610).rule == (
        "£6.50 per pupil × 1,610 pupils = £10,465.00, capped at the maximum of £6,500.00"
    )
    assert parse_tariff("per-pupil 350 min 45000").price(415).rule == (
        "£3.50 per pupil × 415 pupils, minimum £450.00"
    )


def test_a_price_that_needs_the_number_on_roll_refuses_a_school_without_one() -> None:
    with pytest.raises(Invalid) as refused:
        PriceList.parse(BANDS).price_for(school(None), home_la_code=HOME)
    assert refused.value.field == "urn"


@pytest.mark.parametrize(
    "text",
    [
        "bands 0-200:1 202+:2",
        "bands 0-200:1 150+:2",
        "bands 0-200:1 201-300:2 350+:3",
        "£5",
        "-5",
        "per-pupil 10 min 500 max 100",
        "bands 10-5:1",
        "per-pupil 10 minimum 5",
    ],
)
def test_a_price_with_gaps_overlaps_or_nonsense_is_refused(text: str) -> None:
    with pytest.raises(Invalid) as refused:
        parse_tariff(text, field="academy_price")
    assert refused.value.field == "academy_price"


tariffs = st.one_of(
    st.builds(Fixed, st.integers(0, 10**8)),
    st.builds(
        PerPupil,
        st.integers(0, 10_000),
        st.integers(0, 10**6),
        st.one_of(st.none(), st.integers(10**6, 10**8)),
    ),
    st.lists(st.integers(1, 500), min_size=0, max_size=5).flatmap(
        lambda widths: st.lists(
            st.integers(0, 10**7), min_size=len(widths) + 1, max_size=len(widths) + 1
        ).map(lambda prices: _bands(widths, prices))
    ),
)


def _bands(widths: list[int], prices: list[int]) -> Banded:
    bands, low = [], 0
    for width, pence in zip(widths, prices, strict=False):
        bands.append(Band(low, low + width - 1, pence))
        low += width
    bands.append(Band(low, None, prices[-1]))
    return Banded(tuple(bands))


@given(tariffs)
def test_a_price_written_as_text_reads_back_the_same(tariff: Fixed | Banded | PerPupil) -> None:
    assert parse_tariff(tariff.text()) == tariff


@given(
    unit=st.integers(min_value=0, max_value=10**7),
    quantity=st.integers(min_value=1, max_value=50),
    rate=st.sampled_from(list(VatRate)),
)
def test_a_quote_is_the_unit_price_times_quantity_with_vat_rounded_half_up_on_the_line(
    unit: int, quantity: int, rate: VatRate
) -> None:
    found = quote(
        published(PriceList(Fixed(unit)), rate), school(), quantity=quantity, home_la_code=HOME
    )
    net = unit * quantity
    assert (found.net_pence, found.vat_pence) == (net, vat_on(net, rate))
    assert found.gross_pence == found.net_pence + found.vat_pence
    if rate is VatRate.STANDARD:
        assert abs(found.vat_pence * 100 - net * 20) <= 50  # within half a penny
    else:
        assert found.vat_pence == 0


def test_vat_is_computed_on_the_line_and_rounded_to_the_nearest_penny() -> None:
    # 3 × £599.99 = £1,799.97; VAT £359.994 → £359.99, not 3 × £120.00 = £360.00
    found = quote(published(PriceList(Fixed(59_999))), school(), quantity=3, home_la_code=HOME)
    assert (found.net_pence, found.vat_pence, found.gross_pence) == (179_997, 35_999, 215_996)
    assert (
        quote(published(PriceList(Fixed(2_502))), school(), quantity=1, home_la_code=HOME).vat_pence
        == 500
    )
    assert (
        quote(published(PriceList(Fixed(2_503))), school(), quantity=1, home_la_code=HOME).vat_pence
        == 501
    )


def test_a_bundle_costs_its_parts_for_this_school_less_the_discount() -> None:
    parts = [published(PriceList.parse(BANDS)), published(PriceList.parse("per-pupil 100 min 0"))]
    bundle = Service.draft(
        code="PKG",
        service_type=ServiceType.BUNDLE,
        details=Details(
            title="Package", components=tuple(p.id for p in parts), discount_percent=10
        ),
        prices=PriceList(Fixed(0)),
        vat_rate=VatRate.STANDARD,
    )
    bundle.publish()
    found = quote(bundle, school(415), quantity=1, home_la_code=HOME, components=parts)
    assert found.unit_price_pence == discounted(410_000 + 41_500, 10) == 406_350
    assert found.rule == "bundle of 2 services (£4,515.00) less 10%"


@given(total=st.integers(0, 10**9), percent=st.integers(0, 99))
def test_a_bundle_discount_rounds_to_the_nearest_penny(total: int, percent: int) -> None:
    exact = total * (100 - percent) / 100
    assert abs(discounted(total, percent) - exact) <= 0.5


def test_consultancy_by_the_half_day_is_half_the_day_rate_a_half_penny_rounded_up() -> None:
    consultancy = published(PriceList(Fixed(65_001)), service_type=ServiceType.CONSULTANCY)
    found = quote(consultancy, school(), quantity=3, home_la_code=HOME, half_days=True)
    assert (found.unit_price_pence, found.net_pence, found.half_days) == (32_501, 97_503, True)
    assert found.rule.endswith("half a day at half the day rate, to the penny")
    whole_days = quote(consultancy, school(), quantity=3, home_la_code=HOME)
    assert (whole_days.unit_price_pence, whole_days.half_days) == (65_001, False)


@pytest.mark.parametrize("service_type", [ServiceType.SUBSCRIPTION, ServiceType.COURSE])
def test_only_consultancy_is_booked_by_the_half_day(service_type: ServiceType) -> None:
    with pytest.raises(Invalid) as refused:
        quote(
            published(PriceList(Fixed(10_000)), service_type=service_type),
            school(),
            quantity=1,
            home_la_code=HOME,
            half_days=True,
        )
    assert refused.value.field == "half_days"
