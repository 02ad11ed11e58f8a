"""A contract's KPIs: each target, the actuals reported against it, and reporting one; a missed
target with a service credit earns the LA that credit (plus VAT) off its next invoices."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.portal.adapters.http import ApiError
from services.portal.domain.contract_milestones import signed_off_from
from services.portal.domain.forms import FormErrors, Unreadable
from services.portal.entrypoints.forms import Wording, submit
from services.portal.entrypoints.rendering import form_of, form_page, see_other, tell_next_page
from services.portal.entrypoints.roles import Officer
from services.portal.entrypoints.session import SignedIn
from shared.deps import today_of
from shared.limits import MAX_MEASUREMENT

router = APIRouter(prefix="/contracts/{contract_id:uuid}/kpis")

ACTUAL_LABELS = {"period": "Period", "actual": "Actual"}


@router.get("/{kpi_id:uuid}")
async def kpi_page(request: Request, contract_id: UUID, kpi_id: UUID, you: Officer) -> Response:
    return await _kpi_form(request, you, contract_id, kpi_id, {}, FormErrors())


@router.post("/{kpi_id:uuid}")
async def report_actual(
    request: Request, contract_id: UUID, kpi_id: UUID, you: Officer
) -> Response:
    form = await form_of(request)
    errors = FormErrors()
    actual = errors.read(
        lambda: _number(form.get("actual", "")), field_id="actual", what="the actual"
    )
    if actual is not None:
        fields = {"period": form.get("period", ""), "actual": actual}
        reported = await submit(
            errors,
            lambda: you.apis.commissioning.report_actual(contract_id, kpi_id, fields),
            Wording(ACTUAL_LABELS),
        )
        if reported is not None:
            met = "target met" if reported.met else "target missed"
            tell_next_page(request, f"{reported.period} reported: {met}")
            return see_other(f"/contracts/{contract_id}/kpis/{kpi_id}")
    return await _kpi_form(request, you, contract_id, kpi_id, form, errors)


def _number(text: str) -> float:
    try:
        number = float(text.strip().rstrip("%"))
    except ValueError as error:
        raise Unreadable("a number, like 96.5") from error
    if not -MAX_MEASUREMENT <= number <= MAX_MEASUREMENT:  # NaN fails this too
        raise Unreadable(f"a number from {-MAX_MEASUREMENT:,.0f} to {MAX_MEASUREMENT:,.0f}")
    return number


async def _kpi_form(
    request: Request,
    you: SignedIn,
    contract_id: UUID,
    kpi_id: UUID,
    form: dict[str, str],
    errors: FormErrors,
) -> Response:
    contract = await you.apis.commissioning.contract(contract_id)
    kpi = next((k for k in await you.apis.commissioning.kpis(contract_id) if k.id == kpi_id), None)
    if kpi is None:
        raise ApiError(404, [])
    return form_page(
        request,
        "contracts/kpi.html",
        form=form,
        errors=errors,
        contract=contract,
        kpi=kpi,
        actuals=await you.apis.commissioning.actuals(contract_id, kpi_id),
        reported_from=signed_off_from(contract.start_on, today_of(request)),
    )
