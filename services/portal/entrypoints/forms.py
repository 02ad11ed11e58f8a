"""An API's refusal, shown on the form that caused it."""

from __future__ import annotations

from collections.abc import Mapping

from services.portal.adapters.http import ApiError
from services.portal.domain.forms import FormErrors, date_from_parts

VAT_RATES = (("standard", "Standard rate (20%)"), ("zero", "Zero rate"), ("exempt", "Exempt"))


def put_on_form(
    refused: ApiError,
    errors: FormErrors,
    *,
    fields: Mapping[str, str] | None = None,
    labels: Mapping[str, str],
) -> None:
    """A refusal of the input (422) or the state (409) goes on the form; anything else is
    the error page's business."""
    if refused.status not in (409, 422):
        raise refused
    problems = [(problem.field, problem.message) for problem in refused.problems]
    errors.from_api(problems, fields=fields or {}, labels=labels)


def read_date(form: Mapping[str, str], errors: FormErrors, field_id: str, what: str) -> str:
    """The ISO date from a GOV.UK date input named `field_id`, or '' with an error."""
    parts = (form.get(f"{field_id}-{part}", "") for part in ("day", "month", "year"))
    found = errors.read(lambda: date_from_parts(*parts), field_id=field_id, what=what)
    return found.isoformat() if found else ""
