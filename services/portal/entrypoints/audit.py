"""The audit page: who changed what, when and from which request, across every service the
signed-in user may read the audit of, newest first."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import TypeAdapter, ValidationError

from services.portal.adapters.audit import AuditFilters, AuditRow, audited_for
from services.portal.adapters.http import ApiError
from services.portal.domain.forms import FormErrors
from services.portal.entrypoints.forms import put_on_form, read_date
from services.portal.entrypoints.rendering import render
from services.portal.entrypoints.roles import Auditor
from shared.bounds import Moment

router = APIRouter()


PAGE_SIZE = 50
MOMENT = TypeAdapter(Moment)
TEXT_FIELDS = {"actor": 200, "object_type": 60, "object_id": 100}
LABELS = {
    "actor": "Who",
    "object_type": "Object type",
    "object_id": "Object id",
    "since": "From",
    "until": "To",
}


@router.get("/audit")
async def audit(request: Request, you: Auditor) -> Response:
    form = dict(request.query_params)
    errors = FormErrors()
    filters = _filters(form, errors)
    services = audited_for(you.user.role)
    entries: list[AuditRow] = []
    more = False
    if not errors:
        try:
            entries, more = await you.apis.audit.merged(services, filters, limit=PAGE_SIZE)
        except ApiError as refused:
            put_on_form(refused, errors, labels=LABELS)
    older = {**form, "before": entries[-1].at.isoformat()} if more and entries else None
    return render(
        request,
        "audit.html",
        form=form,
        errors=errors,
        entries=entries,
        services=services,
        older=older,
    )


def _filters(form: dict[str, str], errors: FormErrors) -> AuditFilters:
    for name, longest in TEXT_FIELDS.items():
        if len(form.get(name, "")) > longest:
            errors.add(name, f"{LABELS[name]} must be {longest} characters or fewer")
    return AuditFilters(
        actor=form.get("actor", "").strip() or None,
        object_type=form.get("object_type", "").strip() or None,
        object_id=form.get("object_id", "").strip() or None,
        since=_day(form, errors, "since"),
        until=_day(form, errors, "until"),
        before=_moment(form, errors),
    )


def _day(form: dict[str, str], errors: FormErrors, name: str) -> date | None:
    if not any(form.get(f"{name}-{part}") for part in ("day", "month", "year")):
        return None
    found = read_date(form, errors, name, f"the '{LABELS[name].lower()}' date")
    return date.fromisoformat(found) if found else None


def _moment(form: dict[str, str], errors: FormErrors) -> datetime | None:
    try:
        return MOMENT.validate_python(form["before"][:40]) if form.get("before") else None
    except ValidationError:
        errors.add("before", "The link to older entries is broken: start again from the first page")
        return None
