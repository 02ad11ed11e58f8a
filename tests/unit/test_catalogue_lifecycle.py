"""A service's lifecycle and who may be sold: drafts, retired services, suspended providers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.catalogue.domain.provider import Provider, ProviderKind, QaStatus
from services.catalogue.domain.quote import quote
from services.catalogue.domain.service import Details, Service, ServiceType, Status, Term
from shared.errors import Conflict, Invalid
from shared.money import VatRate
from tests.unit.test_catalogue_pricing import HOME, TODAY, flat, school

RETIRED_AT = datetime(2026, 11, 30, 14, 5, tzinfo=UTC)


def draft(service_type: ServiceType = ServiceType.COURSE, **details: object) -> Service:
    return Service.draft(
        code="ML-PROG",
        service_type=service_type,
        details=Details(**{"title": "Middle leadership programme", **details}),  # type: ignore[arg-type]
        prices=flat(59_500),
        vat_rate=VatRate.EXEMPT,
        today=TODAY,
    )


def nle() -> Provider:
    return Provider.register(
        name="NLE associates", kind=ProviderKind.NLE, designation="NLE", expertise=("maths",)
    )


def test_a_draft_cannot_be_quoted_and_the_refusal_names_the_service() -> None:
    with pytest.raises(Conflict) as refused:
        quote(draft(), school(), quantity=1, home_la_code=HOME, starts_on=TODAY, today=TODAY)
    assert refused.value.field == "service_id"
    assert "draft" in refused.value.message


def test_a_retired_service_cannot_be_quoted_or_changed() -> None:
    service = draft()
    service.publish()
    service.retire(at=RETIRED_AT)
    assert service.status is Status.RETIRED
    with pytest.raises(Conflict):
        quote(service, school(), quantity=1, home_la_code=HOME, starts_on=TODAY, today=TODAY)
    with pytest.raises(Conflict):
        service.reprice(flat(1), VatRate.ZERO, effective_from=TODAY, today=TODAY)
    with pytest.raises(Conflict):
        service.publish()


def test_only_a_published_service_can_be_retired() -> None:
    with pytest.raises(Conflict):
        draft().retire(at=RETIRED_AT)


def test_an_order_placed_before_the_retirement_keeps_its_places_and_one_placed_after_not() -> None:
    service = draft()
    service.publish()
    assert not service.retired_when_ordered(RETIRED_AT)
    service.retire(at=RETIRED_AT)
    assert not service.retired_when_ordered(RETIRED_AT - timedelta(microseconds=1))
    assert service.retired_when_ordered(RETIRED_AT)
    assert service.retired_when_ordered(None)  # an order that does not say when it was placed


def test_a_suspended_providers_service_cannot_be_bought() -> None:
    provider = nle()
    service = draft(provider_id=provider.id)
    service.publish()
    provider.set_qa_status(QaStatus.SUSPENDED, "safeguarding concern under investigation")
    with pytest.raises(Conflict) as refused:
        quote(
            service,
            school(),
            quantity=1,
            home_la_code=HOME,
            provider=provider,
            starts_on=TODAY,
            today=TODAY,
        )
    assert refused.value.field == "provider_id"
    provider.set_qa_status(QaStatus.UNDER_REVIEW, "")
    assert quote(
        service,
        school(),
        quantity=1,
        home_la_code=HOME,
        provider=provider,
        starts_on=TODAY,
        today=TODAY,
    ).net_pence


def test_a_flag_puts_an_approved_provider_under_review_but_never_lifts_a_suspension() -> None:
    provider = nle()
    provider.flag_for_review("average 2.1")
    assert provider.qa_status is QaStatus.UNDER_REVIEW
    provider.set_qa_status(QaStatus.SUSPENDED, "by the panel")
    provider.flag_for_review("average 1.9")
    assert (provider.qa_status, provider.qa_note) == (QaStatus.SUSPENDED, "by the panel")


def test_a_new_price_makes_a_new_version_and_the_same_price_does_not() -> None:
    service = draft()
    service.reprice(flat(59_500), VatRate.EXEMPT, effective_from=TODAY, today=TODAY)
    assert service.price_version == 1
    service.reprice(flat(62_000), VatRate.EXEMPT, effective_from=TODAY, today=TODAY)
    assert service.price_version == 2
    service.publish()
    assert (
        quote(
            service, school(), quantity=1, home_la_code=HOME, starts_on=TODAY, today=TODAY
        ).price_version
        == 2
    )


def test_a_quantity_below_one_is_refused() -> None:
    service = draft()
    service.publish()
    with pytest.raises(Invalid) as refused:
        quote(service, school(), quantity=0, home_la_code=HOME, starts_on=TODAY, today=TODAY)
    assert refused.value.field == "quantity"


@pytest.mark.parametrize(
    ("service_type", "details", "field"),
    [
        (ServiceType.COURSE, {"title": "  "}, "title"),
        (ServiceType.COURSE, {"phases": ("sixth form",)}, "phases"),
        (ServiceType.BUNDLE, {"components": ()}, "components"),
        (ServiceType.COURSE, {"discount_percent": 100}, "discount_percent"),
    ],
)
def test_bad_details_are_refused_naming_the_field(
    service_type: ServiceType, details: dict[str, object], field: str
) -> None:
    with pytest.raises(Invalid) as refused:
        draft(service_type, **details)
    assert refused.value.field == field


def test_a_subscription_runs_for_a_financial_year_unless_told_otherwise() -> None:
    assert draft(ServiceType.SUBSCRIPTION).details.term is Term.FINANCIAL_YEAR
    academic = draft(ServiceType.SUBSCRIPTION, term=Term.ACADEMIC_YEAR)
    assert academic.details.term is Term.ACADEMIC_YEAR
