"""The CFR code a maintained school books a service against: the admin's choice from the DfE's
list, or, when none is given, the one schools usually use for that kind of service."""

from __future__ import annotations

from shared.cfr import CFR_EXPENDITURE
from shared.errors import Invalid

TRAINING = "E09"  # development and training: a course is staff CPD whatever its subject
CURRICULUM = "E27"  # bought-in professional services – curriculum
OTHER = "E28a"  # bought-in professional services – other: management, finance, HR, clerking

USUAL_BY_CATEGORY = {
    "school improvement": CURRICULUM,
    "data and assessment": CURRICULUM,
    "early years": CURRICULUM,
    "send": CURRICULUM,
    "cpd and leadership": TRAINING,
    "safeguarding": OTHER,
    "governance": OTHER,
    "finance": OTHER,
    "hr": OTHER,
    "it": "E20",  # ICT learning resources, which include bought-in ICT support
}


def cfr_code_for(code: str, *, category: str, is_course: bool) -> str:
    """`code` checked against the list; an empty one takes the usual code for the service."""
    if not code:
        return TRAINING if is_course else USUAL_BY_CATEGORY.get(category.strip().lower(), OTHER)
    if code not in CFR_EXPENDITURE:
        raise Invalid(
            f"{code} is not a CFR expenditure code (E01 to E32, E28a or E28b)", field="cfr_code"
        )
    return code
