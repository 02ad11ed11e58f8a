"""Bundles: bought only when each of their services could be, priced and dated as their services
are (a bundle of subscriptions covers their term), at one VAT rate, and listed at their
services' prices less the discount, not at the price stored with them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.catalogue.domain.bundle import check_bundle
from services.catalogue.domain.provider import Provider, ProviderKind, QaStatus
from services.catalogue.domain.quote import quote
from services.catalogue.domain.school import School
from services.catalogue.domain.service import Details, Service, ServiceType, Term
from services.catalogue.entrypoints.schemas import ServicePublic
from shared.errors import Conflict, Invalid
from shared.money import VatRate
from shared.tariffs import Flat, PerPupil, Prices

HOME = "919"
MARCH, JULY = date(2026, 3, 1), date(2026, 7, 1)
STANDARD = VatRate.STANDARD
SCHOOL = School(
    urn=117083,
    name="Abbots Langley School",
    la_code=HOME,
    type_group="Local authority maintained schools",
    establishment_type="Community school",
    phase="Primary",
    pupils=200,
)


def flat(pence: int) -> Prices:
    return Prices(maintained=Flat(pence=pence))


def service(
    code: str,
    service_type: ServiceType = ServiceType.COURSE,
    *,
    prices: Prices | None = None,
    vat_rate: VatRate = STANDARD,
    **details: Any,
) -> Service:
    found = Service.draft(
        code=code,
        service_type=service_type,
        details=Details(title=code.title(), **details),
        prices=prices or flat(50_000),
        vat_rate=vat_rate,
        today=MARCH,
    )
    found.publish()
    return found


def bundle_of(*parts: Service, vat_rate: VatRate = STANDARD, **details: Any) -> Service:
    return service(
        "PKG",
        ServiceType.BUNDLE,
        prices=flat(0),
        vat_rate=vat_rate,
        components=tuple(part.id for part in parts),
        discount_percent=10,
        **details,
    )


def academic(code: str, pence: int) -> Service:
    return service(
        code, ServiceType.SUBSCRIPTION, prices=flat(pence), term=Term.ACADEMIC_YEAR,
        academic_years=("2026/27",),
    )  # fmt: skip


def quoted(bundle: Service, parts: list[Service], **given: Any) -> Any:
    given.setdefault("starts_on", MARCH)
    given.setdefault("today", MARCH)
    return quote(bundle, SCHOOL, quantity=1, home_la_code=HOME, components=parts, **given)


def test_a_bundle_with_a_service_from_a_suspended_provider_is_refused_naming_that_service() -> None:
    nle = Provider.register(
        name="NLE associates", kind=ProviderKind.NLE, designation="", expertise=()
    )
    nle.set_qa_status(QaStatus.SUSPENDED, "failed review")
    theirs, ours = service("NLE-DAY", provider_id=nle.id), service("SG-AUDIT")
    bundle = bundle_of(theirs, ours)

    with pytest.raises(Conflict) as refused:
        quoted(bundle, [theirs, ours], component_providers={nle.id: nle})
    assert refused.value.field == "components"
    assert "NLE associates is suspended: NLE-DAY (Nle-Day) in this bundle" in refused.value.message

    nle.set_qa_status(QaStatus.APPROVED, "")
    assert quoted(bundle, [theirs, ours], component_providers={nle.id: nle}).net_pence == 90_000


def test_a_bundle_of_academic_year_subscriptions_covers_their_term_at_that_term_s_prices() -> None:
    sip, gov = academic("SIP", 265_000), academic("GOV", 68_500)
    sip.reprice(flat(300_000), STANDARD, effective_from=date(2026, 9, 1), today=MARCH)
    bundle = bundle_of(sip, gov, academic_years=("2026/27",))

    found = quoted(bundle, [sip, gov], starts_on=JULY)

    assert found.unit_price_pence == 331_650  # (£3,000 + £685) less 10%, the 2026/27 list
    assert found.rule == "bundle of 2 services (£3,685.00) less 10%"
    assert (found.starts_on, found.term_start, found.term_end) == (
        date(2026, 9, 1),
        date(2026, 9, 1),
        date(2027, 8, 31),
    )
    assert found.price_year == "2026/27"
    assert found.service_type == "bundle"


def test_a_bundle_of_financial_year_subscriptions_covers_the_financial_year() -> None:
    parts = [
        service(code, ServiceType.SUBSCRIPTION, term=Term.FINANCIAL_YEAR)
        for code in ("FIN-SLA", "HR-SLA")
    ]
    found = quoted(bundle_of(*parts), parts, starts_on=JULY)
    assert (found.term_start, found.term_end, found.price_year) == (
        date(2026, 4, 1),
        date(2027, 3, 31),
        "2026-27",
    )


def test_a_bundle_of_other_kinds_has_no_term() -> None:
    parts = [service("SG-AUDIT", ServiceType.CONSULTANCY), service("SG-WHOLE")]
    found = quoted(bundle_of(*parts), parts, starts_on=JULY)
    assert (found.term_start, found.term_end, found.starts_on) == (None, None, JULY)


@pytest.mark.parametrize(
    ("parts", "named"),
    [
        (
            [academic("SIP", 1), service("FIN", ServiceType.SUBSCRIPTION)],
            "SIP (subscription by the academic year), FIN (subscription by the financial year)",
        ),
        ([academic("SIP", 1), service("DSL-TRN")], "SIP (subscription by the academic year)"),
        ([service("DSL-TRN"), service("DPO", ServiceType.ROLLING, renews_every="term")], "DPO"),
    ],
)
def test_a_bundle_mixing_years_or_kinds_is_refused_naming_its_services(
    parts: list[Service], named: str
) -> None:
    with pytest.raises(Invalid) as refused:
        check_bundle(bundle_of(*parts), parts, today=MARCH)
    assert refused.value.field == "components"
    assert named in refused.value.message


def test_a_bundle_whose_services_charge_another_vat_rate_is_refused_then_or_later() -> None:
    audit, training = service("SG-AUDIT"), service("DSL-TRN", vat_rate=VatRate.EXEMPT)
    with pytest.raises(Invalid) as refused:
        check_bundle(bundle_of(audit, training), [audit, training], today=MARCH)
    assert refused.value.field == "components"
    assert "DSL-TRN (exempt)" in refused.value.message

    whole = service("SG-WHOLE")
    bundle = bundle_of(audit, whole)
    check_bundle(bundle, [audit, whole], today=MARCH)
    whole.reprice(flat(50_000), VatRate.EXEMPT, effective_from=date(2026, 9, 1), today=MARCH)
    with pytest.raises(Invalid, match="SG-WHOLE"):  # the list set for September differs
        check_bundle(bundle, [audit, whole], today=MARCH)
    with pytest.raises(Invalid, match="SG-WHOLE"):  # and a quote then is refused, not mischarged
        quoted(bundle, [audit, whole], starts_on=date(2026, 10, 1))


def test_a_bundle_is_listed_at_its_services_prices_less_the_discount_not_its_stored_price() -> None:
    audit = service(
        "SG-AUDIT", prices=Prices(maintained=Flat(pence=50_000), academy=Flat(pence=60_000))
    )
    whole = service("SG-WHOLE", prices=flat(30_000))
    per_pupil = service("DATA", prices=Prices(maintained=PerPupil(per_pupil_pence=350)))

    flat_bundle = ServicePublic.of(bundle_of(audit, whole), today=MARCH, components=[audit, whole])
    assert flat_bundle.unit_price_pence == 72_000
    assert (
        flat_bundle.prices_in_words.maintained == "£720.00: its services' prices (£800.00) less 10%"
    )
    assert flat_bundle.prices_in_words.academy == "£810.00: its services' prices (£900.00) less 10%"
    assert flat_bundle.prices_in_words.out_of_area is None  # as maintained schools

    by_school = ServicePublic.of(
        bundle_of(audit, per_pupil), today=MARCH, components=[audit, per_pupil]
    )
    assert (
        by_school.prices_in_words.maintained
        == "its services' prices less 10%: depends on the school"
    )


def test_a_bundle_made_before_its_services_had_to_go_together_is_listed_as_not_for_sale() -> None:
    parts = [academic("SIP", 1), service("DSL-TRN", vat_rate=VatRate.EXEMPT)]
    shown = ServicePublic.of(bundle_of(*parts), today=MARCH, components=parts)
    assert shown.prices_in_words.maintained.startswith("not for sale: a bundle's services")
