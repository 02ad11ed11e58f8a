"""The evaluator uploads the DfE's Key Stage 2 results file as published: all or nothing, each
bad row listed by its line."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.portal.adapters.http import ApiError
from services.portal.domain.forms import FormErrors, Unreadable
from services.portal.entrypoints.forms import uploaded_text
from services.portal.entrypoints.rendering import form_page, see_other, tell_next_page
from services.portal.entrypoints.roles import Evaluator
from shared.api.evaluation import FIRST_YEAR, LAST_YEAR

router = APIRouter(prefix="/programmes/ks2-results")


@router.get("/upload")
async def upload_page(request: Request, you: Evaluator) -> Response:
    return _form(request, {}, FormErrors())


@router.post("/upload")
async def upload(request: Request, you: Evaluator) -> Response:
    sent = await request.form()
    form = {"year": str(sent.get("year", "")).strip()}
    errors = FormErrors()
    year = errors.read(lambda: _year(form["year"]), field_id="year", what="the year")
    text = await uploaded_text(sent.get("file"), errors)
    if text is not None and year is not None:
        try:
            imported = await you.apis.evaluation.import_ks2(text, year=year)
        except ApiError as refused:
            if refused.status != 422:
                raise
            errors.add_each("file", [problem.message for problem in refused.problems])
        else:
            tell_next_page(
                request,
                f"KS2 results imported: {imported.schools} schools",
                f"{imported.results} figures for {year - 2} to {year}.",
            )
            return see_other("/programmes")
    return _form(request, form, errors)


def _year(text: str) -> int:
    if not re.fullmatch(r"[0-9]{4}", text):  # not `isdigit()`: it takes '²', which int() refuses
        raise Unreadable("a year such as 2025")
    if not FIRST_YEAR <= int(text) <= LAST_YEAR:
        raise Unreadable(f"a year from {FIRST_YEAR} to {LAST_YEAR}")
    return int(text)


def _form(request: Request, form: dict[str, str], errors: FormErrors) -> Response:
    return form_page(request, "programmes/ks2_upload.html", form=form, errors=errors)
