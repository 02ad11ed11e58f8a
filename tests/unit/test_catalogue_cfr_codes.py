"""Each service carries the CFR code a maintained school books it against."""

from __future__ import annotations

from typing import TypedDict, Unpack

import pytest

from services.catalogue.domain.service import Details, ServiceType
from shared.cfr import CFR_EXPENDITURE
from shared.errors import Invalid


class Classification(TypedDict, total=False):
    category: str
    cfr_code: str


def checked(
    service_type: ServiceType = ServiceType.CONSULTANCY, **given: Unpack[Classification]
) -> Details:
    return Details(title="A service", **given).checked(service_type)


def test_a_code_from_the_dfe_list_is_kept_as_given() -> None:
    assert checked(category="Governance", cfr_code="E27").cfr_code == "E27"


@pytest.mark.parametrize("code", ["E00", "E33", "e27", "E28", "I01", "E27 "])
def test_a_code_outside_the_expenditure_list_is_refused_naming_the_field(code: str) -> None:
    with pytest.raises(Invalid) as refused:
        checked(cfr_code=code)
    assert refused.value.field == "cfr_code"
    assert code in refused.value.message


@pytest.mark.parametrize(
    ("category", "service_type", "usual"),
    [
        ("School improvement", ServiceType.SUBSCRIPTION, "E27"),
        ("SEND", ServiceType.CONSULTANCY, "E27"),
        ("Finance", ServiceType.SUBSCRIPTION, "E28a"),
        ("Governance", ServiceType.CONSULTANCY, "E28a"),
        ("IT", ServiceType.SUBSCRIPTION, "E20"),
        ("Safeguarding", ServiceType.COURSE, "E09"),  # a course is staff training, whatever on
        ("Something new", ServiceType.CONSULTANCY, "E28a"),
    ],
)
def test_a_service_given_no_code_takes_the_usual_one_for_its_kind(
    category: str, service_type: ServiceType, usual: str
) -> None:
    assert checked(service_type, category=category).cfr_code == usual


def test_the_list_holds_the_bought_in_services_headings_by_their_dfe_titles() -> None:
    assert CFR_EXPENDITURE["E27"] == "Bought-in professional services – curriculum"
    assert CFR_EXPENDITURE["E26"] == "Agency supply teaching staff"
    assert CFR_EXPENDITURE["E09"] == "Development and training"
    assert "E28" not in CFR_EXPENDITURE  # split since 2018-19 into E28a and E28b
