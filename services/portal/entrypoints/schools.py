"""The LA's categorisation of schools: each school's current category, its history, and
recording a new category with its date and reasons."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.portal.adapters.http import ApiError
from services.portal.domain.forms import FormErrors
from services.portal.entrypoints.forms import Wording, read_date, submit
from services.portal.entrypoints.rendering import (
    form_of,
    form_page,
    render,
    see_other,
    tell_next_page,
)
from services.portal.entrypoints.roles import Officer
from services.portal.entrypoints.session import SignedIn
from shared.api.commissioning import SchoolPublic
from shared.bounds import Urn

router = APIRouter(prefix="/schools")

CATEGORIES = (
    ("1", "1: good or better"),
    ("2", "2: some concerns"),
    ("3", "3: significant concerns"),
    ("4", "4: causing concern"),
)
CATEGORY_LABELS = {
    "category": "Category",
    "categorised_on": "Date categorised",
    "reasons": "Reasons",
}


@router.get("")
async def schools(request: Request, you: Officer, q: str = "") -> Response:
    register = {school.urn: school for school in await you.apis.commissioning.schools()}
    current = await you.apis.commissioning.current_categories()
    words = q.strip().lower()
    found = [s for s in register.values() if words and _matches(s, words)] if words else []
    return render(
        request,
        "schools/list.html",
        categorised=[(register.get(c.urn), c) for c in current],
        found=found[:50],
        q=q,
    )


def _matches(school: SchoolPublic, words: str) -> bool:
    return words == str(school.urn) or all(w in school.name.lower() for w in words.split())


# A URN, not Starlette's `int`: that reads the address before any check, and a number of
# thousands of digits is more than Python will read (a 500, not the 404 page).
@router.get("/{urn}")
async def school_page(request: Request, urn: Urn, you: Officer) -> Response:
    return await _school_form(request, you, urn, {}, FormErrors())


@router.post("/{urn}")
async def categorise(request: Request, urn: Urn, you: Officer) -> Response:
    form = await form_of(request)
    errors = FormErrors()
    if form.get("category") not in dict(CATEGORIES):
        errors.add("category", "Select the school's category")
    fields = {
        "category": form.get("category"),
        "categorised_on": read_date(form, errors, "categorised_on", "the date categorised"),
        "reasons": form.get("reasons", ""),
    }
    found = await submit(
        errors, lambda: you.apis.commissioning.categorise(urn, fields), Wording(CATEGORY_LABELS)
    )
    if found is not None:
        tell_next_page(request, f"Category {found.category} recorded: {found.label}")
        return see_other(f"/schools/{urn}")
    return await _school_form(request, you, urn, form, errors)


async def _school_form(
    request: Request, you: SignedIn, urn: int, form: dict[str, str], errors: FormErrors
) -> Response:
    school = _school(await you.apis.commissioning.schools(), urn)
    history = await you.apis.commissioning.categorisations(urn)
    return form_page(
        request,
        "schools/detail.html",
        form=form,
        errors=errors,
        school=school,
        history=list(reversed(history)),
        categories=CATEGORIES,
    )


def _school(register: list[SchoolPublic], urn: int) -> SchoolPublic:
    found = next((school for school in register if school.urn == urn), None)
    if found is None:
        raise ApiError(404, [])
    return found
